// Browser sessions: a random 256-bit id in an HttpOnly, SameSite=Strict cookie (Secure on
// HTTPS); the store keeps only its SHA-256. Sessions end after an idle period and after an
// absolute lifetime, whichever comes first.
#pragma once

#include "core/common/clock.hpp"
#include "core/store/database.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace gerbang::web {

struct SessionPolicy {
  std::chrono::minutes idle{30};
  std::chrono::hours absolute{12};
};

// The cookie that carries the session id.
inline constexpr const char* kSessionCookie = "gerbang_session";

class SessionStore {
 public:
  // `db` and `clock` must outlive the store.
  SessionStore(store::Database& db, const Clock& clock, SessionPolicy policy = {});

  struct Created {
    std::string id;         // the raw id for the cookie; shown nowhere else, never logged
    std::string csrfToken;  // csrfTokenFor(id)
  };
  // Starts a session for `username` (and deletes every expired session). Throws only if
  // the random source or store fails.
  Created create(const std::string& username);

  // The username of a live session, refreshing its idle timer; nullopt (and the row is
  // removed) when unknown, idle too long or past its absolute lifetime.
  std::optional<std::string> resume(std::string_view id);

  // Ends one session (logout). Unknown ids are ignored.
  void destroy(std::string_view id);
  // Ends every session of `username` (after a password change or lockout by an admin).
  void destroyAllFor(const std::string& username);
  // Number of live sessions (for /metrics).
  int liveCount();

  // The CSRF token bound to a session id: derived from it, so it needs no storage and
  // cannot be computed from what the store holds (the id's hash).
  static std::string csrfTokenFor(std::string_view id);

  // The Set-Cookie value for a new session, and one that clears it.
  std::string cookieFor(const std::string& id, bool secure) const;
  static std::string clearingCookie(bool secure);

 private:
  store::Database& db_;
  const Clock& clock_;
  SessionPolicy policy_;
};

}  // namespace gerbang::web
