#include "core/web/router.hpp"

#include <gtest/gtest.h>

namespace gerbang::web {
namespace {

Route route(std::string method, std::string pattern, std::string scope = "",
            Access access = Access::kSession) {
  Route r;
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  r.access = access;
  if (access == Access::kSession) r.roles = {Role::kOperator};
  r.scopeParam = std::move(scope);
  r.handler = [](Request&, Response&) {};
  return r;
}

TEST(RouterTest, MatchesParametersAndPrefersLiterals) {
  Router r;
  r.add(route("GET", "/api/v1/agreements/{id}", "id"));
  r.add(route("GET", "/api/v1/agreements/{id}/tokens", "id"));
  r.add(route("GET", "/api/v1/session"));
  r.add(route("PUT", "/api/v1/session/password"));
  r.add(route("PUT", "/api/v1/session/{x}"));
  auto m = r.match("GET", "/api/v1/agreements/karanganyar-ak1/tokens");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->route->pattern, "/api/v1/agreements/{id}/tokens");
  EXPECT_EQ(m->params.at("id"), "karanganyar-ak1");
  auto p = r.match("PUT", "/api/v1/session/password");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->route->pattern, "/api/v1/session/password");
  EXPECT_FALSE(r.match("GET", "/api/v1/agreements/"));  // empty segment is no id
  EXPECT_FALSE(r.match("GET", "/api/v1/agreements"));
  EXPECT_FALSE(r.match("GET", "/api/v1/agreements/a/b/c"));
}

TEST(RouterTest, TellsMethodNotAllowedFromNotFound) {
  Router r;
  r.add(route("GET", "/api/v1/session"));
  r.add(route("DELETE", "/api/v1/session"));
  bool known = false;
  std::vector<std::string> allowed;
  EXPECT_FALSE(r.match("PATCH", "/api/v1/session", &known, &allowed));
  EXPECT_TRUE(known);
  EXPECT_EQ(allowed, (std::vector<std::string>{"GET", "DELETE"}));
  EXPECT_FALSE(r.match("GET", "/api/v1/nothing", &known));
  EXPECT_FALSE(known);
}

TEST(RouterTest, RejectsBadDeclarationsAtStartup) {
  Router r;
  r.add(route("GET", "/api/v1/agreements/{id}", "id"));
  EXPECT_THROW(r.add(route("GET", "/api/v1/agreements/{other}", "other")),
               std::invalid_argument);                                   // duplicate
  EXPECT_THROW(r.add(route("GET", "api/v1/x")), std::invalid_argument);  // relative
  EXPECT_THROW(r.add(route("GET", "/api//x")), std::invalid_argument);   // empty segment
  EXPECT_THROW(r.add(route("GET", "/api/{x")), std::invalid_argument);   // malformed
  EXPECT_THROW(r.add(route("GET", "/api/v1/y/{id}", "agreement")), std::invalid_argument);
  EXPECT_THROW(r.add(route("TRACE", "/api/v1/z")), std::invalid_argument);
  Route noRoles = route("GET", "/api/v1/w");
  noRoles.roles.clear();
  EXPECT_THROW(r.add(noRoles), std::invalid_argument);
  Route publicWithRoles = route("GET", "/api/v1/v", "", Access::kPublic);
  publicWithRoles.roles = {Role::kAdmin};
  EXPECT_THROW(r.add(publicWithRoles), std::invalid_argument);
  EXPECT_THROW(r.add(route("GET", "/api/v1/t", "", Access::kApiToken)), std::invalid_argument);
  Route noHandler = route("GET", "/api/v1/u");
  noHandler.handler = nullptr;
  EXPECT_THROW(r.add(noHandler), std::invalid_argument);
  EXPECT_EQ(r.routes().size(), 1u);
}

TEST(RouterTest, StateChangingMethods) {
  for (const char* m : {"POST", "PUT", "PATCH", "DELETE"}) EXPECT_TRUE(isStateChanging(m));
  for (const char* m : {"GET", "HEAD", "OPTIONS"}) EXPECT_FALSE(isStateChanging(m));
}

}  // namespace
}  // namespace gerbang::web
