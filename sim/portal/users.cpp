#include "sim/portal/users.hpp"

#include "sim/portal/json_out.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <set>
#include <stdexcept>

namespace gerbang::sim::portal {
namespace {

using Poco::JSON::Object;

[[noreturn]] void bad(const std::string& where, const std::string& what) {
  throw std::runtime_error("portal-sim config: " + where + ": " + what);
}

std::string getString(const Object::Ptr& o, const std::string& key, const std::string& where,
                      const std::string& def) {
  if (!o->has(key)) return def;
  auto v = o->get(key);
  if (!v.isString()) bad(where + "." + key, "expected a string");
  return v.toString();
}
bool getBool(const Object::Ptr& o, const std::string& key, const std::string& where, bool def) {
  if (!o->has(key)) return def;
  auto v = o->get(key);
  if (!v.isBoolean()) bad(where + "." + key, "expected true or false");
  return v.convert<bool>();
}
int getInt(const Object::Ptr& o, const std::string& key, const std::string& where, int def) {
  if (!o->has(key)) return def;
  auto v = o->get(key);
  if (!v.isInteger()) bad(where + "." + key, "expected an integer");
  return v.convert<int>();
}

Fault faultFrom(const Object::Ptr& o, const std::string& where) {
  static const std::set<std::string> kKeys = {"kind", "user_id", "count", "latency_ms"};
  for (const auto& k : o->getNames())
    if (!kKeys.count(k)) bad(where, "unknown key '" + k + "'");
  Fault f;
  auto kind = parseFaultKind(getString(o, "kind", where, ""));
  if (!kind)
    bad(where + ".kind",
        "expected latency, timeout, reset, http500, http503, malformed, truncated or close");
  f.kind = *kind;
  f.userId = getString(o, "user_id", where, "");
  f.count = getInt(o, "count", where, 1);
  f.latencyMs = getInt(o, "latency_ms", where, f.kind == Fault::Kind::kTimeout ? 60000 : 0);
  if (f.count == 0 || f.count < -1) bad(where + ".count", "expected a positive count or -1");
  if (f.latencyMs < 0) bad(where + ".latency_ms", "must not be negative");
  return f;
}

Object::Ptr parseObject(const std::string& json, const std::string& where) {
  try {
    Poco::JSON::Parser p;
    auto v = p.parse(json);
    auto o = v.extract<Object::Ptr>();
    if (!o) bad(where, "expected a JSON object");
    return o;
  } catch (const Poco::BadCastException&) {
    bad(where, "expected a JSON object");
  } catch (const Poco::Exception& e) {
    bad(where, "not JSON: " + e.displayText());
  }
}

}  // namespace

const char* faultName(Fault::Kind k) {
  switch (k) {
    case Fault::Kind::kLatency: return "latency";
    case Fault::Kind::kTimeout: return "timeout";
    case Fault::Kind::kReset: return "reset";
    case Fault::Kind::kHttp500: return "http500";
    case Fault::Kind::kHttp503: return "http503";
    case Fault::Kind::kMalformed: return "malformed";
    case Fault::Kind::kTruncated: return "truncated";
    case Fault::Kind::kClose: return "close";
    case Fault::Kind::kFormatRefused: return "format_refused";
  }
  return "?";
}

std::optional<Fault::Kind> parseFaultKind(const std::string& s) {
  for (auto k : {Fault::Kind::kLatency, Fault::Kind::kTimeout, Fault::Kind::kReset,
                 Fault::Kind::kHttp500, Fault::Kind::kHttp503, Fault::Kind::kMalformed,
                 Fault::Kind::kTruncated, Fault::Kind::kClose, Fault::Kind::kFormatRefused})
    if (s == faultName(k)) return k;
  return std::nullopt;
}

const std::vector<std::string>& allFields() {
  static const std::vector<std::string> kAll = {
      "NO_KK", "NIK", "NAMA_LGKP", "TMPT_LHR", "TGL_LHR", "JENIS_KLMIN", "STATUS_KAWIN",
      "JENIS_PKRJN", "ALAMAT", "NO_RT", "NO_RW", "NO_PROP", "PROP_NAME", "NO_KAB", "KAB_NAME",
      "NO_KEC", "KEC_NAME", "NO_KEL", "KEL_NAME", "KODE_POS", "AGAMA", "NAMA_LGKP_IBU",
      "GOL_DARAH", "PDDK_AKH", "STAT_HBKEL", "EKTP_STATUS", "NO_AKTA_LHR"};
  return kAll;
}

Fault parseFault(const std::string& json) { return faultFrom(parseObject(json, "fault"), "fault"); }

std::vector<SimUser> parseUsers(const std::string& json) {
  Object::Ptr root = parseObject(json, "root");
  for (const auto& k : root->getNames())
    if (k != "users") bad("root", "unknown key '" + k + "'");
  auto arr = root->getArray("users");
  if (!arr) bad("root.users", "expected an array of users");
  static const std::set<std::string> kKeys = {
      "user_id", "password", "lembaga", "client_ip", "institution_active", "user_active",
      "daily_quota", "fields", "respon_key", "send_code", "text_case", "double_spaces",
      "login_text", "numbers", "extra_fields", "faults"};
  std::vector<SimUser> users;
  std::set<std::string> ids;
  for (size_t i = 0; i < arr->size(); ++i) {
    std::string where = "users[" + std::to_string(i) + "]";
    Object::Ptr o = arr->getObject(unsigned(i));
    if (!o) bad(where, "expected an object");
    for (const auto& k : o->getNames())
      if (!kKeys.count(k)) bad(where, "unknown key '" + k + "'");
    SimUser u;
    u.userId = getString(o, "user_id", where, "");
    u.password = getString(o, "password", where, "");
    if (u.userId.empty()) bad(where + ".user_id", "missing or empty");
    if (u.password.empty()) bad(where + ".password", "missing or empty");
    if (!ids.insert(u.userId).second) bad(where + ".user_id", "repeats an earlier user");
    u.lembaga = getString(o, "lembaga", where, "");
    u.clientIp = getString(o, "client_ip", where, u.clientIp);
    u.institutionActive = getBool(o, "institution_active", where, true);
    u.userActive = getBool(o, "user_active", where, true);
    u.dailyQuota = getInt(o, "daily_quota", where, u.dailyQuota);
    if (u.dailyQuota < -1) bad(where + ".daily_quota", "expected >= 0 or -1 (unlimited)");
    if (o->has("fields")) {
      auto f = o->getArray("fields");
      if (!f) bad(where + ".fields", "expected an array of field names");
      for (size_t k = 0; k < f->size(); ++k) {
        std::string name = f->get(unsigned(k)).toString();
        bool known = false;
        for (const auto& a : allFields()) known = known || a == name;
        if (!known) bad(where + ".fields[" + std::to_string(k) + "]", "unknown field '" + name + "'");
        u.fields.push_back(name);
      }
    }
    u.responKey = getString(o, "respon_key", where, u.responKey);
    if (u.responKey != "RESPON" && u.responKey != "RESPONSE")
      bad(where + ".respon_key", "expected RESPON or RESPONSE");
    u.sendCode = getBool(o, "send_code", where, true);
    u.textCase = getString(o, "text_case", where, u.textCase);
    if (u.textCase != "as_is" && u.textCase != "upper" && u.textCase != "lower")
      bad(where + ".text_case", "expected as_is, upper or lower");
    u.doubleSpaces = getBool(o, "double_spaces", where, false);
    u.loginText = getString(o, "login_text", where, u.loginText);
    u.numbers = getBool(o, "numbers", where, false);
    if (o->has("extra_fields")) {
      auto x = o->getObject("extra_fields");
      if (!x) bad(where + ".extra_fields", "expected an object of strings");
      for (const auto& k : x->getNames()) u.extraFields.emplace_back(k, x->get(k).toString());
    }
    if (o->has("faults")) {
      auto fa = o->getArray("faults");
      if (!fa) bad(where + ".faults", "expected an array");
      for (size_t k = 0; k < fa->size(); ++k) {
        Object::Ptr fo = fa->getObject(unsigned(k));
        std::string fw = where + ".faults[" + std::to_string(k) + "]";
        if (!fo) bad(fw, "expected an object");
        Fault f = faultFrom(fo, fw);
        f.userId = u.userId;
        u.faults.push_back(f);
      }
    }
    users.push_back(std::move(u));
  }
  if (users.empty()) bad("root.users", "no users configured");
  return users;
}

std::vector<SimUser> defaultUsers() {
  // Synthetic credentials matching config/ of the demo: one User ID per agreement, with
  // the agreement's daily quota (DOMAIN.md: 75, 200, 1,000 hits/day).
  SimUser jabar;
  jabar.userId = "jabar-disnakertrans-01";
  jabar.password = "sim-jabar-rahasia";
  jabar.lembaga = "DISNAKERTRANS_JABAR";
  jabar.dailyQuota = 75;
  SimUser pbg;
  pbg.userId = "purbalingga-dinnaker-01";
  pbg.password = "sim-purbalingga-rahasia";
  pbg.lembaga = "DINNAKER_PURBALINGGA";
  pbg.dailyQuota = 200;
  SimUser kra;
  kra.userId = "karanganyar-ak1-01";
  kra.password = "sim-karanganyar-rahasia";
  kra.lembaga = "DISDAGNAKERKOP_KARANGANYAR";
  kra.dailyQuota = 1000;
  return {jabar, pbg, kra};
}

std::string usersToJson(const std::vector<SimUser>& users) {
  std::string out = "{\"users\":[";
  for (size_t i = 0; i < users.size(); ++i) {
    const SimUser& u = users[i];
    if (i) out += ",";
    out += "{\"user_id\":" + jsonQuote(u.userId) + ",\"password\":" + jsonQuote(u.password) +
           ",\"lembaga\":" + jsonQuote(u.lembaga) + ",\"client_ip\":" + jsonQuote(u.clientIp) +
           ",\"institution_active\":" + (u.institutionActive ? "true" : "false") +
           ",\"user_active\":" + (u.userActive ? "true" : "false") +
           ",\"daily_quota\":" + std::to_string(u.dailyQuota) + ",\"fields\":[";
    const auto& fields = u.fields.empty() ? allFields() : u.fields;
    for (size_t k = 0; k < fields.size(); ++k) out.append(k ? "," : "").append(jsonQuote(fields[k]));
    out += "]}";
  }
  return out + "]}";
}

}  // namespace gerbang::sim::portal
