#include "core/web/ui_admin.hpp"

#include "core/web/web_app.hpp"

#include <Poco/JSON/Array.h>

#include <set>

namespace gerbang::web {
namespace {

constexpr size_t kMaxNumber = 100;

Poco::JSON::Array strings(const std::vector<std::string>& v) {
  Poco::JSON::Array a;
  for (const auto& s : v) a.add(s);
  return a;
}

Poco::JSON::Object adendumJson(const agreement::Adendum& a) {
  Poco::JSON::Object o;
  o.set("id", a.id);
  o.set("number", a.number);
  o.set("date", a.date.iso());
  o.set("end", a.newEnd ? Poco::Dynamic::Var(a.newEnd->iso()) : Poco::Dynamic::Var());
  o.set("quota", a.quotaPerDay ? Poco::Dynamic::Var(*a.quotaPerDay) : Poco::Dynamic::Var());
  o.set("pocPassed", a.pocPassed);
  o.set("elements", a.elements ? Poco::Dynamic::Var(strings(*a.elements)) : Poco::Dynamic::Var());
  o.set("addressParts",
        a.addressParts ? Poco::Dynamic::Var(strings(*a.addressParts)) : Poco::Dynamic::Var());
  o.set("recordedBy", a.recordedBy);
  return o;
}

Poco::JSON::Object termsJson(const agreement::Agreement& ag, Date today) {
  const auto t = ag.termsOn(today);
  const auto s = ag.status(today);
  Poco::JSON::Object o;
  o.set("id", ag.id());
  o.set("status", std::string(agreement::phaseName(s.phase)));
  o.set("endsOn", s.end.iso());
  o.set("daysLeft", s.daysLeft);
  o.set("accessAllowed", s.allowsAccess());
  o.set("quotaPerDay", t.quotaPerDay ? Poco::Dynamic::Var(*t.quotaPerDay) : Poco::Dynamic::Var());
  o.set("elements", strings(t.elements));
  o.set("addressParts", strings(t.addressParts));
  o.set("adendumNumbers", strings(t.adendumNumbers));
  return o;
}

void listAdenda(UiAdminServices& s, Request& req, Response& res) {
  auto ag = s.agreements.find(req.param("id"));
  if (!ag) return res.error(404, "agreement_not_found", "Perjanjian tidak ditemukan.");
  Poco::JSON::Array list;
  for (const auto& a : ag->adenda()) list.add(adendumJson(a));
  Poco::JSON::Object out;
  out.set("adenda", list);
  out.set("agreement", termsJson(*ag, s.agreements.today()));
  res.json(200, out);
}

// A date member: absent → nullopt in *out and true; present and valid → the date.
bool dateField(const Poco::JSON::Object& body, const std::string& name, bool required,
               std::optional<Date>& out, Response& res) {
  if (!body.has(name) || body.isNull(name)) {
    if (!required) return true;
    res.error(400, "invalid_field", "Kolom '" + name + "' wajib diisi (tanggal TTTT-BB-HH).");
    return false;
  }
  auto v = stringField(body, name, 10);
  std::optional<Date> d = v.ok() ? Date::parseIso(*v) : std::nullopt;
  if (!d) {
    res.error(400, "invalid_field", "Kolom '" + name + "' harus tanggal TTTT-BB-HH, mis. 2026-11-23.");
    return false;
  }
  out = d;
  return true;
}

bool listField(const Poco::JSON::Object& body, const std::string& name,
               std::optional<std::vector<std::string>>& out, Response& res) {
  if (!body.has(name) || body.isNull(name)) return true;
  auto arr = body.getArray(name);
  if (!arr || arr->size() == 0 || arr->size() > 32) {
    res.error(400, "invalid_field",
              "Kolom '" + name + "' harus daftar berisi 1 sampai 32 nama elemen, mis. [\"NIK\"].");
    return false;
  }
  std::vector<std::string> v;
  for (size_t i = 0; i < arr->size(); ++i) {
    const auto& item = arr->get(unsigned(i));
    std::string text = item.isString() ? item.toString() : "";
    if (text.empty() || text.size() > 40 ||
        text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789") != std::string::npos) {
      res.error(400, "invalid_field",
                "Kolom '" + name + "' berisi nama yang tidak sah (huruf besar dan garis bawah, "
                "mis. NAMA_LGKP).");
      return false;
    }
    v.push_back(std::move(text));
  }
  out = std::move(v);
  return true;
}

void addAdendum(UiAdminServices& s, Request& req, Response& res) {
  const std::string id = req.param("id");
  if (!s.agreements.find(id)) return res.error(404, "agreement_not_found", "Perjanjian tidak ditemukan.");
  auto parsed = parseJsonObject(req);
  if (!parsed.ok()) return res.error(400, parsed.error());
  const Poco::JSON::Object& body = **parsed;
  static const std::set<std::string> kKnown{"number", "date", "end", "quota",
                                            "pocPassed", "elements", "addressParts"};
  for (const auto& [k, v] : body)
    if (!kKnown.count(k))
      return res.error(400, "invalid_field",
                       "Kolom '" + k.substr(0, 32) +
                           "' tidak dikenal (yang boleh: number, date, end, quota, pocPassed, "
                           "elements, addressParts).");
  agreement::Adendum a;
  a.agencyId = id;
  auto number = stringField(body, "number", kMaxNumber);
  if (!number.ok()) return res.error(400, number.error());
  a.number = *number;
  std::optional<Date> date, end;
  if (!dateField(body, "date", true, date, res) || !dateField(body, "end", false, end, res)) return;
  a.date = *date;
  a.newEnd = end;
  if (body.has("quota") && !body.isNull("quota")) {
    const auto v = body.get("quota");
    // The same bounds as `gerbang adendum add --quota`.
    if (!v.isInteger() || v.convert<long long>() < 1 || v.convert<long long>() > 10'000'000)
      return res.error(400, "invalid_field",
                       "Kolom 'quota' harus bilangan bulat 1 sampai 10000000 (hit per hari).");
    a.quotaPerDay = int(v.convert<long long>());
  }
  if (body.has("pocPassed") && !body.isNull("pocPassed")) {
    const auto v = body.get("pocPassed");
    if (!v.isBoolean())
      return res.error(400, "invalid_field", "Kolom 'pocPassed' harus true atau false.");
    a.pocPassed = v.convert<bool>();
  }
  if (!listField(body, "elements", a.elements, res) ||
      !listField(body, "addressParts", a.addressParts, res))
    return;
  a.recordedBy = req.principal ? req.principal->username : "";
  auto r = s.agreements.addAdendum(a);
  if (!r.ok()) {
    const std::string& code = r.error().code;
    const int http = code == "adendum_invalid"     ? 400
                     : code == "adendum_duplicate" ? 409
                     : code == "agreement_unknown" ? 404
                                                   : 503;
    return res.error(http, r.error());
  }
  auto ag = s.agreements.find(id);
  Poco::JSON::Object out;
  out.set("adendum", adendumJson(*r));
  out.set("agreement", termsJson(*ag, s.agreements.today()));
  res.json(201, out);
}

void listPlugins(UiAdminServices& s, Request&, Response& res) {
  Poco::JSON::Array loaded;
  for (const plugin::LoadedPlugin* p : s.plugins.loaded()) {
    const auto& m = p->manifest();
    const auto [major, minor] = p->abiVersion();
    Poco::JSON::Object o;
    o.set("agencyId", m.agencyId);
    o.set("agencyName", m.agencyName);
    o.set("file", p->file().filename().string());
    o.set("abi", std::to_string(major) + "." + std::to_string(minor));
    o.set("schemaVersion", m.schemaVersion);
    o.set("pksNumbers", strings(m.pksNumbers));
    loaded.add(o);
  }
  Poco::JSON::Array refused;
  for (const plugin::Refusal& r : s.plugins.refused()) {
    Poco::JSON::Object o;
    o.set("file", r.file.filename().string());
    o.set("reason", r.reason);
    refused.add(o);
  }
  Poco::JSON::Object out;
  out.set("loaded", loaded);
  out.set("refused", refused);
  res.json(200, out);
}

}  // namespace

void registerUiAdminRoutes(Router& router, UiAdminServices& services) {
  UiAdminServices* s = &services;
  router.add({"GET", "/api/v1/agreements/{id}/adenda", Access::kSession,
              {Role::kAdmin, Role::kSupervisor}, "id",
              "Daftar Adendum perjanjian dan ketentuan yang berlaku hari ini",
              [s](Request& q, Response& r) { listAdenda(*s, q, r); }});
  router.add({"POST", "/api/v1/agreements/{id}/adenda", Access::kSession, {Role::kAdmin}, "id",
              "Mencatat Adendum (diperiksa seperti gerbang adendum add)",
              [s](Request& q, Response& r) { addAdendum(*s, q, r); }});
  router.add({"GET", "/api/v1/plugins", Access::kSession, {Role::kAdmin}, "",
              "Plugin perjanjian yang dimuat dan berkas yang ditolak beserta alasannya",
              [s](Request& q, Response& r) { listPlugins(*s, q, r); }});
}

}  // namespace gerbang::web
