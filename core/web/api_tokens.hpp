// API tokens for agency applications (the agency's own software calling the REST lookup
// and the CALL_NIK-compatible endpoint). One token = one application on one agreement.
// The token is shown once at creation; the store keeps only its SHA-256 (a token has 256
// random bits, so a fast hash is enough, unlike passwords).
#pragma once

#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/store/database.hpp"
#include "core/web/accounts.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gerbang::web {

struct ApiToken {
  Poco::Int64 id = 0;
  std::string agreementId;
  std::string application;  // a label chosen by the admin ("SIAPkerja loket")
  std::string createdBy;    // the web account or "cli"
  TimePoint createdAt;
  bool revoked = false;
};

class ApiTokenStore {
 public:
  // `db` and `clock` must outlive the store.
  ApiTokenStore(store::Database& db, const Clock& clock, SecurityAuditSink audit = {});

  struct Issued {
    ApiToken token;
    std::string secret;  // "gbk_" + 43 base64url characters; printed once, never stored
  };
  // Issues a token for one agreement. Errors: "invalid_agreement", "invalid_application"
  // (1-100 printable characters).
  Result<Issued> create(const std::string& agreementId, const std::string& application,
                        const std::string& createdBy);

  // The live (not revoked) token matching `secret`, or nullopt.
  std::optional<ApiToken> verify(std::string_view secret) const;

  // Tokens of one agreement, newest first (never the secrets).
  std::vector<ApiToken> list(const std::string& agreementId) const;

  // Revokes token `id` if it belongs to `agreementId`. Error "token_not_found" otherwise
  // (a token of another agreement is indistinguishable from none).
  Status revoke(const std::string& agreementId, Poco::Int64 id, const std::string& by);

 private:
  store::Database& db_;
  const Clock& clock_;
  SecurityAuditSink audit_;
};

}  // namespace gerbang::web
