#include "core/lookup/lookup_routes.hpp"

#include "core/lookup/answer_json.hpp"
#include "core/portal/json_reader.hpp"

#include <Poco/String.h>

namespace gerbang::lookup {
namespace {

constexpr size_t kMaxField = 128;

// A JSON member as text: strings as given, numbers as their digits (the registry accepts
// the NIK as a number). nullopt when absent or another type.
std::optional<std::string> textMember(const portal::json::Value& obj, std::string_view key) {
  const portal::json::Value* v = obj.findCaseless(key);
  if (v == nullptr) return std::nullopt;
  if (v->type == portal::json::Value::Type::kString) return v->text;
  if (v->type == portal::json::Value::Type::kNumber) return portal::json::normaliseNumber(v->text);
  return std::nullopt;
}

void restLookup(LookupService& service, web::Request& req, web::Response& res) {
  auto body = web::parseJsonObject(req);
  if (!body.ok()) return res.error(400, body.error());
  auto nik = web::stringField(**body, "nik", kMaxField);
  if (!nik.ok()) return res.error(400, nik.error());
  auto op = web::stringField(**body, "operator", kMaxField);
  if (!op.ok()) return res.error(400, op.error());
  auto purpose = web::stringField(**body, "purpose", kMaxField);
  if (!purpose.ok()) return res.error(400, purpose.error());
  LookupRequest lr;
  lr.agreementId = req.param("id");
  lr.operatorId = *op;
  lr.nik = *nik;
  lr.purposeRef = *purpose;
  lr.channel = Channel::kRest;
  LookupAnswer a = service.lookup(lr);
  res.json(httpStatusFor(a), answerJson(a));
  res.setHeader("Cache-Control", "no-store");
}

void callNik(LookupService& service, const web::ApiTokenStore& tokens, const Registry& registry,
             web::Request& req, web::Response& res) {
  res.status = 200;
  res.contentType = "application/json";
  res.setHeader("Cache-Control", "no-store");
  portal::json::Value v;
  std::string error;
  if (req.body.size() > 4096 || !portal::json::parse(req.body, v, error, 4) ||
      v.type != portal::json::Value::Type::kObject) {
    // The registry answers a body it cannot read with HTTP 400.
    res.error(400, "invalid_json",
              "Badan permintaan CALL_NIK bukan objek JSON yang sah" +
                  (error.empty() ? std::string() : " (" + error + ")"));
    return;
  }
  const std::string loginFailed = "Login Gagal";
  auto user = textMember(v, "user_id");
  auto password = textMember(v, "password");
  std::optional<web::ApiToken> token;
  if (user && password && password->size() <= 256) token = tokens.verify(*password);
  if (!token || std::to_string(token->id) != *user) {
    res.body = callNikRefusal(outcome::kLoginFailed, loginFailed);
    return;
  }
  // The application addresses its own institution, as it would at the registry.
  const std::string lembaga = req.param("lembaga");
  const std::string own = registry.lembaga(token->agreementId);
  if (Poco::icompare(lembaga, token->agreementId) != 0 &&
      (own.empty() || Poco::icompare(lembaga, own) != 0)) {
    res.body = callNikRefusal(outcome::kLoginFailed, loginFailed);
    return;
  }
  LookupRequest lr;
  lr.agreementId = token->agreementId;
  lr.operatorId = textMember(v, "operator").value_or("");
  lr.nik = textMember(v, "NIK").value_or("");
  lr.purposeRef = textMember(v, "purpose").value_or("");
  lr.channel = Channel::kCallNik;
  res.body = callNikResponse(service.lookup(lr));
}

}  // namespace

void registerLookupRoutes(web::Router& router, LookupService& service,
                          const web::ApiTokenStore& tokens, const Registry& registry) {
  router.add({"POST", "/api/v1/agreements/{id}/lookup", web::Access::kApiToken, {}, "id",
              "Pencarian NIK oleh aplikasi instansi (token API), lewat semua pemeriksaan",
              [&service](web::Request& q, web::Response& r) { restLookup(service, q, r); }});
  router.add({"POST", "/dukcapil/get_json/{lembaga}/CALL_NIK", web::Access::kPublic, {}, "",
              "CALL_NIK kompatibel Dukcapil (kredensial = token API Gerbang)",
              [&service, &tokens, &registry](web::Request& q, web::Response& r) {
                callNik(service, tokens, registry, q, r);
              }});
}

}  // namespace gerbang::lookup
