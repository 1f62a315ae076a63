#include "core/web/ui_supervise.hpp"

#include "core/web/web_app.hpp"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <cstdio>
#include <set>

namespace gerbang::web {
namespace {

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 200;
constexpr size_t kShortHmac = 12;

bool isSupervisor(const Request& req) {
  return req.principal && req.principal->role == Role::kSupervisor;
}

bool allOf(const std::string& s, const char* charset, size_t maxLen) {
  return !s.empty() && s.size() <= maxLen && s.find_first_not_of(charset) == std::string::npos;
}

std::string utcIso(TimePoint t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::seconds>(t - day)};
  char buf[16];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()));
  return Date(std::chrono::year_month_day{day}).iso() + buf;
}

Poco::JSON::Object chainJson(const ChainStatus& c) {
  Poco::JSON::Object o;
  o.set("ok", c.ok);
  o.set("verifiedSeq", c.verifiedSeq);
  o.set("headSeq", c.headSeq);
  o.set("badSeq", c.ok ? Poco::Dynamic::Var() : Poco::Dynamic::Var(c.badSeq));
  o.set("reason", c.reason);
  o.set("message", c.message);
  o.set("fullCheck", c.fullCheck);
  return o;
}

std::string shortHmac(const std::string& h) {
  return h.empty() ? "" : h.substr(0, kShortHmac);
}

// The audit view's query string, checked field by field (400 names the field).
struct AuditFilter {
  audit::AuditQuery q;
  bool full = false;
};

bool parseAuditFilter(const Request& req, bool supervisor, AuditFilter& f, Response& res) {
  static const std::set<std::string> kKnown{"day", "operator", "outcome", "before", "limit",
                                            "verify"};
  for (const auto& [k, v] : req.query)
    if (!kKnown.count(k)) {
      res.error(400, "invalid_field",
                "Parameter '" + k.substr(0, 32) +
                    "' tidak dikenal (yang boleh: day, operator, outcome, before, limit, verify).");
      return false;
    }
  f.q.agreement = req.param("id");
  f.q.limit = kDefaultLimit;
  auto it = req.query.find("day");
  if (it != req.query.end() && !it->second.empty()) {
    auto d = Date::parseIso(it->second);
    if (!d) {
      res.error(400, "invalid_field", "Parameter 'day' harus tanggal TTTT-BB-HH, mis. 2026-11-23.");
      return false;
    }
    f.q.day = *d;
  }
  it = req.query.find("operator");
  if (it != req.query.end() && !it->second.empty()) {
    if (!supervisor) {
      // Evaluators see compliance figures, not who looked up.
      res.error(400, "invalid_field",
                "Parameter 'operator' hanya untuk penanggung jawab; penilai melihat angka "
                "kepatuhan tanpa nama operator.");
      return false;
    }
    if (!allOf(it->second, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-",
               64)) {
      res.error(400, "invalid_field",
                "Parameter 'operator' harus ID operator (huruf, angka, titik, garis bawah, "
                "tanda hubung; paling panjang 64).");
      return false;
    }
    f.q.operatorId = it->second;
  }
  it = req.query.find("outcome");
  if (it != req.query.end() && !it->second.empty()) {
    if (!allOf(it->second, "abcdefghijklmnopqrstuvwxyz_", 40)) {
      res.error(400, "invalid_field",
                "Parameter 'outcome' harus kode hasil, mis. found atau pattern_blocked.");
      return false;
    }
    f.q.outcome = it->second;
  }
  it = req.query.find("before");
  if (it != req.query.end() && !it->second.empty()) {
    if (!allOf(it->second, "0123456789", 18) || std::stoll(it->second) < 1) {
      res.error(400, "invalid_field", "Parameter 'before' harus nomor urut catatan (angka ≥ 1).");
      return false;
    }
    f.q.beforeSeq = Poco::Int64(std::stoll(it->second));
  }
  it = req.query.find("limit");
  if (it != req.query.end() && !it->second.empty()) {
    const bool digits = allOf(it->second, "0123456789", 4);
    const int n = digits ? std::stoi(it->second) : 0;
    if (n < 1 || n > kMaxLimit) {
      res.error(400, "invalid_field",
                "Parameter 'limit' harus angka 1 sampai " + std::to_string(kMaxLimit) + ".");
      return false;
    }
    f.q.limit = n;
  }
  it = req.query.find("verify");
  if (it != req.query.end() && !it->second.empty()) {
    if (it->second != "full") {
      res.error(400, "invalid_field", "Parameter 'verify' hanya boleh bernilai \"full\".");
      return false;
    }
    f.full = true;
  }
  return true;
}

void auditView(UiServices& s, AuditChainWatch& chain, Request& req, Response& res) {
  const bool supervisor = isSupervisor(req);
  AuditFilter f;
  if (!parseAuditFilter(req, supervisor, f, res)) return;
  if (!s.agreements.find(req.param("id")))
    return res.error(404, "agreement_not_found", "Perjanjian tidak ditemukan.");
  auto status = chain.refresh(f.full);
  if (!status.ok()) return res.error(503, "audit_unavailable", "Log audit tidak dapat dibaca.");
  auto recs = s.audit.query(f.q);
  if (!recs.ok()) return res.error(503, "audit_unavailable", "Log audit tidak dapat dibaca.");
  Poco::JSON::Array rows;
  std::map<std::string, int> outcomes;
  for (const auto& r : *recs) {
    Poco::JSON::Object o;
    o.set("seq", r.seq);
    o.set("time", wibTime(r.at));
    o.set("at", utcIso(r.at));
    o.set("outcome", r.outcome);
    o.set("quotaAfter", r.quotaRemaining ? Poco::Dynamic::Var(*r.quotaRemaining) : Poco::Dynamic::Var());
    if (supervisor) {
      o.set("operator", r.operatorId);
      o.set("purposeRef", r.purposeRef);
      o.set("nik", shortHmac(r.nikHmac));
      Poco::JSON::Array el;
      for (const auto& e : r.elements) el.add(e);
      o.set("elements", el);
      o.set("detail", r.detail);
    } else {
      o.set("elementCount", int(r.elements.size()));
    }
    ++outcomes[r.outcome];
    rows.add(o);
  }
  Poco::JSON::Object out;
  out.set("view", supervisor ? "supervisor" : "evaluator");
  out.set("records", rows);
  out.set("nextBefore", int(recs->size()) == f.q.limit && !recs->empty()
                            ? Poco::Dynamic::Var(recs->back().seq)
                            : Poco::Dynamic::Var());
  Poco::JSON::Object oc;
  for (const auto& [k, v] : outcomes) oc.set(k, v);
  out.set("outcomes", oc);
  out.set("chain", chainJson(*status));
  res.json(200, out);
  res.setHeader("Cache-Control", "no-store");
}

// Operators under the agreement (sorted by user id).
Result<std::vector<op::Operator>> operatorsOf(UiServices& s, const std::string& id) {
  auto all = s.operators.list();
  if (!all.ok()) return all.error();
  std::vector<op::Operator> out;
  for (auto& o : *all)
    if (std::find(o.agreements.begin(), o.agreements.end(), id) != o.agreements.end())
      out.push_back(std::move(o));
  return out;
}

void releasesView(UiServices& s, Request& req, Response& res) {
  const std::string id = req.param("id");
  if (!s.agreements.find(id)) return res.error(404, "agreement_not_found", "Perjanjian tidak ditemukan.");
  auto ops = operatorsOf(s, id);
  if (!ops.ok()) return res.error(503, "store_unavailable", "Data operator tidak dapat dibaca.");
  std::vector<std::string> ids;
  for (const auto& o : *ops) ids.push_back(o.userId);
  auto rel = s.releases.list(ids, 100);
  if (!rel.ok()) return res.error(503, "store_unavailable", "Data pembukaan blokir tidak dapat dibaca.");
  Poco::JSON::Array releases;
  for (const auto& e : *rel) {
    Poco::JSON::Object o;
    o.set("id", e.release.id);
    o.set("operator", e.release.operatorId);
    o.set("supervisor", e.release.supervisorId);
    o.set("reason", e.release.reason);
    o.set("createdAt", wibTime(e.release.createdAt));
    using St = lookup::PatternReleases::Entry::State;
    o.set("state", e.state == St::kPending ? "pending" : e.state == St::kUsed ? "used" : "replaced");
    o.set("usedAt", e.usedAt ? Poco::Dynamic::Var(wibTime(*e.usedAt)) : Poco::Dynamic::Var());
    releases.add(o);
  }
  audit::AuditQuery q;
  q.agreement = id;
  q.outcome = "pattern_blocked";
  q.day = s.clock.today();
  q.limit = 200;
  auto blocks = s.audit.query(q);
  if (!blocks.ok()) return res.error(503, "audit_unavailable", "Log audit tidak dapat dibaca.");
  Poco::JSON::Array blocked;
  for (const auto& r : *blocks) {
    Poco::JSON::Object o;
    o.set("seq", r.seq);
    o.set("time", wibTime(r.at));
    o.set("operator", r.operatorId);
    o.set("nik", shortHmac(r.nikHmac));
    o.set("detail", r.detail);
    blocked.add(o);
  }
  Poco::JSON::Object out;
  out.set("today", s.clock.today().iso());
  out.set("releases", releases);
  out.set("blocksToday", blocked);
  res.json(200, out);
  res.setHeader("Cache-Control", "no-store");
}

void operatorsView(UiServices& s, const AccountStore& accounts, Request& req, Response& res) {
  const std::string id = req.param("id");
  if (!s.agreements.find(id)) return res.error(404, "agreement_not_found", "Perjanjian tidak ditemukan.");
  auto ops = operatorsOf(s, id);
  if (!ops.ok()) return res.error(503, "store_unavailable", "Data operator tidak dapat dibaca.");
  const auto webAccounts = accounts.list();
  Poco::JSON::Array list;
  for (const auto& o : *ops) {
    Poco::JSON::Object j;
    j.set("userId", o.userId);
    j.set("fullName", o.fullName);
    j.set("role", std::string(op::roleName(o.role)));
    j.set("active", o.active);
    if (o.nda) {
      Poco::JSON::Object nda;
      nda.set("number", o.nda->number);
      nda.set("date", o.nda->date.iso());
      j.set("nda", nda);
    } else {
      j.set("nda", Poco::Dynamic::Var());
    }
    // Which User ID application fields are missing, by label: never their values (the
    // operator's own NIK stays in the store, docs/compliance.md "Operator NIK").
    Poco::JSON::Array missing;
    for (const auto& m : op::OperatorRepository::missingUserIdFields(o)) missing.add(m);
    j.set("userIdFormComplete", missing.size() == 0);
    j.set("missingFields", missing);
    Poco::JSON::Array linked;
    for (const auto& a : webAccounts)
      if (a.operatorId && *a.operatorId == o.userId) linked.add(a.username);
    j.set("webAccounts", linked);
    list.add(j);
  }
  Poco::JSON::Object out;
  out.set("operators", list);
  auto sp = s.operators.sptjm(id);
  if (sp.ok()) {
    Poco::JSON::Object o;
    o.set("number", sp->number);
    o.set("date", sp->date.iso());
    o.set("signerName", sp->signerName);
    o.set("signerPosition", sp->signerPosition);
    out.set("sptjm", o);
  } else if (sp.error().code == "no_sptjm") {
    out.set("sptjm", Poco::Dynamic::Var());
  } else {
    return res.error(503, "store_unavailable", "Data SPTJM tidak dapat dibaca.");
  }
  res.json(200, out);
  res.setHeader("Cache-Control", "no-store");
}

}  // namespace

std::string wibTime(TimePoint t) {
  const auto local = t + kJakartaOffset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::seconds>(local - day)};
  char buf[24];
  std::snprintf(buf, sizeof buf, " %02d:%02d:%02d WIB", int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()));
  return Date(std::chrono::year_month_day{day}).iso() + buf;
}

void registerUiSuperviseRoutes(Router& router, UiServices& services, const AccountStore& accounts,
                               AuditChainWatch& chain) {
  UiServices* s = &services;
  const AccountStore* acc = &accounts;
  AuditChainWatch* ch = &chain;
  router.add({"GET", "/api/v1/agreements/{id}/audit", Access::kSession,
              {Role::kSupervisor, Role::kEvaluator}, "id",
              "Log audit pseudonim dengan hasil verifikasi rantai (penilai: angka saja)",
              [s, ch](Request& q, Response& r) { auditView(*s, *ch, q, r); }});
  router.add({"GET", "/api/v1/agreements/{id}/pattern-releases", Access::kSession,
              {Role::kSupervisor}, "id",
              "Daftar pembukaan blokir pola dan blokir pola hari ini",
              [s](Request& q, Response& r) { releasesView(*s, q, r); }});
  router.add({"GET", "/api/v1/agreements/{id}/operators", Access::kSession,
              {Role::kSupervisor, Role::kAdmin}, "id",
              "Operator perjanjian dengan NDA, SPTJM dan akun web (tanpa NIK operator)",
              [s, acc](Request& q, Response& r) { operatorsView(*s, *acc, q, r); }});
}

}  // namespace gerbang::web
