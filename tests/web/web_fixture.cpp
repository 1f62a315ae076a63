#include "tests/web/web_fixture.hpp"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace gerbang::web::testing {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

}  // namespace

std::string HttpResult::header(const std::string& lowerName) const {
  auto it = headers.find(lowerName);
  return it == headers.end() ? "" : it->second;
}

std::vector<std::string> HttpResult::all(const std::string& lowerName) const {
  std::vector<std::string> out;
  auto [a, b] = headers.equal_range(lowerName);
  for (auto it = a; it != b; ++it) out.push_back(it->second);
  return out;
}

Poco::JSON::Object::Ptr HttpResult::json() const {
  Poco::JSON::Parser p;
  return p.parse(body).extract<Poco::JSON::Object::Ptr>();
}

HttpResult httpCall(int port, const HttpCall& call) {
  Poco::Net::HTTPClientSession s("127.0.0.1", Poco::UInt16(port));
  s.setTimeout(Poco::Timespan(20, 0));
  Poco::Net::HTTPRequest req(call.method, call.path, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [n, v] : call.headers) req.add(n, v);
  if (!call.body.empty() || call.method == "POST" || call.method == "PUT") {
    req.setContentType(call.contentType);
    req.setContentLength64(Poco::Int64(call.body.size()));
  }
  s.sendRequest(req) << call.body;
  Poco::Net::HTTPResponse res;
  std::istream& in = s.receiveResponse(res);
  HttpResult r;
  r.status = int(res.getStatus());
  Poco::StreamCopier::copyToString(in, r.body);
  for (const auto& [n, v] : res) r.headers.emplace(lower(n), v);
  return r;
}

std::vector<std::pair<std::string, std::string>> Login::headers(bool withCsrf) const {
  std::vector<std::pair<std::string, std::string>> h{
      {"Cookie", std::string(kSessionCookie) + "=" + sessionId}};
  if (withCsrf) h.emplace_back("X-CSRF-Token", csrf);
  return h;
}

std::vector<StaticAgreementDirectory::Entry> fixtureAgreements() {
  return {
      {kJabar, "Disnakertrans Provinsi Jawa Barat", "3335/HK.03.01/Disnakertrans",
       Date(2021, 6, 18), Date(2023, 6, 18)},
      {kPurbalingga, "Dinnaker Kabupaten Purbalingga", "500.15/1564/2025", Date(2025, 9, 16),
       Date(2027, 9, 16)},
      {kKaranganyar, "Disdagnakerkop UKM Kabupaten Karanganyar", "562/4430.7.3/XI/2020",
       Date(2020, 11, 10), Date(2022, 11, 9)},
  };
}

WebEnv::WebEnv(store::Backend backend, std::optional<TlsConfig> tls) {
  tdb = std::make_unique<gerbang::testing::TestDatabase>(backend, dir.path());
  db = std::make_unique<store::Database>(tdb->config());
  agreements = std::make_unique<StaticAgreementDirectory>(clock, fixtureAgreements());
  app = std::make_unique<WebApp>(*db, clock, *agreements, WebAppConfig{},
                                 [this](const SecurityEvent& e) {
                                   std::lock_guard lock(eventsMutex);
                                   events.push_back(e);
                                 });
  ServerConfig c;
  c.bindAddress = "127.0.0.1";
  c.port = 0;
  c.tls = std::move(tls);
  c.threads = 4;
  c.maxBodyBytes = 64 * 1024;
  server = std::make_unique<Server>(c, [this](Request& q, Response& r) { app->handle(q, r); });
  server->start();
}

WebEnv::~WebEnv() {
  if (server) server->stop();
}

void WebEnv::addAccount(const std::string& username, Role role,
                        std::vector<std::string> agreementIds) {
  NewAccount a;
  a.username = username;
  a.role = role;
  a.agreements = std::move(agreementIds);
  auto st = app->accounts().create(a, kPassword);
  ASSERT_TRUE(st.ok()) << st.error().code;
}

Login WebEnv::login(const std::string& username, const std::string& password) const {
  Poco::JSON::Object o;
  o.set("username", username);
  o.set("password", password);
  HttpResult r = call({"POST", "/api/v1/session", toJson(o)});
  EXPECT_EQ(r.status, 200) << r.body;
  Login l;
  l.sessionId = cookieValue(sessionCookie(r));
  if (r.status == 200) l.csrf = r.json()->getValue<std::string>("csrfToken");
  return l;
}

std::string sessionCookie(const HttpResult& r) {
  for (const auto& c : r.all("set-cookie"))
    if (c.rfind(std::string(kSessionCookie) + "=", 0) == 0) return c;
  return "";
}

std::string cookieValue(const std::string& setCookie) {
  size_t eq = setCookie.find('=');
  if (eq == std::string::npos) return "";
  size_t semi = setCookie.find(';', eq);
  return setCookie.substr(eq + 1, semi == std::string::npos ? semi : semi - eq - 1);
}

}  // namespace gerbang::web::testing
