#include "core/lookup/lookup_service.hpp"

#include "core/compliance/nik_format.hpp"
#include "core/plugin/loader.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>
#include <thread>

namespace gerbang::lookup {
namespace {

// Ids that reach the audit and logs come from callers; keep only well-formed ones.
bool idLike(std::string_view s, size_t max) {
  if (s.empty() || s.size() > max) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == '.';
  });
}

bool sixteenDigits(std::string_view s) {
  return s.size() == 16 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

std::string_view confirmationOutcome(portal::ConfirmationKind k) {
  switch (k) {
    case portal::ConfirmationKind::kDeceased:
      return outcome::kDeceased;
    case portal::ConfirmationKind::kDuplicate:
      return outcome::kDuplicate;
    case portal::ConfirmationKind::kNotFound:
      return outcome::kNotFound;
    case portal::ConfirmationKind::kInactive:
      return outcome::kInactive;
    case portal::ConfirmationKind::kInvalidFormat:
      return outcome::kInvalidNik;
  }
  return outcome::kRegistryUnreachable;
}

std::string_view refusalOutcome(portal::RefusalKind k) {
  switch (k) {
    case portal::RefusalKind::kLoginFailed:
      return outcome::kLoginFailed;
    case portal::RefusalKind::kQuotaExhausted:
      return outcome::kQuotaExhausted;
    case portal::RefusalKind::kAgencyInactive:
      return outcome::kAgencyInactive;
    case portal::RefusalKind::kUserInactive:
      return outcome::kUserInactive;
    case portal::RefusalKind::kIpMismatch:
      return outcome::kIpMismatch;
  }
  return outcome::kRegistryUnreachable;
}

}  // namespace

const char* channelName(Channel c) {
  switch (c) {
    case Channel::kCli:
      return "cli";
    case Channel::kRest:
      return "rest";
    case Channel::kCallNik:
      return "call_nik";
    case Channel::kPlugin:
      return "plugin";
    case Channel::kWeb:
      return "web";
    case Channel::kCard:
      return "card";
  }
  return "unknown";
}

std::string defaultMessage(std::string_view code) {
  static const std::map<std::string_view, std::string_view> kMessages = {
      {outcome::kFound, "Data ditemukan."},
      // 2025 juknis response texts.
      {outcome::kDeceased, "Data Ditemukan, Meninggal Dunia"},
      {outcome::kDuplicate, "Data Ditemukan, Data Ganda"},
      {outcome::kNotFound, "Data Tidak Ditemukan, NIK tidak terdapat di database Kependudukan"},
      {outcome::kInactive, "Data Ditemukan, Status Non Aktif silahkan hubungi Dinas Dukcapil"},
      {outcome::kInvalidNik, "Data Tidak Ditemukan, NIK tidak sesuai format Dukcapil"},
      {outcome::kQuotaExhausted, "Kuota akses hari ini telah habis"},
      {outcome::kLoginFailed,
       "Login Gagal: User ID atau kata sandi Dukcapil untuk perjanjian ini ditolak; hubungi "
       "administrator Gerbang"},
      {outcome::kAgencyInactive, "Instansi tidak aktif di Dukcapil; hubungi Dinas Dukcapil"},
      {outcome::kUserInactive, "User ID non aktif, silahkan menghubungi Admin"},
      {outcome::kIpMismatch, "IP Address Tidak Sesuai dengan yang didaftarkan di Dukcapil"},
      {outcome::kRegistryUnreachable,
       "Server Dukcapil tidak dapat dihubungi atau jawabannya rusak; coba lagi nanti"},
      {outcome::kAgreementUnknown, "Perjanjian tidak dikenal (plugin tidak dimuat)"},
      {outcome::kRegistryNotConfigured,
       "Akun Dukcapil (User ID) untuk perjanjian ini belum dikonfigurasi di Gerbang"},
      {outcome::kPurposeInvalid, "Nomor rujukan layanan tidak sah"},
      {outcome::kPatternBlocked,
       "Pencarian NIK tidak boleh dilakukan dengan cara berurutan, berpola, dan dalam waktu "
       "yang berdekatan"},
      {outcome::kStoreUnavailable, "Basis data Gerbang tidak dapat diakses; coba lagi"},
      {outcome::kAuditUnavailable,
       "Catatan audit tidak dapat disimpan; data tidak diberikan demi keamanan"},
      {outcome::kObligationUnavailable,
       "Kewajiban data balikan tidak dapat dicatat; data tidak diberikan"},
  };
  auto it = kMessages.find(code);
  return it == kMessages.end() ? std::string("Permintaan ditolak") : std::string(it->second);
}

struct LookupService::Attempt {
  const LookupRequest& req;
  TimePoint at;
  std::string agreement;  // for the audit: the id when well formed, else "(invalid)"
  std::string operatorId;  // for the audit: the id when well formed, else "(invalid)"
  std::string purposeRef;  // for the audit: only once the purpose guard accepted it
  std::string nikHmac;     // empty when the NIK is not 16 digits
  std::shared_ptr<const agreement::Agreement> agreementRecord;
  agreement::EffectiveTerms terms;
  std::string userId;  // the registry User ID of the agreement (quota key)
  std::optional<quota::Reservation> reservation;
  std::string auditNote;  // extra audit detail (pattern release, flags)
};

LookupService::LookupService(LookupDeps deps) : d_(deps) {
  for (const agreement::Agreement& a : d_.agreements.all()) {
    const plugin::Manifest& m = a.manifest();
    guard_.setPolicy(m.agencyId, m.patternGuard);
    try {
      purpose_.emplace(m.agencyId,
                       std::make_unique<compliance::PurposeGuard>(m.purposeReference));
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("agreement " + m.agencyId + ": purpose_reference: " + e.what());
    }
  }
}

LookupService::~LookupService() = default;

std::shared_ptr<const compliance::Minimiser> LookupService::minimiserFor(
    const agreement::EffectiveTerms& t) {
  std::lock_guard lock(minimisersMutex_);
  for (const CachedMinimiser& c : minimisers_)
    if (c.elements == t.elements && c.addressParts == t.addressParts) return c.minimiser;
  auto built = std::make_shared<const compliance::Minimiser>(t.elements, t.addressParts);
  if (minimisers_.size() >= 64) minimisers_.clear();  // adenda are few; a bound all the same
  minimisers_.push_back({t.elements, t.addressParts, built});
  return built;
}

void LookupService::fillQuotaForRefusal(Attempt& at, LookupAnswer& answer) {
  if (at.userId.empty() || !at.agreementRecord) return;
  if (!at.terms.quotaPerDay) {
    answer.quotaUnlimited = true;
    return;
  }
  auto r = d_.quota.remaining(at.agreement, at.userId, Date::jakartaDayOf(at.at),
                              at.terms.quotaPerDay);
  if (r.ok() && r.value()) answer.quotaRemaining = *r.value();
}

LookupAnswer LookupService::refuse(Attempt& at, std::string_view code, std::string message,
                                   std::string detail) {
  LookupAnswer a;
  a.outcome = std::string(code);
  a.message = message.empty() ? defaultMessage(code) : std::move(message);
  a.detail = std::move(detail);
  fillQuotaForRefusal(at, a);
  return finish(at, std::move(a));
}

LookupAnswer LookupService::finish(Attempt& at, LookupAnswer answer) {
  // Audit: one record per attempt, allowed or refused (issue 4 item 8; rule 6 of every PKS:
  // the agency answers for every access). The record holds the HMAC, never the NIK.
  audit::AuditRecord rec;
  rec.at = at.at;
  rec.agreement = at.agreement;
  rec.operatorId = at.operatorId;
  rec.purposeRef = at.purposeRef;
  rec.nikHmac = at.nikHmac;
  rec.outcome = answer.outcome;
  rec.elements = answer.elements;
  rec.quotaRemaining = answer.quotaRemaining;
  std::string detail = std::string("channel=") + channelName(at.req.channel);
  if (!answer.detail.empty()) detail += "; " + answer.detail;
  if (!at.auditNote.empty()) detail += "; " + at.auditNote;
  rec.detail = plugin::redactNiks(detail.substr(0, 2000));

  // Rule 5 of every PKS: data balikan for every person whose data was returned. The
  // obligation is opened in the audit record's own transaction: the record that data went
  // out and the duty it creates commit together, with one durable commit between them.
  audit::AuditLog::Companion openObligation;
  if (answer.hasData() && at.agreementRecord) {
    // Rule 5: card-reader use also requires balikan; a card-then-registry lookup says so.
    const obligation::Source source = at.req.channel == Channel::kCard
                                          ? obligation::Source::kCard
                                          : obligation::Source::kLookup;
    const int due = at.agreementRecord->manifest().balikan.dueDays;
    openObligation = [this, &at, source, due](store::WriterTransaction& tx, Poco::Int64) {
      d_.obligations.openWithin(tx, at.agreement, at.nikHmac, source, at.at, due);
    };
  }
  const bool withObligation = static_cast<bool>(openObligation);
  auto seq = d_.audit.append(std::move(rec), std::move(openObligation));
  if (!seq.ok() && withObligation && seq.error().code == "audit_companion_failed") {
    spdlog::error("lookup: obligation not recorded ({}); answer withheld: agreement={}",
                  seq.error().detail, at.agreement);
    audit::AuditRecord again;
    again.at = at.at;
    again.agreement = at.agreement;
    again.operatorId = at.operatorId;
    again.purposeRef = at.purposeRef;
    again.nikHmac = at.nikHmac;
    again.outcome = std::string(outcome::kObligationUnavailable);
    again.quotaRemaining = answer.quotaRemaining;
    again.detail = "data withheld: the balikan obligation could not be recorded";
    LookupAnswer failed;
    failed.outcome = std::string(outcome::kObligationUnavailable);
    failed.message = defaultMessage(outcome::kObligationUnavailable);
    failed.detail = "obligation: " + plugin::redactNiks(seq.error().detail);
    failed.quotaRemaining = answer.quotaRemaining;
    failed.quotaUnlimited = answer.quotaUnlimited;
    failed.quotaCounted = answer.quotaCounted;
    auto s2 = d_.audit.append(std::move(again));
    if (!s2.ok()) {
      failed.outcome = std::string(outcome::kAuditUnavailable);
      failed.message = defaultMessage(outcome::kAuditUnavailable);
    }
    failed.auditSeq = s2.ok() ? s2.value() : 0;
    return failed;
  }
  if (!seq.ok()) {
    // FAIL CLOSED: no durable audit record, no data.
    spdlog::error("lookup: audit append failed ({}); answer withheld: agreement={} operator={}",
                  seq.error().detail, at.agreement, at.operatorId);
    LookupAnswer failed;
    failed.outcome = std::string(outcome::kAuditUnavailable);
    failed.message = defaultMessage(outcome::kAuditUnavailable);
    failed.detail = "audit: " + seq.error().code;
    failed.quotaRemaining = answer.quotaRemaining;
    failed.quotaUnlimited = answer.quotaUnlimited;
    failed.quotaCounted = answer.quotaCounted;
    return failed;
  }
  answer.auditSeq = seq.value();
  spdlog::debug("lookup: agreement={} operator={} channel={} outcome={} audit={}", at.agreement,
                at.operatorId, channelName(at.req.channel), answer.outcome, answer.auditSeq);
  return answer;
}

LookupAnswer LookupService::lookup(const LookupRequest& req) {
  Attempt at{req, d_.clock.now(), {}, {}, {}, {}, {}, {}, {}, {}, {}};
  at.agreement = idLike(req.agreementId, 64) ? req.agreementId : "(invalid)";
  at.operatorId = idLike(req.operatorId, 64) ? req.operatorId : "(invalid)";
  if (sixteenDigits(req.nik)) {
    auto h = d_.hasher.hash(at.agreement, req.nik);
    if (h.ok()) at.nikHmac = std::move(h).value();
  }

  // 1. Agreement: exists, plugin loaded, within its term (rule 8: access stops at the end
  // of the term unless an Adendum extends it).
  // A busy embedded store (SQLite: one writer at a time, and the quota and audit writers
  // commit continuously under load) gets a few short retries before failing closed.
  for (int attempt = 0;; ++attempt) {
    try {
      at.agreementRecord = d_.agreements.current(req.agreementId);
      break;
    } catch (const std::exception& e) {
      if (attempt >= 8) return refuse(at, outcome::kStoreUnavailable, {}, "agreement: store");
      std::this_thread::sleep_for(std::chrono::milliseconds{5 * (attempt + 1)});
    }
  }
  if (!at.agreementRecord)
    return refuse(at, outcome::kAgreementUnknown,
                  "Perjanjian '" + at.agreement + "' tidak dikenal (plugin tidak dimuat)");
  const plugin::Manifest& m = at.agreementRecord->manifest();
  const Date today = Date::jakartaDayOf(at.at);
  at.terms = at.agreementRecord->termsOn(today);
  at.userId = d_.registry.userId(req.agreementId);
  agreement::AgreementStatus st = at.agreementRecord->status(today);
  const std::string pks = join(m.pksNumbers, " dan ");
  if (st.phase == agreement::Phase::kExpired)
    return refuse(at, outcome::kAgreementExpired,
                  "PKS " + m.shortName + " (Nomor " + pks + ") telah berakhir pada " +
                      st.end.dmy() +
                      "; akses ke data kependudukan ditutup sampai Adendum perpanjangan "
                      "ditandatangani dan dicatat di Gerbang",
                  "term ended " + st.end.iso());
  if (st.phase == agreement::Phase::kNotStarted)
    return refuse(at, outcome::kAgreementNotStarted,
                  "PKS " + m.shortName + " (Nomor " + pks + ") belum berlaku; akses dimulai " +
                      at.terms.start.dmy(),
                  "term starts " + at.terms.start.iso());

  // 2. Operator: active, member, NDA; the agreement's SPTJM (rule 7, juknis User ID).
  Status auth = d_.operators.authorize(req.operatorId, req.agreementId);
  for (int attempt = 1; !auth.ok() && auth.error().code == "store_unavailable" && attempt <= 8;
       ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds{5 * attempt});
    auth = d_.operators.authorize(req.operatorId, req.agreementId);
  }
  if (const Status& s = auth; !s.ok()) {
    const std::string& c = s.error().code;
    std::string_view code = c == "operator_unknown"    ? outcome::kOperatorUnknown
                            : c == "operator_disabled" ? outcome::kOperatorDisabled
                            : c == "not_member"        ? outcome::kNotMember
                            : c == "no_nda"            ? outcome::kNoNda
                            : c == "no_sptjm"          ? outcome::kNoSptjm
                                                       : outcome::kStoreUnavailable;
    return refuse(at, code, s.error().message, "operator: " + c);
  }

  // 3. Purpose (rule 1: access only for the agreement's purpose).
  auto pg = purpose_.find(req.agreementId);
  if (pg == purpose_.end())
    return refuse(at, outcome::kPurposeInvalid, {}, "no purpose guard for the agreement");
  if (Status s = pg->second->check(req.purposeRef); !s.ok())
    return refuse(at, outcome::kPurposeInvalid, s.error().message, s.error().detail);
  at.purposeRef = req.purposeRef;

  // 4. NIK format, local and free of quota.
  if (Status s = compliance::NikFormat::check(req.nik, today); !s.ok())
    return refuse(at, outcome::kInvalidNik, s.error().message, s.error().detail);

  // The registry account must exist before anything is counted against it.
  if (at.userId.empty())
    return refuse(at, outcome::kRegistryNotConfigured, {}, "no valid agreement." + at.agreement +
                                                               ".portal settings");

  // 5. Pattern guard (juknis: "tidak boleh dilakukan dengan cara berurutan, berpola, dan
  // dalam waktu yang berdekatan").
  compliance::Attempt ga{req.agreementId, req.operatorId, req.nik, at.nikHmac, at.at};
  compliance::Decision dec = guard_.check(ga);
  if (!dec.allowed) {
    auto rel = d_.releases.take(req.operatorId, at.at);
    if (rel.ok() && rel.value()) {
      const PatternRelease& r = *rel.value();
      if (guard_.release(req.operatorId, r.supervisorId, r.reason).ok()) dec = guard_.check(ga);
    }
    if (!dec.allowed) {
      // An alert for the supervisor: who and which rule, never the NIK.
      spdlog::warn("lookup: pattern guard blocked operator={} agreement={} rule={} ({})",
                   at.operatorId, at.agreement, dec.code, dec.detail);
      LookupAnswer a;
      a.outcome = std::string(outcome::kPatternBlocked);
      a.message = dec.message.empty() ? defaultMessage(outcome::kPatternBlocked) : dec.message;
      a.detail = dec.code + (dec.detail.empty() ? "" : ": " + dec.detail);
      a.flags = dec.flags;
      fillQuotaForRefusal(at, a);
      return finish(at, std::move(a));
    }
  }
  if (dec.released)
    at.auditNote = "released " + dec.code + " by " + dec.releasedBy + ": " + dec.releaseReason;
  if (!dec.flags.empty()) {
    spdlog::warn("lookup: pattern guard flags operator={} agreement={}: {}", at.operatorId,
                 at.agreement, join(dec.flags, ","));
    at.auditNote += std::string(at.auditNote.empty() ? "" : "; ") + "flags=" + join(dec.flags, ",");
  }

  // 6. Quota: reserved durably before the call, per User ID and Jakarta day; the limit from
  // the terms in force (a passed PoC lifts it where the juknis allows).
  auto res = d_.quota.reserve(at.agreement, at.userId, today, at.terms.quotaPerDay);
  if (!res.ok()) {
    if (res.error().code == "quota_exhausted") {
      LookupAnswer a;
      a.outcome = std::string(outcome::kQuotaExhausted);
      a.message = "Kuota akses hari ini telah habis (" +
                  std::to_string(at.terms.quotaPerDay.value_or(0)) +
                  " per hari per User ID); coba lagi besok setelah pukul 00.00 WIB";
      a.detail = "local: refused before the registry";
      a.quotaRemaining = 0;
      a.flags = dec.flags;
      return finish(at, std::move(a));
    }
    return refuse(at, outcome::kStoreUnavailable, {}, "quota: " + res.error().code);
  }
  at.reservation = std::move(res).value();
  guard_.record(ga);

  // 7. The registry.
  portal::CallNikResult r = d_.registry.callNik(req.agreementId, req.nik);

  LookupAnswer a;
  a.flags = dec.flags;
  a.quotaCounted = true;
  a.quotaUnlimited = !at.terms.quotaPerDay.has_value();
  a.quotaRemaining = at.reservation->remaining();
  if (auto* found = std::get_if<portal::Found>(&r)) {
    // 8. Minimise: only the elements and address parts in force (rule 1; Purbalingga never
    // sees NO_KK, nobody sees AGAMA).
    try {
      const auto mini = minimiserFor(at.terms);
      compliance::Minimised kept = mini->project(std::move(found->fields));
      a.data = std::move(kept.record);
      a.elements = std::move(kept.keptFields);
    } catch (const std::invalid_argument& e) {
      found->fields.clear();
      return refuse(at, outcome::kStoreUnavailable, {}, std::string("minimiser: ") + e.what());
    }
    a.outcome = std::string(outcome::kFound);
    a.message = defaultMessage(outcome::kFound);
  } else if (auto* c = std::get_if<portal::Confirmation>(&r)) {
    a.outcome = std::string(confirmationOutcome(c->kind));
    a.message = defaultMessage(a.outcome);
    a.registryText = c->text;
    a.registryCode = c->code;
    a.detail = "registry";
  } else if (auto* p = std::get_if<portal::ParameterRefusal>(&r)) {
    a.outcome = std::string(refusalOutcome(p->kind));
    a.message = defaultMessage(a.outcome);
    a.registryText = p->text;
    a.registryCode = p->code;
    a.detail = "registry";
    if (p->kind == portal::RefusalKind::kQuotaExhausted) a.quotaRemaining = 0;
    spdlog::warn("lookup: registry refused agreement={} user parameters: {}", at.agreement,
                 a.outcome);
  } else {
    const auto& f = std::get<portal::TransportFailure>(r);
    a.outcome = std::string(outcome::kRegistryUnreachable);
    a.message = defaultMessage(a.outcome);
    a.detail = std::string("transport: ") + portal::kindName(f.kind);
    if (f.httpStatus) a.detail += " " + std::to_string(f.httpStatus);
    // Give the hit back only when the request certainly never reached the registry: the
    // registry counts every request that reached it (quota is exact per User ID per day).
    if (!f.mayHaveReached && d_.quota.release(*at.reservation).ok()) {
      a.quotaCounted = false;
      a.detail += "; not sent, quota hit given back";
      if (a.quotaRemaining) a.quotaRemaining = *a.quotaRemaining + 1;
    } else {
      a.detail += "; may have reached the registry, hit counted";
    }
    spdlog::warn("lookup: registry call failed agreement={}: {}", at.agreement, a.detail);
  }
  return finish(at, std::move(a));
}

}  // namespace gerbang::lookup
