#include "core/web/api_tokens.hpp"

#include "core/web/password.hpp"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

namespace gerbang::web {
namespace {

constexpr std::string_view kPrefix = "gbk_";

TimePoint fromMicros(Poco::Int64 us) { return TimePoint{std::chrono::microseconds{us}}; }

std::vector<ApiToken> readTokens(Poco::Data::RecordSet& rs) {
  std::vector<ApiToken> out;
  for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
    ApiToken t;
    t.id = rs[0].convert<Poco::Int64>();
    t.agreementId = rs[1].convert<std::string>();
    t.application = rs[2].convert<std::string>();
    t.createdBy = rs[3].convert<std::string>();
    t.createdAt = fromMicros(rs[4].convert<Poco::Int64>());
    t.revoked = rs[5].convert<Poco::Int64>() != 0;
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace

ApiTokenStore::ApiTokenStore(store::Database& db, const Clock& clock, SecurityAuditSink audit)
    : db_(db), clock_(clock), audit_(std::move(audit)) {
  migrateWebSchema(db_);
}

Result<ApiTokenStore::Issued> ApiTokenStore::create(const std::string& agreementId,
                                                    const std::string& application,
                                                    const std::string& createdBy) {
  if (!AccountStore::validAgreementId(agreementId))
    return Error{"invalid_agreement", "Kode perjanjian tidak sah.", ""};
  bool printable = !application.empty() && application.size() <= 100;
  for (unsigned char c : application)
    if (c < 0x20 || c == 0x7f) printable = false;
  if (!printable)
    return Error{"invalid_application",
                 "Nama aplikasi wajib diisi, maksimal 100 karakter, tanpa karakter kontrol.", ""};
  std::string secret = std::string(kPrefix) + base64Url(randomBytes(32));
  std::string hash = sha256Hex(secret), g = agreementId, app = application, by = createdBy;
  Poco::Int64 t = Poco::Int64(clock_.now().time_since_epoch().count()), zero = 0;
  auto s = db_.session();
  s << db_.sql(
      "INSERT INTO web_api_tokens (agreement_id, application, token_hash, created_by, "
      "created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)"),
      use(g), use(app), use(hash), use(by), use(t), use(zero), now;
  Poco::Int64 id = 0;
  s << db_.sql("SELECT id FROM web_api_tokens WHERE token_hash = ?"), use(hash), into(id), now;
  if (audit_)
    audit_(SecurityEvent{"token_created", createdBy,
                         "agreement=" + agreementId + " token=" + std::to_string(id)});
  return Issued{ApiToken{id, agreementId, application, createdBy, fromMicros(t), false}, secret};
}

std::optional<ApiToken> ApiTokenStore::verify(std::string_view secret) const {
  if (secret.size() != kPrefix.size() + 43 || !secret.starts_with(kPrefix)) return std::nullopt;
  std::string hash = sha256Hex(secret);
  auto s = db_.session();
  Poco::Data::Statement st(s);
  st << db_.sql(
      "SELECT id, agreement_id, application, created_by, created_at, revoked_at "
      "FROM web_api_tokens WHERE token_hash = ? AND revoked_at = 0"),
      use(hash);
  st.execute();
  Poco::Data::RecordSet rs(st);
  auto v = readTokens(rs);
  if (v.empty()) return std::nullopt;
  return v.front();
}

std::vector<ApiToken> ApiTokenStore::list(const std::string& agreementId) const {
  std::string g = agreementId;
  auto s = db_.session();
  Poco::Data::Statement st(s);
  st << db_.sql(
      "SELECT id, agreement_id, application, created_by, created_at, revoked_at "
      "FROM web_api_tokens WHERE agreement_id = ? ORDER BY id DESC"),
      use(g);
  st.execute();
  Poco::Data::RecordSet rs(st);
  return readTokens(rs);
}

Status ApiTokenStore::revoke(const std::string& agreementId, Poco::Int64 id,
                             const std::string& by) {
  std::string g = agreementId;
  Poco::Int64 t = Poco::Int64(clock_.now().time_since_epoch().count()), tid = id;
  auto s = db_.session();
  Poco::Data::Statement st(s);
  st << db_.sql(
      "UPDATE web_api_tokens SET revoked_at = ? WHERE id = ? AND agreement_id = ? "
      "AND revoked_at = 0"),
      use(t), use(tid), use(g);
  if (st.execute() == 0)
    return Error{"token_not_found", "Token tidak ditemukan atau sudah dicabut.", ""};
  if (audit_)
    audit_(SecurityEvent{"token_revoked", by,
                         "agreement=" + agreementId + " token=" + std::to_string(id)});
  return Status::Ok();
}

}  // namespace gerbang::web
