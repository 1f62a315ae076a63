#include "core/web/accounts.hpp"

#include "core/web/password.hpp"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include <algorithm>
#include <mutex>

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::range;
using Poco::Data::Keywords::use;

namespace gerbang::web {
namespace {

Poco::Int64 micros(TimePoint t) { return Poco::Int64(t.time_since_epoch().count()); }

bool validId(std::string_view s, size_t min, size_t max) {
  if (s.size() < min || s.size() > max) return false;
  if (!std::isalnum(static_cast<unsigned char>(s.front()))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

Error notFound() { return Error{"account_not_found", "Akun tidak ditemukan.", ""}; }

std::vector<std::string> agreementsOf(Poco::Data::Session& s, const store::Database& db,
                                      const std::string& username) {
  std::vector<std::string> out;
  std::string u = username;
  s << db.sql(
      "SELECT agreement_id FROM web_account_agreements WHERE username = ? "
      "ORDER BY agreement_id"),
      use(u), into(out), now;
  return out;
}

}  // namespace

void migrateWebSchema(store::Database& db) {
  db.migrate(
      "web",
      {
          "CREATE TABLE web_accounts (username VARCHAR(64) PRIMARY KEY, role VARCHAR(16) NOT NULL, "
          "operator_id VARCHAR(64) NOT NULL, password_hash VARCHAR(200) NOT NULL, "
          "failed_count INTEGER NOT NULL, locked_until {BIGINT} NOT NULL, "
          "created_at {BIGINT} NOT NULL, disabled INTEGER NOT NULL)",
          "CREATE TABLE web_account_agreements (username VARCHAR(64) NOT NULL, "
          "agreement_id VARCHAR(64) NOT NULL, PRIMARY KEY (username, agreement_id))",
          // Only a hash of the session id is kept: a copy of the database does not let anyone
          // take over a live session.
          "CREATE TABLE web_sessions (id_hash CHAR(64) PRIMARY KEY, username VARCHAR(64) NOT NULL, "
          "created_at {BIGINT} NOT NULL, last_seen {BIGINT} NOT NULL)",
          "CREATE TABLE web_api_tokens (id {AUTO_ID}, agreement_id VARCHAR(64) NOT NULL, "
          "application VARCHAR(100) NOT NULL, token_hash CHAR(64) NOT NULL UNIQUE, "
          "created_by VARCHAR(64) NOT NULL, created_at {BIGINT} NOT NULL, "
          "revoked_at {BIGINT} NOT NULL)",
      });
}

AccountStore::AccountStore(store::Database& db, const Clock& clock, SecurityAuditSink audit,
                           LoginPolicy policy)
    : db_(db), clock_(clock), audit_(std::move(audit)), policy_(policy) {
  migrateWebSchema(db_);
}

bool AccountStore::validUsername(std::string_view s) { return validId(s, 3, 64); }
bool AccountStore::validAgreementId(std::string_view s) { return validId(s, 1, 64); }

std::optional<std::string> AccountStore::passwordProblem(std::string_view password) {
  if (password.size() < 10) return "Kata sandi minimal 10 karakter.";
  if (password.size() > 256) return "Kata sandi maksimal 256 karakter.";
  return std::nullopt;
}

void AccountStore::emit(std::string kind, std::string subject, std::string detail) const {
  if (audit_) audit_(SecurityEvent{std::move(kind), std::move(subject), std::move(detail)});
}

Status AccountStore::create(const NewAccount& a, std::string_view password) {
  if (!validUsername(a.username))
    return Error{"invalid_username",
                 "Nama pengguna harus 3-64 karakter: huruf kecil, angka, titik, garis bawah "
                 "atau tanda hubung.",
                 ""};
  for (const auto& g : a.agreements)
    if (!validAgreementId(g))
      return Error{"invalid_agreement", "Kode perjanjian tidak sah: '" + g + "'.", ""};
  if (a.operatorId && !validAgreementId(*a.operatorId))
    return Error{"invalid_operator", "Kode operator tidak sah.", ""};
  if (auto p = passwordProblem(password)) return Error{"weak_password", *p, ""};
  std::string hash = hashPassword(password);
  std::string user = a.username, role = roleName(a.role), op = a.operatorId.value_or("");
  Poco::Int64 created = micros(clock_.now()), zero = 0;
  int zeroInt = 0;
  auto s = db_.session();
  s.begin();
  try {
    int exists = 0;
    s << db_.sql("SELECT COUNT(*) FROM web_accounts WHERE username = ?"), use(user), into(exists),
        now;
    if (exists > 0) {
      s.rollback();
      return Error{"username_taken", "Nama pengguna sudah dipakai.", ""};
    }
    s << db_.sql(
        "INSERT INTO web_accounts (username, role, operator_id, password_hash, "
        "failed_count, locked_until, created_at, disabled) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
        use(user), use(role), use(op), use(hash), use(zeroInt), use(zero), use(created),
        use(zeroInt), now;
    std::vector<std::string> gs = a.agreements;
    std::sort(gs.begin(), gs.end());
    gs.erase(std::unique(gs.begin(), gs.end()), gs.end());
    for (std::string g : gs)
      s << db_.sql("INSERT INTO web_account_agreements (username, agreement_id) VALUES (?, ?)"),
          use(user), use(g), now;
    s.commit();
  } catch (...) {
    if (s.isTransaction()) s.rollback();
    throw;
  }
  emit("account_created", a.username, std::string("role=") + roleName(a.role));
  return Status::Ok();
}

Status AccountStore::setPassword(std::string_view username, std::string_view password) {
  if (auto p = passwordProblem(password)) return Error{"weak_password", *p, ""};
  std::string hash = hashPassword(password), user(username);
  Poco::Int64 zero = 0;
  auto s = db_.session();
  Poco::Data::Statement st(s);
  st << db_.sql(
      "UPDATE web_accounts SET password_hash = ?, failed_count = 0, "
      "locked_until = ? WHERE username = ?"),
      use(hash), use(zero), use(user);
  if (st.execute() == 0) return notFound();
  emit("password_set", user, "");
  return Status::Ok();
}

Status AccountStore::setAgreements(std::string_view username,
                                   const std::vector<std::string>& agreements) {
  for (const auto& g : agreements)
    if (!validAgreementId(g))
      return Error{"invalid_agreement", "Kode perjanjian tidak sah: '" + g + "'.", ""};
  if (!find(username)) return notFound();
  std::string user(username);
  std::vector<std::string> gs = agreements;
  std::sort(gs.begin(), gs.end());
  gs.erase(std::unique(gs.begin(), gs.end()), gs.end());
  auto s = db_.session();
  s.begin();
  try {
    s << db_.sql("DELETE FROM web_account_agreements WHERE username = ?"), use(user), now;
    for (std::string g : gs)
      s << db_.sql("INSERT INTO web_account_agreements (username, agreement_id) VALUES (?, ?)"),
          use(user), use(g), now;
    s.commit();
  } catch (...) {
    if (s.isTransaction()) s.rollback();
    throw;
  }
  emit("account_agreements_set", user, "");
  return Status::Ok();
}

std::optional<Account> AccountStore::find(std::string_view username) const {
  if (!validUsername(username)) return std::nullopt;
  std::string user(username), role, op;
  int disabled = 0;
  auto s = db_.session();
  Poco::Data::Statement st(s);
  st << db_.sql("SELECT role, operator_id, disabled FROM web_accounts WHERE username = ?"),
      use(user), into(role), into(op), into(disabled);
  if (st.execute() == 0) return std::nullopt;
  Account a;
  a.username = user;
  a.role = parseRole(role).value_or(Role::kOperator);
  if (!op.empty()) a.operatorId = op;
  a.disabled = disabled != 0;
  a.agreements = agreementsOf(s, db_, user);
  return a;
}

std::vector<Account> AccountStore::list() const {
  std::vector<std::string> users;
  {
    auto s = db_.session();
    s << "SELECT username FROM web_accounts ORDER BY username", into(users), now;
  }
  std::vector<Account> out;
  for (const auto& u : users)
    if (auto a = find(u)) out.push_back(std::move(*a));
  return out;
}

Result<Account> AccountStore::authenticate(std::string_view username, std::string_view password) {
  const Error failed{"login_failed", "Nama pengguna atau kata sandi salah.", ""};
  std::string user(username), hash;
  Poco::Int64 lockedUntil = 0;
  int failures = 0, disabled = 0;
  bool found = false;
  if (validUsername(username)) {
    auto s = db_.session();
    Poco::Data::Statement st(s);
    st << db_.sql(
        "SELECT password_hash, failed_count, locked_until, disabled "
        "FROM web_accounts WHERE username = ?"),
        use(user), into(hash), into(failures), into(lockedUntil), into(disabled);
    found = st.execute() > 0;
  }
  if (!found) {
    burnPasswordTime(password);
    // The attempted name is recorded only if it is a syntactically valid username:
    // people sometimes type their password into the username box.
    emit("login_failed", validUsername(username) ? user : "", "unknown account");
    return failed;
  }
  const Poco::Int64 nowUs = micros(clock_.now());
  if (lockedUntil > nowUs) {
    burnPasswordTime(password);
    emit("login_locked_out", user, "attempt while locked");
    return Error{"account_locked",
                 "Akun terkunci sementara karena terlalu banyak percobaan masuk yang gagal. "
                 "Coba lagi nanti atau hubungi admin.",
                 ""};
  }
  if (!verifyPassword(password, hash)) {
    auto s = db_.session();
    s << db_.sql("UPDATE web_accounts SET failed_count = failed_count + 1 WHERE username = ?"),
        use(user), now;
    int count = 0;
    s << db_.sql("SELECT failed_count FROM web_accounts WHERE username = ?"), use(user),
        into(count), now;
    emit("login_failed", user, "wrong password (" + std::to_string(count) + ")");
    if (count >= policy_.maxFailures) {
      Poco::Int64 until =
          nowUs +
          Poco::Int64(
              std::chrono::duration_cast<std::chrono::microseconds>(policy_.lockout).count());
      s << db_.sql(
          "UPDATE web_accounts SET failed_count = 0, locked_until = ? "
          "WHERE username = ?"),
          use(until), use(user), now;
      emit("account_locked", user,
           std::to_string(count) + " failures; locked for " +
               std::to_string(policy_.lockout.count()) + " min");
    }
    return failed;
  }
  if (disabled != 0) {
    emit("login_failed", user, "account disabled");
    return Error{"account_disabled", "Akun ini dinonaktifkan. Hubungi admin.", ""};
  }
  if (failures != 0) {
    auto s = db_.session();
    s << db_.sql("UPDATE web_accounts SET failed_count = 0 WHERE username = ?"), use(user), now;
  }
  emit("login_ok", user, "");
  auto a = find(user);
  if (!a) return failed;
  return *a;
}

bool AccountStore::checkPassword(std::string_view username, std::string_view password) const {
  std::string user(username), hash;
  if (validUsername(username)) {
    auto s = db_.session();
    Poco::Data::Statement st(s);
    st << db_.sql("SELECT password_hash FROM web_accounts WHERE username = ?"), use(user),
        into(hash);
    if (st.execute() > 0) return verifyPassword(password, hash);
  }
  burnPasswordTime(password);
  return false;
}

}  // namespace gerbang::web
