#include "core/compliance/pattern_guard.hpp"

#include <algorithm>
#include <chrono>

namespace gerbang::compliance {
namespace {

constexpr std::string_view kJuknisRule =
    " Juknis: pemasukan NIK \"tidak boleh dilakukan dengan cara berurutan, berpola, dan dalam "
    "waktu yang berdekatan\". Minta supervisor membuka satu pencarian bila memang diperlukan.";

constexpr std::uint64_t kPow10[17] = {1ULL,
                                      10ULL,
                                      100ULL,
                                      1000ULL,
                                      10000ULL,
                                      100000ULL,
                                      1000000ULL,
                                      10000000ULL,
                                      100000000ULL,
                                      1000000000ULL,
                                      10000000000ULL,
                                      100000000000ULL,
                                      1000000000000ULL,
                                      10000000000000ULL,
                                      100000000000000ULL,
                                      1000000000000000ULL,
                                      10000000000000000ULL};

bool toValue(std::string_view nik, std::uint64_t& out) {
  if (nik.size() != 16) return false;
  out = 0;
  for (char c : nik) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + std::uint64_t(c - '0');
  }
  return true;
}

std::string messageFor(std::string_view code, const plugin::PatternGuardPolicy& p) {
  std::string m = "Pencarian ditolak: ";
  if (code == "pattern_sequential")
    m += "NIK berurutan dengan NIK yang baru saja dicari.";
  else if (code == "pattern_progression")
    m += "NIK membentuk pola deret dengan pencarian sebelumnya.";
  else if (code == "pattern_prefix_walk")
    m += "terlalu banyak NIK dengan kode wilayah dan tanggal lahir yang sama.";
  else if (code == "pattern_rapid")
    m += "jarak dengan pencarian sebelumnya kurang dari " + std::to_string(p.minIntervalSeconds) +
         " detik.";
  else
    m += "lebih dari " + std::to_string(p.burstPerMinute) + " pencarian dalam satu menit.";
  m += kJuknisRule;
  return m;
}

}  // namespace

Status Decision::status() const {
  if (allowed) return Status::Ok();
  return Error{code, message, detail};
}

void PatternGuard::setPolicy(std::string agreementId, const plugin::PatternGuardPolicy& policy) {
  std::lock_guard lock(mu_);
  auto it = agreements_.find(agreementId);
  if (it == agreements_.end())
    it = agreements_.emplace(std::move(agreementId), AgreementState{}).first;
  it->second.policy = policy;
}

PatternGuard::AgreementState& PatternGuard::agreement(std::string_view id) {
  auto it = agreements_.find(id);
  if (it == agreements_.end()) it = agreements_.emplace(std::string(id), AgreementState{}).first;
  return it->second;
}

// The three rules over remembered NIK values. Returns the code of the first that matches,
// or nullptr.
const char* PatternGuard::windowRules(const Window& w, std::uint64_t value,
                                      const plugin::PatternGuardPolicy& p, std::string& detail) {
  if (p.window < 1 || w.entries.empty()) return nullptr;
  // Berurutan: same PPKKCCDDMMYY, serial close to one already looked up.
  if (p.serialDistance >= 1) {
    const std::uint64_t head = value / 10000, serial = value % 10000;
    for (const Entry& e : w.entries) {
      if (e.value == value || e.value / 10000 != head) continue;
      const std::uint64_t s = e.value % 10000;
      const std::uint64_t dist = s > serial ? s - serial : serial - s;
      if (dist <= std::uint64_t(p.serialDistance)) {
        detail = "serial within " + std::to_string(p.serialDistance) +
                 " of a recent NIK with the same first 12 digits";
        return "pattern_sequential";
      }
    }
  }
  // Berpola: the last progressionLength-1 lookups and this one step by the same amount.
  if (p.progressionLength >= 3 && w.entries.size() >= size_t(p.progressionLength - 1)) {
    const auto n = w.entries.size();
    const auto v = [](std::uint64_t x) { return static_cast<std::int64_t>(x); };
    const std::int64_t step = v(value) - v(w.entries[n - 1].value);
    bool progression = step != 0;
    for (size_t i = n - size_t(p.progressionLength - 1) + 1; progression && i < n; ++i)
      progression = v(w.entries[i].value) - v(w.entries[i - 1].value) == step;
    if (progression) {
      detail = std::to_string(p.progressionLength) + " NIKs in arithmetic progression";
      return "pattern_progression";
    }
  }
  // Berpola: walking one region + birth-day prefix with distinct NIKs.
  if (p.prefixRunLength >= 2 && p.prefixLength >= 1 && p.prefixLength <= 16) {
    const std::uint64_t div = kPow10[16 - p.prefixLength], prefix = value / div;
    std::vector<std::uint64_t> same;
    for (const Entry& e : w.entries)
      if (e.value != value && e.value / div == prefix) same.push_back(e.value);
    if (same.size() + 1 >= size_t(p.prefixRunLength)) {
      std::sort(same.begin(), same.end());
      same.erase(std::unique(same.begin(), same.end()), same.end());
      if (same.size() + 1 >= size_t(p.prefixRunLength)) {
        detail = std::to_string(same.size() + 1) + " distinct NIKs share the first " +
                 std::to_string(p.prefixLength) + " digits (limit " +
                 std::to_string(p.prefixRunLength) + ")";
        return "pattern_prefix_walk";
      }
    }
  }
  return nullptr;
}

Decision PatternGuard::check(const Attempt& a) {
  Decision d;
  std::uint64_t value = 0;
  if (!toValue(a.nik, value)) {
    d.allowed = false;
    d.code = "invalid_nik";
    d.message = "Data tidak ditemukan, NIK tidak sesuai format Dukcapil";
    d.detail = "pattern guard: NIK is not 16 digits";
    return d;
  }
  std::lock_guard lock(mu_);
  AgreementState& ag = agreement(a.agreementId);
  const plugin::PatternGuardPolicy& p = ag.policy;
  auto opIt = operators_.find(a.operatorId);
  const OperatorState* op = opIt == operators_.end() ? nullptr : &opIt->second;

  const char* code = nullptr;
  std::string detail;
  if (op != nullptr && (code = windowRules(op->window, value, p, detail)) != nullptr) {
    detail = "operator window: " + detail;
  } else if ((code = windowRules(ag.window, value, p, detail)) != nullptr) {
    detail = "agreement window: " + detail;
  } else if (op != nullptr && op->hasLast && p.minIntervalSeconds >= 1 &&
             a.time - op->last < std::chrono::seconds{p.minIntervalSeconds}) {
    code = "pattern_rapid";
    detail = "less than " + std::to_string(p.minIntervalSeconds) +
             " s since the operator's previous lookup";
  } else if (op != nullptr && p.burstPerMinute >= 1) {
    const auto from = a.time - std::chrono::seconds{60};
    const auto inMinute = std::count_if(op->lastMinute.begin(), op->lastMinute.end(),
                                        [&](TimePoint t) { return t > from && t <= a.time; });
    if (inMinute + 1 > p.burstPerMinute) {
      code = "pattern_burst";
      detail = std::to_string(inMinute + 1) + " lookups by the operator within 60 s (limit " +
               std::to_string(p.burstPerMinute) + ")";
    }
  }

  // Flags: the same person again today, or by another operator (per agreement, by HMAC).
  if (!a.nikHmac.empty() && ag.day == Date::jakartaDayOf(a.time)) {
    auto it = ag.persons.find(std::string(a.nikHmac));
    if (it != ag.persons.end()) {
      const PersonDay& pd = it->second;
      if (p.repeatSamePersonPerDay >= 1 && pd.count + 1 >= p.repeatSamePersonPerDay)
        d.flags.emplace_back(kFlagRepeatSamePerson);
      size_t ops = pd.operators.size();
      if (std::find(pd.operators.begin(), pd.operators.end(), a.operatorId) == pd.operators.end())
        ++ops;
      if (p.operatorsSamePersonPerDay >= 2 && ops >= size_t(p.operatorsSamePersonPerDay))
        d.flags.emplace_back(kFlagManyOperatorsSamePerson);
    }
  }

  if (code == nullptr) return d;
  d.allowed = false;
  d.code = code;
  d.message = messageFor(d.code, p);
  d.detail = std::move(detail);
  if (auto r = releases_.find(a.operatorId); r != releases_.end()) {
    d.allowed = true;
    d.released = true;
    d.releasedBy = std::move(r->second.supervisorId);
    d.releaseReason = std::move(r->second.reason);
    d.message = "Pencarian dibuka sekali oleh supervisor.";
    releases_.erase(r);
  }
  return d;
}

void PatternGuard::record(const Attempt& a) {
  std::uint64_t value = 0;
  if (!toValue(a.nik, value)) return;
  std::lock_guard lock(mu_);
  AgreementState& ag = agreement(a.agreementId);
  const plugin::PatternGuardPolicy& p = ag.policy;
  const size_t cap = p.window < 1 ? 0 : size_t(p.window);
  const auto push = [&](Window& w) {
    if (cap == 0) return;
    w.entries.push_back({value, a.time});
    while (w.entries.size() > cap) w.entries.pop_front();
  };
  push(ag.window);

  auto opIt = operators_.find(a.operatorId);
  if (opIt == operators_.end())
    opIt = operators_.emplace(std::string(a.operatorId), OperatorState{}).first;
  OperatorState& op = opIt->second;
  push(op.window);
  if (!op.hasLast || a.time > op.last) op.last = a.time;
  op.hasLast = true;
  op.lastMinute.push_back(a.time);
  const auto from = op.last - std::chrono::seconds{60};
  while (!op.lastMinute.empty() && op.lastMinute.front() <= from) op.lastMinute.pop_front();

  if (a.nikHmac.empty()) return;
  const Date day = Date::jakartaDayOf(a.time);
  if (ag.day != day) {
    // A new Jakarta day: yesterday's counts are forgotten.
    ag.persons.clear();
    ag.day = day;
  }
  PersonDay& pd = ag.persons[std::string(a.nikHmac)];
  ++pd.count;
  if (std::find(pd.operators.begin(), pd.operators.end(), a.operatorId) == pd.operators.end())
    pd.operators.emplace_back(a.operatorId);
}

Status PatternGuard::release(std::string_view operatorId, std::string_view supervisorId,
                             std::string_view reason) {
  const auto blank = [](std::string_view s) {
    return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
  };
  if (blank(operatorId) || blank(supervisorId))
    return Error{"release_invalid", "Operator dan supervisor wajib disebutkan.",
                 "release: empty operator or supervisor id"};
  if (operatorId == supervisorId)
    return Error{"release_invalid", "Supervisor tidak boleh membuka pencariannya sendiri.",
                 "release: supervisor is the operator"};
  if (blank(reason))
    return Error{"release_invalid", "Alasan pembukaan wajib ditulis.", "release: blank reason"};
  std::lock_guard lock(mu_);
  releases_.insert_or_assign(std::string(operatorId),
                             Release{std::string(supervisorId), std::string(reason)});
  return Status::Ok();
}

}  // namespace gerbang::compliance
