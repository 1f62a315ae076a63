// Authentication and authorization around every route, from the route's declaration:
// who the caller is (session cookie or API token), whether their role may call the route,
// whether a browser request that changes state carries the session's CSRF token, and
// whether the agreement the path names is one the caller belongs to.
//
// Decisions, in order (docs/web.md):
//   no or expired credentials      → 401 "not_authenticated"
//   state change without the CSRF  → 403 "csrf_failed"
//   role not allowed on the route  → 403 "forbidden"
//   agreement not the caller's     → 404 "agreement_not_found" (the same answer as for an
//                                    agreement that does not exist: tenant isolation does
//                                    not reveal which other agencies share the host)
#pragma once

#include "core/web/accounts.hpp"
#include "core/web/api_tokens.hpp"
#include "core/web/router.hpp"
#include "core/web/sessions.hpp"

#include <optional>

namespace gerbang::web {

// The header a browser sends the CSRF token in.
inline constexpr const char* kCsrfHeader = "X-CSRF-Token";

class AccessControl {
 public:
  // The stores must outlive this object.
  AccessControl(AccountStore& accounts, SessionStore& sessions, ApiTokenStore& tokens);

  struct Denial {
    int httpStatus;
    Error error;
  };
  // Checks `req` against `route`. On success fills req.principal (and req.sessionId for
  // session routes) and returns nullopt; otherwise the refusal to send. Never throws for a
  // malformed credential.
  std::optional<Denial> check(const Route& route, Request& req) const;

  // The principal of the request's session cookie, or nullopt (used by public routes that
  // behave differently for signed-in users, such as GET /api/v1/session).
  std::optional<Principal> sessionPrincipal(Request& req) const;

 private:
  AccountStore& accounts_;
  SessionStore& sessions_;
  ApiTokenStore& tokens_;
};

}  // namespace gerbang::web
