// docs/openapi.json and the server's route table describe the same API, both ways: every
// route is documented with the same access rule, roles, agreement scope and summary, and
// every documented operation exists.
#include "tests/web/web_fixture.hpp"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace gerbang::web {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Poco::JSON::Object::Ptr loadDoc() {
  std::ifstream in(gerbang::testing::sourceDir() / "docs" / "openapi.json");
  if (!in) throw std::runtime_error("docs/openapi.json not found");
  std::stringstream ss;
  ss << in.rdbuf();
  Poco::JSON::Parser p;
  return p.parse(ss.str()).extract<Poco::JSON::Object::Ptr>();
}

class OpenApiTest : public ::testing::Test {
 protected:
  testing::WebEnv env_{store::Backend::kSqlite};
  Poco::JSON::Object::Ptr doc_ = loadDoc();
};

TEST_F(OpenApiTest, EveryRouteIsDocumentedWithItsRules) {
  auto paths = doc_->getObject("paths");
  ASSERT_TRUE(paths);
  for (const Route& r : env_.app->router().routes()) {
    const std::string what = r.method + " " + r.pattern;
    auto item = paths->getObject(r.pattern);
    ASSERT_TRUE(item) << what << " is not in docs/openapi.json";
    auto op = item->getObject(lower(r.method));
    ASSERT_TRUE(op) << what << " is not in docs/openapi.json";
    EXPECT_EQ(op->getValue<std::string>("x-gerbang-access"), accessKindName(r.access)) << what;
    std::set<std::string> docRoles, routeRoles;
    for (const auto& v : *op->getArray("x-gerbang-roles")) docRoles.insert(v.toString());
    for (Role role : r.roles) routeRoles.insert(roleName(role));
    EXPECT_EQ(docRoles, routeRoles) << what;
    EXPECT_EQ(op->getValue<std::string>("x-gerbang-scope"), r.scopeParam) << what;
    EXPECT_EQ(op->getValue<std::string>("summary"), r.summary) << what;
    // Every {param} of the pattern is declared as a path parameter.
    std::set<std::string> declared;
    if (auto params = op->getArray("parameters"))
      for (size_t i = 0; i < params->size(); ++i)
        if (params->getObject(unsigned(i))->getValue<std::string>("in") == "path")
          declared.insert(params->getObject(unsigned(i))->getValue<std::string>("name"));
    std::set<std::string> inPattern;
    std::regex param(R"(\{([a-zA-Z]+)\})");
    for (auto it = std::sregex_iterator(r.pattern.begin(), r.pattern.end(), param);
         it != std::sregex_iterator(); ++it)
      inPattern.insert((*it)[1]);
    EXPECT_EQ(declared, inPattern) << what;
    EXPECT_TRUE(op->getObject("responses")) << what;
  }
}

TEST_F(OpenApiTest, EveryDocumentedOperationIsARoute) {
  auto paths = doc_->getObject("paths");
  const auto& routes = env_.app->router().routes();
  static const std::set<std::string> kMethods{"get", "post", "put", "patch", "delete"};
  int operations = 0;
  for (const auto& [path, itemVar] : *paths) {
    auto item = itemVar.extract<Poco::JSON::Object::Ptr>();
    for (const auto& [method, opVar] : *item) {
      if (!kMethods.count(method)) continue;
      // Routes other modules mount (x-gerbang-module: the operator screens, lookup, balikan,
      // plugins...) need more than a WebApp; app_serve_authz_test checks the whole document
      // against a running `gerbang serve` (tests/app/serve_authz_test.cpp).
      auto opObj = opVar.extract<Poco::JSON::Object::Ptr>();
      if (!opObj->optValue<std::string>("x-gerbang-module", "").empty()) continue;
      ++operations;
      // Copies: clang 14 cannot capture structured bindings in a lambda.
      const std::string m = method, p = path;
      bool found = std::any_of(routes.begin(), routes.end(), [&](const Route& r) {
        return lower(r.method) == m && r.pattern == p;
      });
      EXPECT_TRUE(found) << "docs/openapi.json documents " << method << " " << path
                         << " but the server has no such route";
    }
  }
  EXPECT_EQ(operations, int(routes.size()));
}

TEST_F(OpenApiTest, EveryReferenceResolves) {
  std::ifstream in(gerbang::testing::sourceDir() / "docs" / "openapi.json");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  auto schemas = doc_->getObject("components")->getObject("schemas");
  std::regex ref(R"re("\$ref"\s*:\s*"#/components/schemas/([A-Za-z]+)")re");
  int refs = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), ref); it != std::sregex_iterator();
       ++it, ++refs)
    EXPECT_TRUE(schemas->has((*it)[1])) << (*it)[1];
  EXPECT_GT(refs, 0);
  EXPECT_EQ(doc_->getValue<std::string>("openapi").rfind("3.", 0), 0u);
}

}  // namespace
}  // namespace gerbang::web
