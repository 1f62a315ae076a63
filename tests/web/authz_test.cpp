// Every route × every role × own/other agreement, against a table written here (not read
// from the router), plus a check that the table and the router list the same routes. A
// new route fails this test until someone decides who may call it.
#include "tests/web/web_fixture.hpp"

#include <gtest/gtest.h>

#include <set>

namespace gerbang::web {
namespace {

using testing::HttpCall;
using testing::HttpResult;

constexpr Role kOp = Role::kOperator, kSup = Role::kSupervisor, kAdm = Role::kAdmin,
               kEval = Role::kEvaluator;

struct Expected {
  const char* method;
  const char* pattern;
  Access access;
  std::set<Role> roles;  // kSession: who may call it
  const char* scope;     // agreement parameter, "" if not agreement-scoped
  int ownStatus;         // allowed role, own agreement (or own account)
  int otherStatus;       // allowed role, another agency's agreement (or account)
};

const std::vector<Expected>& table() {
  static const std::vector<Expected> t{
      {"GET", "/healthz", Access::kPublic, {}, "", 200, 200},
      {"GET", "/metrics", Access::kPublic, {}, "", 200, 200},
      {"GET", "/api/v1/session", Access::kPublic, {}, "", 200, 200},
      {"POST", "/api/v1/session", Access::kPublic, {}, "", 200, 200},
      {"DELETE", "/api/v1/session", Access::kSession, {kOp, kSup, kAdm, kEval}, "", 200, 200},
      {"PUT", "/api/v1/session/password", Access::kSession, {kOp, kSup, kAdm, kEval}, "", 200, 200},
      {"GET", "/api/v1/agreements", Access::kSession, {kOp, kSup, kAdm, kEval}, "", 200, 200},
      {"GET",
       "/api/v1/agreements/{id}",
       Access::kSession,
       {kOp, kSup, kAdm, kEval},
       "id",
       200,
       404},
      {"GET", "/api/v1/agreements/{id}/tokens", Access::kSession, {kSup, kAdm}, "id", 200, 404},
      {"POST", "/api/v1/agreements/{id}/tokens", Access::kSession, {kAdm}, "id", 201, 404},
      {"DELETE",
       "/api/v1/agreements/{id}/tokens/{tokenId}",
       Access::kSession,
       {kAdm},
       "id",
       200,
       404},
      {"GET", "/api/v1/accounts", Access::kSession, {kAdm}, "", 200, 200},
      {"POST", "/api/v1/accounts", Access::kSession, {kAdm}, "", 201, 404},
      {"PUT", "/api/v1/accounts/{username}/password", Access::kSession, {kAdm}, "", 200, 404},
      {"GET", "/api/v1/routes", Access::kSession, {kAdm}, "", 200, 200},
      {"GET", "/api/v1/agencies/{id}/client", Access::kApiToken, {}, "id", 200, 404},
  };
  return t;
}

class AuthzTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    env_ = std::make_unique<testing::WebEnv>(GetParam());
    for (Role r : kAllRoles)
      env_->addAccount(std::string(roleName(r)) + "1", r, {testing::kPurbalingga});
    env_->addAccount("target-own", kOp, {testing::kPurbalingga});
    env_->addAccount("target-other", kOp, {testing::kKaranganyar});
  }

  // Fills the pattern's parameters for the own (Purbalingga) or other (Karanganyar) side.
  std::string path(const Expected& e, bool own) {
    const std::string agreement = own ? testing::kPurbalingga : testing::kKaranganyar;
    std::string p = e.pattern;
    auto sub = [&](const std::string& name, const std::string& value) {
      size_t at = p.find("{" + name + "}");
      if (at != std::string::npos) p.replace(at, name.size() + 2, value);
    };
    sub("id", agreement);
    sub("username", own ? "target-own" : "target-other");
    if (p.find("{tokenId}") != std::string::npos) {
      auto t = env_->app->tokens().create(agreement, "uji", "test");
      sub("tokenId", std::to_string(t->token.id));
    }
    return p;
  }

  std::string body(const Expected& e, bool own) {
    const std::string p = e.pattern,
                      agreement = own ? testing::kPurbalingga : testing::kKaranganyar;
    if (p == "/api/v1/session" && std::string(e.method) == "POST")
      return std::string("{\"username\":\"target-own\",\"password\":\"") + testing::kPassword +
             "\"}";
    if (p == "/api/v1/session/password")
      return std::string("{\"currentPassword\":\"") + testing::kPassword + "\",\"newPassword\":\"" +
             testing::kPassword + "\"}";
    if (p == "/api/v1/agreements/{id}/tokens") return "{\"application\":\"uji\"}";
    if (p == "/api/v1/accounts")
      return "{\"username\":\"baru-" + std::to_string(++serial_) +
             "\",\"role\":\"operator\",\"password\":\"sandi-uji-0123\",\"agreements\":[\"" +
             agreement + "\"]}";
    if (p == "/api/v1/accounts/{username}/password") return "{\"password\":\"sandi-uji-9876\"}";
    return "";
  }

  HttpResult asRole(Role r, const Expected& e, bool own, bool withCsrf = true) {
    auto s = env_->app->sessions().create(std::string(roleName(r)) + "1");
    testing::Login l{s.id, s.csrfToken};
    return env_->call(
        {e.method, path(e, own), body(e, own), "application/json", l.headers(withCsrf)});
  }

  std::unique_ptr<testing::WebEnv> env_;
  int serial_ = 0;
};

TEST_P(AuthzTest, TheTableAndTheRouterListTheSameRoutesWithTheSameRules) {
  const auto& routes = env_->app->router().routes();
  for (const Expected& e : table()) {
    auto it = std::find_if(routes.begin(), routes.end(), [&](const Route& r) {
      return r.method == e.method && r.pattern == e.pattern;
    });
    ASSERT_NE(it, routes.end()) << "router lacks " << e.method << " " << e.pattern;
    EXPECT_EQ(it->access, e.access) << e.pattern;
    EXPECT_EQ(std::set<Role>(it->roles.begin(), it->roles.end()), e.roles)
        << e.method << " " << e.pattern;
    EXPECT_EQ(it->scopeParam, e.scope) << e.pattern;
  }
  for (const Route& r : routes) {
    bool listed = std::any_of(table().begin(), table().end(), [&](const Expected& e) {
      return r.method == e.method && r.pattern == e.pattern;
    });
    EXPECT_TRUE(listed) << "route " << r.method << " " << r.pattern
                        << " has no row in the authorization table";
  }
}

TEST_P(AuthzTest, EveryRouteEveryRoleOwnAndOtherAgreement) {
  for (const Expected& e : table()) {
    for (Role role : kAllRoles) {
      for (bool own : {true, false}) {
        const std::string what = std::string(e.method) + " " + e.pattern + " as " + roleName(role) +
                                 (own ? " (own)" : " (other)");
        HttpResult r = asRole(role, e, own);
        int expected;
        if (e.access == Access::kPublic)
          expected = own ? e.ownStatus : e.otherStatus;
        else if (e.access == Access::kApiToken)
          expected = 401;  // a browser session is never an API token
        else if (e.roles.count(role))
          expected = own ? e.ownStatus : e.otherStatus;
        else
          expected = 403;
        EXPECT_EQ(r.status, expected) << what << ": " << r.body;
        if (expected == 403) {
          EXPECT_EQ(r.json()->getValue<std::string>("error"), "forbidden") << what;
        }
      }
    }
  }
}

TEST_P(AuthzTest, WithoutASessionEveryNonPublicRouteAnswers401) {
  for (const Expected& e : table()) {
    if (e.access == Access::kPublic) continue;
    HttpResult r = env_->call({e.method, path(e, true), body(e, true)});
    EXPECT_EQ(r.status, 401) << e.method << " " << e.pattern;
    EXPECT_EQ(r.json()->getValue<std::string>("error"), "not_authenticated");
  }
}

TEST_P(AuthzTest, EveryStateChangingSessionRouteNeedsCsrfForEveryRole) {
  for (const Expected& e : table()) {
    if (e.access != Access::kSession || !isStateChanging(e.method)) continue;
    for (Role role : kAllRoles) {
      HttpResult r = asRole(role, e, true, /*withCsrf=*/false);
      EXPECT_EQ(r.status, 403) << e.method << " " << e.pattern << " as " << roleName(role);
      EXPECT_EQ(r.json()->getValue<std::string>("error"), "csrf_failed");
    }
  }
}

TEST_P(AuthzTest, ApiTokenRoutesAcceptOnlyATokenOfTheirAgreement) {
  auto own = env_->app->tokens().create(testing::kPurbalingga, "uji", "test");
  auto other = env_->app->tokens().create(testing::kKaranganyar, "uji", "test");
  for (const Expected& e : table()) {
    if (e.access != Access::kApiToken) continue;
    for (bool ownAgreement : {true, false}) {
      const std::string p = path(e, ownAgreement);
      HttpResult withOwn =
          env_->call({e.method, p, "", "", {{"Authorization", "Bearer " + own->secret}}});
      EXPECT_EQ(withOwn.status, ownAgreement ? e.ownStatus : e.otherStatus) << p;
      HttpResult withOther =
          env_->call({e.method, p, "", "", {{"Authorization", "Bearer " + other->secret}}});
      EXPECT_EQ(withOther.status, ownAgreement ? e.otherStatus : e.ownStatus) << p;
      HttpResult garbage = env_->call({e.method, p, "", "", {{"Authorization", "Bearer gbk_x"}}});
      EXPECT_EQ(garbage.status, 401) << p;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthzTest,
                         ::testing::ValuesIn(gerbang::testing::storeBackends()),
                         [](const auto& info) {
                           return gerbang::testing::backendName(info.param);
                         });

}  // namespace
}  // namespace gerbang::web
