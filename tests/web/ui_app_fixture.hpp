// The operator screens' routes over real HTTP on the whole lookup pipeline: a WebApp on the
// LookupFixture's store, clock and stand-in, UiServices over its host, and a Server on a free
// loopback port. Derived fixtures register their routes between buildApp() and
// startServer(), then add accounts; post()/get()/anon() call as a signed-in account (with
// the CSRF header) or anonymously.
#pragma once

#include "core/web/agreement_directory.hpp"
#include "core/web/server.hpp"
#include "core/web/ui_lookup.hpp"
#include "core/web/web_app.hpp"
#include "tests/lookup/lookup_fixture.hpp"
#include "tests/web/ui_calls.hpp"
#include "tests/web/web_fixture.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gerbang::web::testing {

class UiAppFixture : public lookup::testing::LookupFixture {
 protected:
  // The web app and the screens' services over this fixture's lookup host.
  void buildApp() {
    std::vector<StaticAgreementDirectory::Entry> entries;
    for (const auto& ag : agreements_->all())
      entries.push_back({ag.id(), ag.manifest().agencyName, "PKS", ag.manifest().signedOn,
                         ag.status(clock_.today()).end});
    directory_ = std::make_unique<StaticAgreementDirectory>(clock_, entries);
    app_ = std::make_unique<WebApp>(*db_, clock_, *directory_);
    ui_ = std::make_unique<UiServices>(UiServices{host_->service(), *agreements_,
                                                  host_->operators(), host_->releases(), clock_,
                                                  host_->audit(), host_->obligations(),
                                                  host_->quota(), host_->registry()});
  }
  void startServer(int threads = 2) {
    ServerConfig c;
    c.bindAddress = "127.0.0.1";
    c.port = 0;
    c.threads = threads;
    server_ = std::make_unique<Server>(c, [this](Request& q, Response& r) { app_->handle(q, r); });
    server_->start();
  }
  // Stops the server before anything it calls into goes; then the lookup fixture.
  void TearDown() override {
    if (server_) server_->stop();
    server_.reset();
    releaseApp();
    app_.reset();
    LookupFixture::TearDown();
  }
  // Derived fixtures free what their routes use here (after the server stopped).
  virtual void releaseApp() {}

  // The calls of tests/web/ui_calls.hpp on this fixture's app and server.
  UiCalls calls() { return UiCalls(*app_, server_ ? server_->port() : 0); }
  void account(const std::string& name, Role role, std::vector<std::string> ags,
               std::optional<std::string> op) {
    calls().account(name, role, std::move(ags), std::move(op));
  }
  // The accounts every route test signs in with: two Purbalingga operators (op-pbg,
  // op-pbg2), a Karanganyar operator (opkra: the other agency), and Purbalingga's supervisor,
  // admin and evaluator.
  void standardAccounts() {
    account("opweb", Role::kOperator, {lookup::testing::kPurbalingga}, "op-pbg");
    account("opweb2", Role::kOperator, {lookup::testing::kPurbalingga}, "op-pbg2");
    account("opkra", Role::kOperator, {lookup::testing::kKaranganyar}, "op-kra");
    account("supweb", Role::kSupervisor, {lookup::testing::kPurbalingga}, "sup");
    account("admweb", Role::kAdmin, {lookup::testing::kPurbalingga}, std::nullopt);
    account("evalweb", Role::kEvaluator, {lookup::testing::kPurbalingga}, std::nullopt);
  }
  Login session(const std::string& name) { return calls().session(name); }
  HttpResult post(const std::string& who, const std::string& path, const std::string& body,
                  bool csrf = true) {
    return calls().post(who, path, body, csrf);
  }
  HttpResult get(const std::string& who, const std::string& path) { return calls().get(who, path); }
  HttpResult anon(const std::string& path) { return httpCall(server_->port(), {"GET", path}); }

  std::unique_ptr<StaticAgreementDirectory> directory_;
  std::unique_ptr<WebApp> app_;
  std::unique_ptr<UiServices> ui_;
  std::unique_ptr<Server> server_;
};

}  // namespace gerbang::web::testing
