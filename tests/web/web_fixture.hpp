// Shared by the tests/web suites: a real WebApp + Server on 127.0.0.1 (port 0) over a real
// store, a fixed clock, three agreements, and a small real HTTP client (Poco).
#pragma once

#include "core/common/clock.hpp"
#include "core/store/database.hpp"
#include "core/web/agreement_directory.hpp"
#include "core/web/server.hpp"
#include "core/web/web_app.hpp"
#include "tests/support/support.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gerbang::web::testing {

// A response as a client sees it.
struct HttpResult {
  int status = 0;
  std::string body;
  std::multimap<std::string, std::string> headers;  // lower-case names
  std::string header(const std::string& lowerName) const;
  std::vector<std::string> all(const std::string& lowerName) const;
  Poco::JSON::Object::Ptr json() const;  // throws if the body is not a JSON object
};

struct HttpCall {
  HttpCall(std::string m, std::string p, std::string b = "", std::string ct = "application/json",
           std::vector<std::pair<std::string, std::string>> h = {})
      : method(std::move(m)),
        path(std::move(p)),
        body(std::move(b)),
        contentType(std::move(ct)),
        headers(std::move(h)) {}
  std::string method;
  std::string path;
  std::string body;
  std::string contentType;
  std::vector<std::pair<std::string, std::string>> headers;
};

// One HTTP/1.1 request over a fresh connection to 127.0.0.1:port.
HttpResult httpCall(int port, const HttpCall& call);

// A browser's credentials after signing in.
struct Login {
  std::string sessionId;
  std::string csrf;
  std::vector<std::pair<std::string, std::string>> headers(bool withCsrf = true) const;
};

// Agreements of the fixture (as on 2026-11-23, DOMAIN.md): Purbalingga active until
// 2027-09-16, Jawa Barat and Karanganyar past their end dates.
inline const char* kPurbalingga = "purbalingga-dinnaker";
inline const char* kJabar = "jabar-disnakertrans";
inline const char* kKaranganyar = "karanganyar-ak1";
inline const char* kPassword = "sandi-uji-0123";

std::vector<StaticAgreementDirectory::Entry> fixtureAgreements();

// A WebApp on a fresh database with a Server on 127.0.0.1:0 (plain HTTP) started.
class WebEnv {
 public:
  explicit WebEnv(store::Backend backend, std::optional<TlsConfig> tls = std::nullopt);
  ~WebEnv();

  int port() const { return server->port(); }
  HttpResult call(const HttpCall& c) const { return httpCall(port(), c); }
  // Creates an account with kPassword.
  void addAccount(const std::string& username, Role role, std::vector<std::string> agreements);
  // Signs in through POST /api/v1/session; fails the test if it does not succeed.
  Login login(const std::string& username, const std::string& password = kPassword) const;

  gerbang::testing::TempDir dir;
  std::unique_ptr<gerbang::testing::TestDatabase> tdb;
  std::unique_ptr<store::Database> db;
  FixedClock clock{Date(2026, 11, 23)};
  std::unique_ptr<StaticAgreementDirectory> agreements;
  std::vector<SecurityEvent> events;
  std::mutex eventsMutex;
  std::unique_ptr<WebApp> app;
  std::unique_ptr<Server> server;
};

// The Set-Cookie value that carries the session, or "".
std::string sessionCookie(const HttpResult& r);
// The session id inside a Set-Cookie value.
std::string cookieValue(const std::string& setCookie);

}  // namespace gerbang::web::testing
