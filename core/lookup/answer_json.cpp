#include "core/lookup/answer_json.hpp"

#include <Poco/JSON/Array.h>

#include <set>
#include <sstream>

namespace gerbang::lookup {
namespace {

std::string stringify(const Poco::JSON::Object& o) {
  std::ostringstream s;
  o.stringify(s);
  return s.str();
}

Poco::JSON::Object pageEnvelope(Poco::JSON::Array::Ptr content) {
  Poco::JSON::Object o(true);
  o.set("content", content);
  o.set("lastPage", true);
  o.set("numberOfElements", 1);
  o.set("sort", Poco::Dynamic::Var());
  o.set("totalElements", 1);
  o.set("firstPage", true);
  o.set("number", 0);
  o.set("size", 1);
  return o;
}

// RESPONSE_CODE of the 2025 juknis for outcomes that have one.
std::string codeFor(std::string_view outcomeCode) {
  if (outcomeCode == outcome::kDeceased) return "11";
  if (outcomeCode == outcome::kDuplicate) return "12";
  if (outcomeCode == outcome::kNotFound) return "13";
  if (outcomeCode == outcome::kInactive) return "14";
  if (outcomeCode == outcome::kInvalidNik) return "15";
  if (outcomeCode == outcome::kQuotaExhausted) return "05";
  return "";
}

}  // namespace

Poco::JSON::Object answerJson(const LookupAnswer& a) {
  Poco::JSON::Object o(true);
  o.set("outcome", a.outcome);
  o.set("message", a.message);
  if (!a.detail.empty()) o.set("detail", a.detail);
  if (a.hasData()) {
    Poco::JSON::Object data(true);
    for (const auto& [k, v] : a.data) data.set(k, v);
    o.set("data", data);
  } else {
    o.set("data", Poco::Dynamic::Var());
  }
  Poco::JSON::Array elements;
  for (const auto& e : a.elements) elements.add(e);
  o.set("elements", elements);
  if (a.quotaRemaining)
    o.set("quota_remaining", *a.quotaRemaining);
  else
    o.set("quota_remaining", Poco::Dynamic::Var());
  o.set("quota_unlimited", a.quotaUnlimited);
  o.set("quota_counted", a.quotaCounted);
  o.set("audit_seq", a.auditSeq);
  Poco::JSON::Array flags;
  for (const auto& f : a.flags) flags.add(f);
  o.set("flags", flags);
  return o;
}

std::string callNikResponse(const LookupAnswer& a) {
  Poco::JSON::Array::Ptr content(new Poco::JSON::Array);
  if (a.hasData()) {
    Poco::JSON::Object rec(true);
    for (const auto& [k, v] : a.data) rec.set(k, v);
    content->add(rec);
  } else {
    Poco::JSON::Object r(true);
    r.set("RESPON", a.registryText.empty() ? a.message : a.registryText);
    std::string code = a.registryCode.empty() ? codeFor(a.outcome) : a.registryCode;
    if (!code.empty()) r.set("RESPONSE_CODE", code);
    content->add(r);
  }
  Poco::JSON::Object o = pageEnvelope(content);
  if (a.quotaRemaining) o.set("quotaLimiter", *a.quotaRemaining);
  o.set("GERBANG_OUTCOME", a.outcome);
  return stringify(o);
}

std::string callNikRefusal(std::string_view outcomeCode, std::string_view respon) {
  Poco::JSON::Array::Ptr content(new Poco::JSON::Array);
  Poco::JSON::Object r(true);
  r.set("RESPON", std::string(respon));
  content->add(r);
  Poco::JSON::Object o = pageEnvelope(content);
  o.set("GERBANG_OUTCOME", std::string(outcomeCode));
  return stringify(o);
}

int httpStatusFor(const LookupAnswer& a) {
  const std::string& c = a.outcome;
  static const std::set<std::string_view> k200 = {outcome::kFound, outcome::kDeceased,
                                                  outcome::kDuplicate, outcome::kNotFound,
                                                  outcome::kInactive};
  if (k200.count(c)) return 200;
  if (c == outcome::kInvalidNik) return a.quotaCounted ? 200 : 422;
  if (c == outcome::kPurposeInvalid) return 422;
  if (c == outcome::kQuotaExhausted || c == outcome::kPatternBlocked) return 429;
  static const std::set<std::string_view> k403 = {
      outcome::kAgreementUnknown, outcome::kAgreementExpired, outcome::kAgreementNotStarted,
      outcome::kOperatorUnknown,  outcome::kOperatorDisabled, outcome::kNotMember,
      outcome::kNoNda,            outcome::kNoSptjm};
  if (k403.count(c)) return 403;
  static const std::set<std::string_view> k502 = {
      outcome::kLoginFailed, outcome::kAgencyInactive,       outcome::kUserInactive,
      outcome::kIpMismatch,  outcome::kRegistryUnreachable, outcome::kRegistryNotConfigured};
  if (k502.count(c)) return 502;
  return 503;
}

}  // namespace gerbang::lookup

namespace gerbang::lookup {
std::string toJsonText(const LookupAnswer& a) { return stringify(answerJson(a)); }
}  // namespace gerbang::lookup
