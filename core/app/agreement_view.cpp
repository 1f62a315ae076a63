#include "core/app/agreement_view.hpp"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Timestamp.h>

namespace gerbang::app {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string phaseLabel(agreement::Phase p) {
  switch (p) {
    case agreement::Phase::kNotStarted:
      return "belum berlaku";
    case agreement::Phase::kActive:
      return "aktif";
    case agreement::Phase::kExpiring:
      return "segera berakhir";
    case agreement::Phase::kExpired:
      return "berakhir";
  }
  return "?";
}

std::string quotaLabel(const std::optional<int>& perDay) {
  return perDay ? std::to_string(*perDay) : "tanpa batas";
}

std::string joined(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

Array::Ptr jsonArray(const std::vector<std::string>& items) {
  Array::Ptr a = new Array;
  for (const auto& i : items) a->add(i);
  return a;
}

void printJson(std::ostream& out, const Poco::Dynamic::Var& value) {
  Poco::JSON::Stringifier::stringify(value, out, 2);
  out << "\n";
}

Object::Ptr agreementJson(const agreement::Agreement& a, Date today) {
  const plugin::Manifest& m = a.manifest();
  agreement::EffectiveTerms t = a.termsOn(today);
  agreement::AgreementStatus s = a.status(today);
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("id", m.agencyId);
  o->set("agency", m.agencyName);
  o->set("short_name", m.shortName);
  o->set("pks_numbers", jsonArray(m.pksNumbers));
  o->set("juknis_numbers", jsonArray(m.juknisNumbers));
  o->set("signed", m.signedOn.iso());
  o->set("start", t.start.iso());
  o->set("end_date", t.end.iso());
  o->set("original_end", m.end.iso());
  o->set("status", std::string(agreement::phaseName(s.phase)));
  o->set("days_left", s.daysLeft);
  o->set("allows_access", s.allowsAccess());
  if (t.quotaPerDay)
    o->set("quota_per_day", *t.quotaPerDay);
  else
    o->set("quota_per_day", Poco::Dynamic::Var());  // null: unlimited
  o->set("poc_passed", t.pocPassed);
  o->set("elements", jsonArray(t.elements));
  o->set("address_parts", jsonArray(t.addressParts));
  o->set("access_methods", jsonArray(m.accessMethods));
  std::vector<std::string> fields;
  for (const auto& f : m.balikan.fields) fields.push_back(f.name);
  o->set("balikan_fields", jsonArray(fields));
  o->set("balikan_methods", jsonArray(m.balikan.methods));
  o->set("balikan_due_days", m.balikan.dueDays);
  o->set("adenda", jsonArray(t.adendumNumbers));
  return o;
}

Object::Ptr adendumJson(const agreement::Adendum& a) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  auto orNull = [&](const char* key, auto&& opt, auto&& convert) {
    if (opt)
      o->set(key, convert(*opt));
    else
      o->set(key, Poco::Dynamic::Var());
  };
  o->set("agreement", a.agencyId);
  o->set("number", a.number);
  o->set("date", a.date.iso());
  orNull("new_end", a.newEnd, [](const Date& d) { return d.iso(); });
  orNull("quota_per_day", a.quotaPerDay, [](int q) { return q; });
  o->set("poc_passed", a.pocPassed);
  orNull("elements", a.elements, [](const std::vector<std::string>& v) { return jsonArray(v); });
  orNull("address_parts", a.addressParts,
         [](const std::vector<std::string>& v) { return jsonArray(v); });
  o->set("recorded_by", a.recordedBy);
  Poco::Timestamp ts(a.recordedAt.time_since_epoch().count());
  o->set("recorded_at", Poco::DateTimeFormatter::format(ts, Poco::DateTimeFormat::ISO8601_FORMAT));
  return o;
}

}  // namespace gerbang::app
