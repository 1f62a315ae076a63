// Web accounts: who may sign in to the operator screens, with which role, for which
// agreements. Passwords are stored only as slow salted hashes (core/web/password.hpp);
// five failed sign-ins in a row lock the account for 15 minutes, and every sign-in
// decision is reported to the injected security-audit sink.
#pragma once

#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/store/database.hpp"
#include "core/web/http.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gerbang::web {

// A security-relevant event for the audit trail (core/audit wires a sink that appends it
// to the hash chain). `kind` is stable: "login_ok", "login_failed", "login_locked_out",
// "account_locked", "account_created", "password_set", "token_created", "token_revoked",
// "logout". `subject` is a staff username or application name, never population data;
// `detail` never holds a password or token.
struct SecurityEvent {
  std::string kind;
  std::string subject;
  std::string detail;
};
// Called from request threads concurrently: must be thread-safe.
using SecurityAuditSink = std::function<void(const SecurityEvent&)>;

struct Account {
  std::string username;
  Role role = Role::kOperator;
  std::optional<std::string> operatorId;  // the operator record (core/operator) it acts as
  std::vector<std::string> agreements;    // agreement (agency) ids, sorted
  bool disabled = false;
};

struct NewAccount {
  std::string username;  // 3-64 of [a-z0-9._-], starting with a letter or digit
  Role role = Role::kOperator;
  std::optional<std::string> operatorId;
  std::vector<std::string> agreements;  // each 1-64 of [a-z0-9._-]
};

struct LoginPolicy {
  int maxFailures = 5;
  std::chrono::minutes lockout{15};
};

// Creates the web module's tables (idempotent). Called by every store in this module.
void migrateWebSchema(store::Database& db);

class AccountStore {
 public:
  // `db` and `clock` must outlive the store. `audit` may be empty (events are dropped).
  AccountStore(store::Database& db, const Clock& clock, SecurityAuditSink audit = {},
               LoginPolicy policy = {});

  // Creates an account with an initial password. Errors: "invalid_username",
  // "invalid_agreement", "weak_password", "username_taken". Thread-safe.
  Status create(const NewAccount& account, std::string_view password);

  // Replaces the password and clears any lockout. Errors: "account_not_found",
  // "weak_password".
  Status setPassword(std::string_view username, std::string_view password);

  // Replaces the account's agreements. Errors: "account_not_found", "invalid_agreement".
  Status setAgreements(std::string_view username, const std::vector<std::string>& agreements);

  // The account, or nullopt.
  std::optional<Account> find(std::string_view username) const;
  // Every account, ordered by username.
  std::vector<Account> list() const;

  // Checks a sign-in. Errors: "login_failed" (unknown account or wrong password; the
  // message does not say which), "account_locked" (too many failures; no password is
  // checked while locked), "account_disabled". Costs one KDF run whatever the outcome.
  Result<Account> authenticate(std::string_view username, std::string_view password);

  // Checks a password without the lockout bookkeeping (re-authentication for a password
  // change by a signed-in user).
  bool checkPassword(std::string_view username, std::string_view password) const;

  // Username / agreement id syntax checks, shared with the CLI.
  static bool validUsername(std::string_view s);
  static bool validAgreementId(std::string_view s);
  // Nullopt when acceptable, else the Indonesian reason.
  static std::optional<std::string> passwordProblem(std::string_view password);

 private:
  void emit(std::string kind, std::string subject, std::string detail) const;

  store::Database& db_;
  const Clock& clock_;
  SecurityAuditSink audit_;
  LoginPolicy policy_;
};

}  // namespace gerbang::web
