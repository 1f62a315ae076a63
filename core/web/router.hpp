// The route table: method + path pattern ("/api/v1/agreements/{id}") → handler, with the
// access rule each route declares. The table is declarative on purpose: the role × route
// authorization test and the OpenAPI check both walk it, so a route cannot be added
// without saying who may call it.
#pragma once

#include "core/web/http.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gerbang::web {

using Handler = std::function<void(Request&, Response&)>;

// How a route authenticates its caller.
enum class Access {
  kPublic,    // no authentication (login, health, metrics, the session probe)
  kSession,   // a browser session (cookie); CSRF header on state-changing methods
  kApiToken,  // an agency application's token (Authorization: Bearer), one agreement
};

struct Route {
  std::string method;   // "GET", "POST", "PUT", "PATCH" or "DELETE"
  std::string pattern;  // absolute; "{name}" matches one non-empty path segment
  Access access = Access::kSession;
  // kSession: the roles allowed. Must be non-empty for kSession, empty otherwise.
  std::vector<Role> roles;
  // Non-empty: the route is agreement-scoped and this pattern parameter names the
  // agreement; callers that do not belong to it get 404 (see docs/web.md).
  std::string scopeParam;
  std::string summary;  // one line, also the OpenAPI summary
  Handler handler;
};

class Router {
 public:
  // Adds a route. Throws std::invalid_argument (at startup) when the pattern is malformed,
  // duplicates an existing method + pattern, names a scope parameter the pattern lacks, or
  // the roles contradict the access kind.
  void add(Route route);

  struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
  };
  // The route for method + path. When no route matches: nullopt, and *pathKnown tells
  // whether some other method matches the path (405 rather than 404), with *allowed
  // listing those methods. Literal segments win over {param} segments.
  std::optional<Match> match(const std::string& method, const std::string& path,
                             bool* pathKnown = nullptr,
                             std::vector<std::string>* allowed = nullptr) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// "public", "session" or "api_token" (as in docs/openapi.json's x-gerbang-access).
const char* accessKindName(Access access);

// True for methods that change state (POST, PUT, PATCH, DELETE): CSRF applies.
bool isStateChanging(const std::string& method);

}  // namespace gerbang::web
