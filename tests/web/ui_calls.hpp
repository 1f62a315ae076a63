// Helpers for tests of the operator screens' routes over real HTTP: accounts, sessions and
// JSON calls as a signed-in account (with the CSRF header), and the check that a table of
// routes is documented in docs/openapi.json with the router's own rules.
#pragma once

#include "core/web/web_app.hpp"
#include "tests/web/web_fixture.hpp"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace gerbang::web::testing {

class UiCalls {
 public:
  UiCalls(WebApp& app, int port) : app_(app), port_(port) {}

  void account(const std::string& name, Role role, std::vector<std::string> agreements,
               std::optional<std::string> operatorId) {
    NewAccount a;
    a.username = name;
    a.role = role;
    a.operatorId = std::move(operatorId);
    a.agreements = std::move(agreements);
    ASSERT_TRUE(app_.accounts().create(a, kPassword).ok()) << name;
  }
  Login session(const std::string& name) {
    auto s = app_.sessions().create(name);
    return {s.id, s.csrfToken};
  }
  HttpResult post(const std::string& who, const std::string& path, const std::string& body,
                  bool csrf = true) {
    return httpCall(port_, {"POST", path, body, "application/json", session(who).headers(csrf)});
  }
  HttpResult get(const std::string& who, const std::string& path) {
    return httpCall(port_, {"GET", path, "", "application/json", session(who).headers()});
  }

 private:
  WebApp& app_;
  int port_;
};

// One route as a test expects it, written independently of the router.
struct ExpectedRoute {
  const char* method;
  const char* pattern;
  std::set<Role> roles;
  const char* scope;
};

inline const Route* findRoute(const Router& router, const ExpectedRoute& row) {
  auto it = std::find_if(router.routes().begin(), router.routes().end(), [&](const Route& r) {
    return r.method == row.method && r.pattern == row.pattern;
  });
  return it == router.routes().end() ? nullptr : &*it;
}

// Each route is in docs/openapi.json as a session route of module web_ui, with the router's
// summary, roles and scope, and its path parameters declared.
inline void expectDocumentedUiRoutes(const Router& router, const std::vector<ExpectedRoute>& rows) {
  std::ifstream in(gerbang::testing::sourceDir() / "docs" / "openapi.json");
  std::stringstream ss;
  ss << in.rdbuf();
  auto doc = Poco::JSON::Parser().parse(ss.str()).extract<Poco::JSON::Object::Ptr>();
  auto paths = doc->getObject("paths");
  for (const ExpectedRoute& row : rows) {
    auto item = paths->getObject(row.pattern);
    ASSERT_TRUE(item) << row.pattern;
    std::string m = row.method;
    for (char& c : m) c = char(std::tolower(static_cast<unsigned char>(c)));
    auto op = item->getObject(m);
    ASSERT_TRUE(op) << row.pattern;
    const Route* route = findRoute(router, row);
    ASSERT_NE(route, nullptr) << row.pattern;
    EXPECT_EQ(op->getValue<std::string>("summary"), route->summary);
    EXPECT_EQ(op->getValue<std::string>("x-gerbang-access"), "session");
    EXPECT_EQ(op->getValue<std::string>("x-gerbang-scope"), row.scope);
    EXPECT_EQ(op->getValue<std::string>("x-gerbang-module"), "web_ui");
    std::set<std::string> docRoles, want;
    for (const auto& v : *op->getArray("x-gerbang-roles")) docRoles.insert(v.toString());
    for (Role r : row.roles) want.insert(roleName(r));
    EXPECT_EQ(docRoles, want) << row.pattern;
    // Every {name} of the pattern is a declared path parameter, and nothing else is.
    std::set<std::string> declared, inPattern;
    if (auto params = op->getArray("parameters"))
      for (size_t i = 0; i < params->size(); ++i)
        if (params->getObject(unsigned(i))->getValue<std::string>("in") == "path")
          declared.insert(params->getObject(unsigned(i))->getValue<std::string>("name"));
    const std::string pattern = row.pattern;
    for (size_t at = pattern.find('{'); at != std::string::npos; at = pattern.find('{', at + 1))
      inPattern.insert(pattern.substr(at + 1, pattern.find('}', at) - at - 1));
    EXPECT_EQ(declared, inPattern) << row.pattern;
  }
}

}  // namespace gerbang::web::testing
