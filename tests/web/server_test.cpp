// The server over real loopback HTTP: sign-in, cookies, CSRF, headers, limits, tokens,
// health and metrics, static screens.
#include "tests/web/web_fixture.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <gtest/gtest.h>

#include <regex>

namespace gerbang::web {
namespace {

using testing::HttpCall;
using testing::HttpResult;
using testing::WebEnv;

std::string credentials(const std::string& user, const std::string& pass) {
  Poco::JSON::Object o;
  o.set("username", user);
  o.set("password", pass);
  return toJson(o);
}

void expectSecurityHeaders(const HttpResult& r, const std::string& what) {
  std::string csp = r.header("content-security-policy");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << what << ": " << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << what;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << what;
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff") << what;
  EXPECT_EQ(r.header("x-frame-options"), "DENY") << what;
  EXPECT_EQ(r.header("referrer-policy"), "no-referrer") << what;
  EXPECT_FALSE(r.header("cache-control").empty()) << what;
}

class WebServerTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    env_ = std::make_unique<WebEnv>(GetParam());
    env_->addAccount("operator1", Role::kOperator, {testing::kPurbalingga});
  }
  std::unique_ptr<WebEnv> env_;
};

TEST_P(WebServerTest, LoginSetsAStrictHttpOnlyCookieAndReturnsTheCsrfToken) {
  HttpResult r =
      env_->call({"POST", "/api/v1/session", credentials("operator1", testing::kPassword)});
  ASSERT_EQ(r.status, 200) << r.body;
  std::string cookie = testing::sessionCookie(r);
  ASSERT_FALSE(cookie.empty());
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; Path=/"), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "plain HTTP cannot keep a Secure cookie";
  std::string id = testing::cookieValue(cookie);
  EXPECT_EQ(id.size(), 43u);  // 256 bits, base64url
  auto body = r.json();
  EXPECT_EQ(body->getValue<std::string>("username"), "operator1");
  EXPECT_EQ(body->getValue<std::string>("role"), "operator");
  EXPECT_EQ(body->getValue<std::string>("csrfToken"), SessionStore::csrfTokenFor(id));
  EXPECT_EQ(r.header("cache-control"), "no-store");

  // The session endpoint recognises the cookie and repeats the CSRF token.
  HttpResult s = env_->call(
      {"GET", "/api/v1/session", "", "", {{"Cookie", std::string(kSessionCookie) + "=" + id}}});
  ASSERT_EQ(s.status, 200);
  EXPECT_TRUE(s.json()->getValue<bool>("authenticated"));
  EXPECT_EQ(s.json()->getValue<std::string>("csrfToken"), SessionStore::csrfTokenFor(id));
  HttpResult anon = env_->call({"GET", "/api/v1/session"});
  EXPECT_FALSE(anon.json()->getValue<bool>("authenticated"));
}

TEST_P(WebServerTest, WrongPasswordThenLockoutAfterFiveFailures) {
  for (int i = 1; i <= 5; ++i) {
    HttpResult r =
        env_->call({"POST", "/api/v1/session", credentials("operator1", "salah-salah-99")});
    EXPECT_EQ(r.status, 401) << i;
    EXPECT_EQ(r.json()->getValue<std::string>("error"), "login_failed");
    EXPECT_FALSE(r.json()->getValue<std::string>("message").empty());
    EXPECT_TRUE(testing::sessionCookie(r).empty());
  }
  HttpResult locked =
      env_->call({"POST", "/api/v1/session", credentials("operator1", testing::kPassword)});
  EXPECT_EQ(locked.status, 403);
  EXPECT_EQ(locked.json()->getValue<std::string>("error"), "account_locked");
  EXPECT_TRUE(testing::sessionCookie(locked).empty());
  {
    std::lock_guard lock(env_->eventsMutex);
    EXPECT_EQ(std::count_if(env_->events.begin(), env_->events.end(),
                            [](const SecurityEvent& e) { return e.kind == "account_locked"; }),
              1);
  }
  env_->clock.advance(std::chrono::minutes{16});
  EXPECT_EQ(
      env_->call({"POST", "/api/v1/session", credentials("operator1", testing::kPassword)}).status,
      200);
  HttpResult m = env_->call({"GET", "/metrics"});
  EXPECT_NE(m.body.find("gerbang_web_logins_total{outcome=\"failed\"} 5"), std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("gerbang_web_logins_total{outcome=\"locked\"} 1"), std::string::npos);
  EXPECT_NE(m.body.find("gerbang_web_logins_total{outcome=\"ok\"} 1"), std::string::npos);
}

TEST_P(WebServerTest, LoginRejectsNonJsonAndMalformedBodiesSayingWhat) {
  HttpCall form{"POST", "/api/v1/session", "username=operator1&password=x",
                "application/x-www-form-urlencoded"};
  HttpResult r = env_->call(form);
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(r.json()->getValue<std::string>("error"), "unsupported_media_type");
  HttpResult bad = env_->call({"POST", "/api/v1/session", "{\"username\": \"operator1\","});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()->getValue<std::string>("error"), "invalid_json");
  HttpResult arr = env_->call({"POST", "/api/v1/session", "[1,2]"});
  EXPECT_EQ(arr.json()->getValue<std::string>("error"), "not_json_object");
  HttpResult missing = env_->call({"POST", "/api/v1/session", "{\"username\": \"operator1\"}"});
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.json()->getValue<std::string>("message").find("password"), std::string::npos);
}

TEST_P(WebServerTest, StateChangesNeedTheSessionsCsrfToken) {
  testing::Login l = env_->login("operator1");
  const std::string change =
      "{\"currentPassword\": \"sandi-uji-0123\", \"newPassword\": \"sandi-baru-4567\"}";
  // Without the header.
  HttpResult none =
      env_->call({"PUT", "/api/v1/session/password", change, "application/json", l.headers(false)});
  EXPECT_EQ(none.status, 403);
  EXPECT_EQ(none.json()->getValue<std::string>("error"), "csrf_failed");
  // With another session's token.
  env_->addAccount("operator2", Role::kOperator, {testing::kPurbalingga});
  testing::Login other = env_->login("operator2");
  auto h = l.headers(false);
  h.emplace_back("X-CSRF-Token", other.csrf);
  EXPECT_EQ(env_->call({"PUT", "/api/v1/session/password", change, "application/json", h}).status,
            403);
  // Logout is a state change too.
  EXPECT_EQ(env_->call({"DELETE", "/api/v1/session", "", "", l.headers(false)}).status, 403);
  // Nothing changed: the old password still works.
  EXPECT_TRUE(env_->app->accounts().checkPassword("operator1", testing::kPassword));
  // With the right token it goes through, and the other sessions end.
  HttpResult ok =
      env_->call({"PUT", "/api/v1/session/password", change, "application/json", l.headers()});
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_FALSE(testing::sessionCookie(ok).empty());
  EXPECT_EQ(env_->call({"GET", "/api/v1/agreements", "", "", l.headers()}).status, 401);
  EXPECT_TRUE(env_->app->accounts().checkPassword("operator1", "sandi-baru-4567"));
}

TEST_P(WebServerTest, LogoutEndsTheSessionAndClearsTheCookie) {
  testing::Login l = env_->login("operator1");
  EXPECT_EQ(env_->call({"GET", "/api/v1/agreements", "", "", l.headers()}).status, 200);
  HttpResult out = env_->call({"DELETE", "/api/v1/session", "", "", l.headers()});
  EXPECT_EQ(out.status, 200);
  EXPECT_NE(testing::sessionCookie(out).find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(env_->call({"GET", "/api/v1/agreements", "", "", l.headers()}).status, 401);
}

TEST_P(WebServerTest, AgreementsShowStatusAndDaysLeftOnlyForTheUsersOwn) {
  testing::Login l = env_->login("operator1");
  HttpResult r = env_->call({"GET", "/api/v1/agreements", "", "", l.headers()});
  ASSERT_EQ(r.status, 200);
  auto list = r.json()->getArray("agreements");
  ASSERT_EQ(list->size(), 1u);
  auto a = list->getObject(0);
  EXPECT_EQ(a->getValue<std::string>("id"), testing::kPurbalingga);
  EXPECT_EQ(a->getValue<std::string>("status"), "aktif");
  EXPECT_EQ(a->getValue<int>("daysLeft"), Date(2026, 11, 23).daysUntil(Date(2027, 9, 16)));
  EXPECT_EQ(r.json()->getValue<std::string>("today"), "2026-11-23");
  // Another agency's agreement answers exactly like one that does not exist.
  HttpResult other = env_->call(
      {"GET", std::string("/api/v1/agreements/") + testing::kJabar, "", "", l.headers()});
  HttpResult nonexistent = env_->call({"GET", "/api/v1/agreements/tidak-ada", "", "", l.headers()});
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(other.body, nonexistent.body);
}

TEST_P(WebServerTest, EveryResponseCarriesTheSecurityHeaders) {
  testing::Login l = env_->login("operator1");
  expectSecurityHeaders(env_->call({"GET", "/"}), "index");
  expectSecurityHeaders(env_->call({"GET", "/app.js"}), "script");
  expectSecurityHeaders(env_->call({"GET", "/api/v1/agreements", "", "", l.headers()}), "api");
  expectSecurityHeaders(env_->call({"GET", "/api/v1/agreements"}), "401");
  expectSecurityHeaders(env_->call({"GET", "/tidak-ada"}), "404");
  expectSecurityHeaders(env_->call({"PATCH", "/api/v1/session"}), "405");
  expectSecurityHeaders(env_->call({"GET", "/healthz"}), "healthz");
  expectSecurityHeaders(env_->call({"GET", "/metrics"}), "metrics");
  EXPECT_EQ(env_->call({"GET", "/api/v1/agreements", "", "", l.headers()}).header("cache-control"),
            "no-store");
  EXPECT_TRUE(env_->call({"GET", "/"}).header("strict-transport-security").empty());
}

TEST_P(WebServerTest, ServesTheEmbeddedScreensWithoutInlineScript) {
  HttpResult index = env_->call({"GET", "/"});
  ASSERT_EQ(index.status, 200);
  EXPECT_EQ(index.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(index.body.find("<html lang=\"id\">"), std::string::npos);
  // Every <script> loads a file; no inline script, no inline event handlers, no style=.
  std::regex script(R"(<script\b[^>]*>)");
  int scripts = 0;
  for (auto it = std::sregex_iterator(index.body.begin(), index.body.end(), script);
       it != std::sregex_iterator(); ++it) {
    ++scripts;
    EXPECT_NE(it->str().find("src=\"/"), std::string::npos) << it->str();
  }
  EXPECT_GE(scripts, 1);
  EXPECT_FALSE(std::regex_search(index.body, std::regex(R"(\son[a-z]+=)")));
  EXPECT_FALSE(std::regex_search(index.body, std::regex(R"(\sstyle=)")));
  HttpResult js = env_->call({"GET", "/app.js"});
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(env_->call({"GET", "/app.css"}).header("content-type"), "text/css; charset=utf-8");
  HttpResult missing = env_->call({"GET", "/../../etc/passwd"});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.json()->getValue<std::string>("error"), "not_found");
  EXPECT_EQ(env_->call({"GET", "/api/v1/tidak-ada"}).status, 404);
}

TEST_P(WebServerTest, ALoopbackServerAnswersOnlyToLoopbackHostNames) {
  // A DNS-rebinding page reaches 127.0.0.1 under its own name: refused.
  HttpResult evil = env_->call({"GET", "/api/v1/session", "", "", {{"Host", "evil.example:8080"}}});
  EXPECT_EQ(evil.status, 400);
  EXPECT_EQ(evil.json()->getValue<std::string>("error"), "bad_host");
  expectSecurityHeaders(evil, "bad host");
  EXPECT_EQ(env_->call({"GET", "/", "", "", {{"Host", "EVIL.example"}}}).status, 400);
  EXPECT_EQ(env_->call({"GET", "/", "", "", {{"Host", ""}}}).status, 400);
  for (const char* ok : {"127.0.0.1", "localhost:8080", "LOCALHOST", "[::1]:8080"})
    EXPECT_EQ(env_->call({"GET", "/api/v1/session", "", "", {{"Host", ok}}}).status, 200) << ok;
}

TEST_P(WebServerTest, MethodNotAllowedListsTheAllowedMethods) {
  HttpResult r = env_->call({"PATCH", "/api/v1/session"});
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("allow"), "GET, POST, DELETE");
}

// One request whose body is announced as `declared` bytes (or chunked when -1) and is
// `body` in fact.
HttpResult rawPost(int port, const std::string& body, Poco::Int64 declared) {
  Poco::Net::HTTPClientSession s("127.0.0.1", Poco::UInt16(port));
  Poco::Net::HTTPRequest req("POST", "/api/v1/session", Poco::Net::HTTPMessage::HTTP_1_1);
  req.setContentType("application/json");
  if (declared < 0)
    req.setChunkedTransferEncoding(true);
  else
    req.setContentLength64(declared);
  s.sendRequest(req) << body;
  Poco::Net::HTTPResponse res;
  HttpResult r;
  Poco::StreamCopier::copyToString(s.receiveResponse(res), r.body);
  r.status = int(res.getStatus());
  for (const auto& [n, v] : res) r.headers.emplace(Poco::toLower(n), v);
  return r;
}

TEST_P(WebServerTest, BodiesOverTheLimitAreRefusedWith413) {
  // Announced too large: refused before reading the body.
  HttpResult r = rawPost(env_->port(), "{}", 10 * 1024 * 1024);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.json()->getValue<std::string>("error"), "body_too_large");
  expectSecurityHeaders(r, "413");
  // Chunked, so not announced: refused once the limit is passed.
  HttpResult chunked = rawPost(env_->port(), std::string(64 * 1024 + 1, ' '), -1);
  EXPECT_EQ(chunked.status, 413);
  // Exactly at the limit is read (and then refused as JSON, not as too large).
  HttpResult at = env_->call({"POST", "/api/v1/session", std::string(64 * 1024, ' ')});
  EXPECT_EQ(at.status, 400);
  EXPECT_EQ(at.json()->getValue<std::string>("error"), "invalid_json");
}

TEST_P(WebServerTest, ApiTokensAuthenticateApplicationsForOneAgreement) {
  env_->addAccount("admin1", Role::kAdmin, {testing::kPurbalingga, testing::kKaranganyar});
  testing::Login admin = env_->login("admin1");
  HttpResult created = env_->call(
      {"POST", std::string("/api/v1/agreements/") + testing::kPurbalingga + "/tokens",
       "{\"application\": \"Aplikasi pelatihan\"}", "application/json", admin.headers()});
  ASSERT_EQ(created.status, 201) << created.body;
  std::string secret = created.json()->getValue<std::string>("token");
  Poco::Int64 id = created.json()->getValue<Poco::Int64>("id");
  // Listing never shows the secret again.
  HttpResult list =
      env_->call({"GET", std::string("/api/v1/agreements/") + testing::kPurbalingga + "/tokens", "",
                  "", admin.headers()});
  EXPECT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find(secret), std::string::npos);
  EXPECT_NE(list.body.find("Aplikasi pelatihan"), std::string::npos);

  auto bearer = [&](const std::string& agreement, const std::string& token) {
    return env_->call({"GET",
                       "/api/v1/agencies/" + agreement + "/client",
                       "",
                       "",
                       {{"Authorization", "Bearer " + token}}});
  };
  HttpResult ok = bearer(testing::kPurbalingga, secret);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json()->getValue<std::string>("application"), "Aplikasi pelatihan");
  EXPECT_EQ(bearer(testing::kKaranganyar, secret).status, 404);  // not its agreement
  HttpResult none =
      env_->call({"GET", std::string("/api/v1/agencies/") + testing::kPurbalingga + "/client"});
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.header("www-authenticate"), "Bearer");
  // A browser session is not an API token.
  EXPECT_EQ(env_->call({"GET", std::string("/api/v1/agencies/") + testing::kPurbalingga + "/client",
                        "", "", admin.headers()})
                .status,
            401);
  HttpResult revoked = env_->call(
      {"DELETE",
       std::string("/api/v1/agreements/") + testing::kPurbalingga + "/tokens/" + std::to_string(id),
       "", "", admin.headers()});
  EXPECT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_EQ(bearer(testing::kPurbalingga, secret).status, 401);
}

TEST_P(WebServerTest, HealthzAggregatesChecksAndFailsWith503) {
  env_->app->health().add("store", storeHealthCheck(*env_->db));
  HttpResult ok = env_->call({"GET", "/healthz"});
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.json()->getValue<std::string>("status"), "ok");
  EXPECT_EQ(ok.json()->getObject("checks")->getObject("store")->getValue<std::string>("status"),
            "ok");
  bool portalUp = false;
  env_->app->health().add("portal", [&] {
    return portalUp ? HealthResult{HealthState::kOk, "ok"}
                    : HealthResult{HealthState::kFail, "tidak terjangkau"};
  });
  HttpResult down = env_->call({"GET", "/healthz"});
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(down.json()->getValue<std::string>("status"), "fail");
  portalUp = true;
  EXPECT_EQ(env_->call({"GET", "/healthz"}).status, 200);
}

TEST_P(WebServerTest, MetricsCountRequestsByRoutePatternNeverByPath) {
  testing::Login l = env_->login("operator1");
  env_->call(
      {"GET", std::string("/api/v1/agreements/") + testing::kPurbalingga, "", "", l.headers()});
  // A path carrying a NIK-like value (synthetic) must not become a label.
  const std::string nikLike =
      "3303"
      "0101"
      "0190"
      "0001";
  env_->call({"GET", "/api/v1/agreements/" + nikLike, "", "", l.headers()});
  env_->call({"GET", "/" + nikLike});
  HttpResult m = env_->call({"GET", "/metrics"});
  EXPECT_EQ(m.status, 200);
  EXPECT_EQ(m.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(m.body.find("gerbang_http_requests_total{route=\"/api/v1/agreements/{id}\","
                        "method=\"GET\",status=\"200\"} 1"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("gerbang_http_requests_total{route=\"/api/v1/agreements/{id}\","
                        "method=\"GET\",status=\"404\"} 1"),
            std::string::npos);
  EXPECT_NE(m.body.find("route=\"unmatched\""), std::string::npos);
  EXPECT_EQ(m.body.find(nikLike), std::string::npos);
  EXPECT_NE(m.body.find("gerbang_web_sessions_live 1"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, WebServerTest,
                         ::testing::ValuesIn(gerbang::testing::storeBackends()),
                         [](const auto& info) {
                           return gerbang::testing::backendName(info.param);
                         });

TEST(WebServerStartupTest, PlainHttpOnANonLoopbackAddressIsRefused) {
  for (const char* addr : {"0.0.0.0", "fd00::5", "::"}) {
    ServerConfig c;
    c.bindAddress = addr;
    c.port = 0;
    try {
      Server s(c, [](Request&, Response&) {});
      ADD_FAILURE() << "started plain HTTP on " << addr;
    } catch (const std::runtime_error& e) {
      std::string m = e.what();
      EXPECT_NE(m.find("refusing plain HTTP"), std::string::npos) << m;
      EXPECT_NE(m.find("loopback"), std::string::npos) << m;
    }
  }
  ServerConfig name;
  name.bindAddress = "localhost";
  EXPECT_THROW(Server(name, [](Request&, Response&) {}), std::runtime_error);
  // Loopback in 127.0.0.0/8 other than .1, and ::1 are fine.
  for (const char* addr : {"127.0.0.1", "127.0.0.2", "::1"}) {
    ServerConfig c;
    c.bindAddress = addr;
    c.port = 0;
    EXPECT_NO_THROW(Server(c, [](Request&, Response&) {})) << addr;
  }
}

TEST(WebServerStartupTest, APortInUseIsAClearError) {
  ServerConfig c;
  c.port = 0;
  Server first(c, [](Request&, Response&) {});
  c.port = first.port();
  try {
    Server second(c, [](Request&, Response&) {});
    ADD_FAILURE() << "two servers on one port";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot listen on 127.0.0.1:" + std::to_string(c.port)),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace gerbang::web
