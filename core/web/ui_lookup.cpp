#include "core/web/ui_lookup.hpp"

#include "core/web/ui_crosscheck.hpp"
#include "core/web/web_app.hpp"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <set>

namespace gerbang::web {
namespace {

constexpr size_t kMaxField = 128;
constexpr size_t kMaxReason = 500;

// The linked operator of the signed-in account, or an answer saying there is none. Rule 7:
// every lookup is made by a named operator with an NDA on file; a web account without one
// cannot look up (the pipeline checks the NDA and membership itself).
bool linkedOperator(const Request& req, Response& res, std::string& operatorId) {
  if (!req.principal || !req.principal->operatorId || req.principal->operatorId->empty()) {
    res.error(403, "no_operator",
              "Akun web ini belum ditautkan ke data operator (NDA). Hubungi admin.");
    return false;
  }
  operatorId = *req.principal->operatorId;
  return true;
}

// The registry fields the agreement permits today (after adenda), for the cross-check list.
std::set<std::string> permittedElements(const agreement::Agreement& ag, Date today) {
  auto terms = ag.termsOn(today);
  return {terms.elements.begin(), terms.elements.end()};
}

void lookupForm(UiServices& s, Request& req, Response& res) {
  auto ag = s.agreements.find(req.param("id"));
  if (!ag) return res.error(404, "agreement_not_found", "Perjanjian tidak ditemukan.");
  const auto& pr = ag->manifest().purposeReference;
  Poco::JSON::Object out;
  Poco::JSON::Object purpose;
  purpose.set("label", pr.label);
  purpose.set("pattern", pr.pattern);
  purpose.set("example", pr.example);
  out.set("purpose", purpose);
  const auto permitted = permittedElements(*ag, s.clock.today());
  Poco::JSON::Array elements;
  for (const auto& e : permitted) elements.add(e);
  out.set("elements", elements);
  Poco::JSON::Array fields;
  for (const CrossCheckField& f : kCrossCheckFields) {
    if (!permitted.count(std::string(f.name))) continue;
    Poco::JSON::Object o;
    o.set("name", std::string(f.name));
    o.set("label", std::string(f.label));
    o.set("type", f.isDate ? "date" : "text");
    fields.add(o);
  }
  out.set("crossCheckFields", fields);
  const bool linked = req.principal && req.principal->operatorId && !req.principal->operatorId->empty();
  out.set("operator", linked ? Poco::Dynamic::Var(*req.principal->operatorId) : Poco::Dynamic::Var());
  bool pending = false;
  if (linked) {
    auto p = s.releases.pending(*req.principal->operatorId);
    pending = p.ok() && *p;
  }
  out.set("releasePending", pending);
  out.set("accessAllowed", ag->status(s.clock.today()).allowsAccess());
  res.json(200, out);
}

void doLookup(UiServices& s, Request& req, Response& res) {
  std::string operatorId;
  if (!linkedOperator(req, res, operatorId)) return;
  auto body = parseJsonObject(req);
  if (!body.ok()) return res.error(400, body.error());
  auto nik = stringField(**body, "nik", kMaxField);
  if (!nik.ok()) return res.error(400, nik.error());
  auto purpose = stringField(**body, "purpose", kMaxField);
  if (!purpose.ok()) return res.error(400, purpose.error());
  std::string mode = "data";
  if ((*body)->has("mode")) {
    auto m = stringField(**body, "mode", 8);
    if (!m.ok()) return res.error(400, m.error());
    mode = *m;
  }
  if (mode != "data" && mode != "check")
    return res.error(400, "invalid_field", "Kolom 'mode' harus \"data\" atau \"check\".");
  std::map<std::string, std::string> entered;
  if (mode == "check") {
    auto check = (*body)->getObject("check");
    if (!check || check->size() == 0)
      return res.error(400, "invalid_field",
                       "Mode pencocokan: kolom 'check' harus objek berisi minimal satu isian.");
    auto ag = s.agreements.find(req.param("id"));
    const auto permitted =
        ag ? permittedElements(*ag, s.clock.today()) : std::set<std::string>{};
    for (const auto& member : *check) {
      const std::string& name = member.first;
      const bool known = std::any_of(std::begin(kCrossCheckFields), std::end(kCrossCheckFields),
                                     [&](const CrossCheckField& f) { return f.name == name; });
      // Rule 1: a field the agreement does not permit cannot be compared either, or the
      // answer would reveal it one guess at a time.
      if (!known || !permitted.count(name))
        return res.error(400, "invalid_field",
                         "Kolom 'check." + name.substr(0, 32) +
                             "' tidak dapat dicocokkan pada perjanjian ini.");
      auto text = stringField(*check, name, kMaxField, false);
      if (!text.ok()) return res.error(400, text.error());
      if (!text->empty()) entered[name] = *text;
    }
    if (entered.empty())
      return res.error(400, "invalid_field", "Mode pencocokan: isi minimal satu kolom dokumen.");
  }
  lookup::LookupRequest lr;
  lr.agreementId = req.param("id");
  lr.operatorId = operatorId;
  lr.nik = *nik;
  lr.purposeRef = *purpose;
  lr.channel = lookup::Channel::kWeb;
  lookup::LookupAnswer a = s.lookups.lookup(lr);
  res.json(200, uiAnswerJson(a, mode == "check", entered));
  res.setHeader("Cache-Control", "no-store");
}

void addRelease(UiServices& s, Request& req, Response& res) {
  std::string supervisorId;
  if (!linkedOperator(req, res, supervisorId)) return;
  auto body = parseJsonObject(req);
  if (!body.ok()) return res.error(400, body.error());
  auto op = stringField(**body, "operator", 64);
  if (!op.ok()) return res.error(400, op.error());
  auto reason = stringField(**body, "reason", kMaxReason);
  if (!reason.ok()) return res.error(400, reason.error());
  // Only an operator of this agreement (tenant isolation: another agency's operator is
  // answered exactly like one that does not exist).
  auto who = s.operators.find(*op);
  const std::string agreementId = req.param("id");
  if (!who.ok() || std::find(who->agreements.begin(), who->agreements.end(), agreementId) ==
                       who->agreements.end())
    return res.error(404, "operator_not_found", "Operator tidak ditemukan pada perjanjian ini.");
  Status st = s.releases.add(*op, supervisorId, *reason, s.clock.now());
  if (!st.ok())
    return res.error(st.error().code == "release_invalid" ? 400 : 503, st.error());
  Poco::JSON::Object out;
  out.set("operator", *op);
  out.set("supervisor", supervisorId);
  out.set("pending", true);
  out.set("message",
          "Pembukaan blokir dicatat: pencarian berikutnya operator ini yang tertahan pola "
          "akan diteruskan satu kali dan dicatat di log audit.");
  res.json(201, out);
}

// The agreement's own screens (manifest screens[]): form specs the page renders. The
// field a plugin marks as type "nik" is the NIK; the field whose pattern is the purpose
// reference's is the service reference; both feed POST .../lookups.
void pluginScreens(UiServices& s, Request& req, Response& res) {
  auto ag = s.agreements.find(req.param("id"));
  if (!ag) return res.error(404, "agreement_not_found", "Perjanjian tidak ditemukan.");
  const auto& m = ag->manifest();
  Poco::JSON::Array screens;
  for (const auto& sc : m.screens) {
    Poco::JSON::Object o;
    o.set("id", sc.id);
    o.set("title", sc.title);
    o.set("description", sc.description);
    o.set("feeds", sc.feeds);
    // A screen that names a plugin route submits there (core/agency mounts it under
    // /api/v1/agencies/{id}/); otherwise to POST .../lookups.
    o.set("route", Poco::Dynamic::Var());
    for (const auto& rt : m.routes)
      if (!sc.route.empty() && rt.id == sc.route) {
        Poco::JSON::Object ro;
        ro.set("id", rt.id);
        ro.set("method", rt.method);
        ro.set("path", "/api/v1/agencies/" + m.agencyId + "/" + rt.path);
        o.set("route", ro);
      }
    Poco::JSON::Array fields;
    for (const auto& f : sc.fields) {
      Poco::JSON::Object fo;
      fo.set("name", f.name);
      fo.set("label", f.label);
      fo.set("type", f.type);
      fo.set("required", f.required);
      fo.set("pattern", f.pattern);
      Poco::JSON::Array opts;
      for (const auto& v : f.options) opts.add(v);
      fo.set("options", opts);
      std::string role;
      if (f.type == "nik") role = "nik";
      else if (!f.pattern.empty() && f.pattern == m.purposeReference.pattern) role = "purpose";
      fo.set("feeds", role);
      fields.add(fo);
    }
    o.set("fields", fields);
    screens.add(o);
  }
  Poco::JSON::Object out;
  out.set("screens", screens);
  res.json(200, out);
}

}  // namespace

Poco::JSON::Object uiAnswerJson(const lookup::LookupAnswer& a, bool checkMode,
                                const std::map<std::string, std::string>& entered) {
  Poco::JSON::Object out;
  out.set("outcome", a.outcome);
  out.set("message", a.message);
  out.set("detail", a.detail);
  out.set("mode", checkMode ? "check" : "data");
  out.set("blocked", a.outcome == lookup::outcome::kPatternBlocked);
  out.set("quotaRemaining",
          a.quotaRemaining ? Poco::Dynamic::Var(*a.quotaRemaining) : Poco::Dynamic::Var());
  out.set("quotaUnlimited", a.quotaUnlimited);
  out.set("quotaCounted", a.quotaCounted);
  out.set("auditSeq", a.auditSeq);
  Poco::JSON::Array flags;
  for (const auto& f : a.flags) flags.add(f);
  out.set("flags", flags);
  if (checkMode) {
    // The juknis cross-check: results only, never the registry's values.
    Poco::JSON::Array checks;
    if (a.hasData())
      for (const CheckResult& r : crossCheck(a.data, entered)) {
        Poco::JSON::Object o;
        o.set("field", r.field);
        o.set("label", r.label);
        o.set("result", r.result);
        checks.add(o);
      }
    out.set("checks", checks);
    out.set("data", Poco::Dynamic::Var());
  } else {
    if (a.hasData()) {
      Poco::JSON::Object data;
      for (const auto& [k, v] : a.data) data.set(k, v);
      out.set("data", data);
    } else {
      out.set("data", Poco::Dynamic::Var());
    }
    Poco::JSON::Array elements;
    for (const auto& e : a.elements) elements.add(e);
    out.set("elements", elements);
  }
  return out;
}

void registerUiLookupRoutes(Router& router, UiServices& services) {
  UiServices* s = &services;
  router.add({"GET", "/api/v1/agreements/{id}/lookup-form", Access::kSession, kStaffRoles, "id",
              "Isian layar pencarian: label rujukan layanan, kolom pencocokan",
              [s](Request& q, Response& r) { lookupForm(*s, q, r); }});
  router.add({"POST", "/api/v1/agreements/{id}/lookups", Access::kSession,
              {Role::kOperator, Role::kSupervisor}, "id",
              "Pencarian NIK dari layar operator (data terbatas atau pencocokan dokumen)",
              [s](Request& q, Response& r) { doLookup(*s, q, r); }});
  router.add({"GET", "/api/v1/agreements/{id}/screens", Access::kSession, kStaffRoles, "id",
              "Layar khusus perjanjian (formulir dari manifest plugin)",
              [s](Request& q, Response& r) { pluginScreens(*s, q, r); }});
  router.add({"POST", "/api/v1/agreements/{id}/pattern-releases", Access::kSession,
              {Role::kSupervisor}, "id",
              "Penanggung jawab membuka blokir pola untuk satu pencarian berikutnya",
              [s](Request& q, Response& r) { addRelease(*s, q, r); }});
}

}  // namespace gerbang::web
