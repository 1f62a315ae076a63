#include "core/web/sessions.hpp"

#include "core/web/accounts.hpp"
#include "core/web/password.hpp"

#include <Poco/Data/Statement.h>

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

namespace gerbang::web {
namespace {

Poco::Int64 micros(TimePoint t) { return Poco::Int64(t.time_since_epoch().count()); }
template <class D>
Poco::Int64 micros(D d) {
  return Poco::Int64(std::chrono::duration_cast<std::chrono::microseconds>(d).count());
}

// A session id is 43 base64url characters (32 random bytes).
bool plausibleId(std::string_view id) {
  if (id.size() != 43) return false;
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  return true;
}

// While a session is in use its last_seen is refreshed at most once a minute, so every
// request does not become a write.
constexpr Poco::Int64 kTouchEveryUs = 60LL * 1000 * 1000;

}  // namespace

SessionStore::SessionStore(store::Database& db, const Clock& clock, SessionPolicy policy)
    : db_(db), clock_(clock), policy_(policy) {
  migrateWebSchema(db_);
}

SessionStore::Created SessionStore::create(const std::string& username) {
  std::string id = base64Url(randomBytes(32));
  std::string hash = sha256Hex(id), user = username;
  Poco::Int64 t = micros(clock_.now());
  auto s = db_.session();
  // Sessions nobody resumes again (browser closed) are swept here, at each sign-in.
  Poco::Int64 idleFrom = t - micros(policy_.idle), absFrom = t - micros(policy_.absolute);
  s << db_.sql("DELETE FROM web_sessions WHERE last_seen < ? OR created_at < ?"), use(idleFrom),
      use(absFrom), now;
  s << db_.sql(
      "INSERT INTO web_sessions (id_hash, username, created_at, last_seen) "
      "VALUES (?, ?, ?, ?)"),
      use(hash), use(user), use(t), use(t), now;
  return Created{id, csrfTokenFor(id)};
}

std::optional<std::string> SessionStore::resume(std::string_view id) {
  if (!plausibleId(id)) return std::nullopt;
  std::string hash = sha256Hex(id), user;
  Poco::Int64 created = 0, lastSeen = 0;
  auto s = db_.session();
  Poco::Data::Statement st(s);
  st << db_.sql("SELECT username, created_at, last_seen FROM web_sessions WHERE id_hash = ?"),
      use(hash), into(user), into(created), into(lastSeen);
  if (st.execute() == 0) return std::nullopt;
  const Poco::Int64 t = micros(clock_.now());
  if (t - lastSeen > micros(policy_.idle) || t - created > micros(policy_.absolute)) {
    s << db_.sql("DELETE FROM web_sessions WHERE id_hash = ?"), use(hash), now;
    return std::nullopt;
  }
  if (t - lastSeen >= kTouchEveryUs) {
    Poco::Int64 tt = t;
    s << db_.sql("UPDATE web_sessions SET last_seen = ? WHERE id_hash = ?"), use(tt), use(hash),
        now;
  }
  return user;
}

void SessionStore::destroy(std::string_view id) {
  std::string hash = sha256Hex(id);
  auto s = db_.session();
  s << db_.sql("DELETE FROM web_sessions WHERE id_hash = ?"), use(hash), now;
}

void SessionStore::destroyAllFor(const std::string& username) {
  std::string user = username;
  auto s = db_.session();
  s << db_.sql("DELETE FROM web_sessions WHERE username = ?"), use(user), now;
}

int SessionStore::liveCount() {
  Poco::Int64 t = micros(clock_.now());
  Poco::Int64 idleFrom = t - micros(policy_.idle), absFrom = t - micros(policy_.absolute);
  int n = 0;
  auto s = db_.session();
  s << db_.sql("SELECT COUNT(*) FROM web_sessions WHERE last_seen >= ? AND created_at >= ?"),
      use(idleFrom), use(absFrom), into(n), now;
  return n;
}

std::string SessionStore::csrfTokenFor(std::string_view id) {
  return sha256Hex("gerbang-csrf-v1:" + std::string(id));
}

std::string SessionStore::cookieFor(const std::string& id, bool secure) const {
  // No Max-Age: the cookie dies with the browser; the server enforces the timeouts.
  return std::string(kSessionCookie) + "=" + id + "; Path=/; HttpOnly; SameSite=Strict" +
         (secure ? "; Secure" : "");
}

std::string SessionStore::clearingCookie(bool secure) {
  return std::string(kSessionCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" +
         (secure ? "; Secure" : "");
}

}  // namespace gerbang::web
