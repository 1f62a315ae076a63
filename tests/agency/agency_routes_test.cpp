// The plugin routes under /api/v1/agencies/{id}/... (core/agency) over real HTTP: the three
// shipped plugins and a plugin that misbehaves on purpose (tests/fixtures/plugins/
// agency_plugin.cpp), on the whole lookup pipeline (real units, SQLite and PostgreSQL, a
// gerbang-portal-sim subprocess) and the real balikan intake. What an operator and the
// registry rely on: roles and tenant isolation, CSRF, the rate limit, the agreement's term,
// the operator's NDA, minimisation of whatever a plugin answers, plugin failures as 502,
// the audit of each call, and the Karanganyar counter flow (lookup + register number as
// balikan) end to end.
#include "core/agency/agency_routes.hpp"
#include "core/agency/answer_filter.hpp"
#include "core/agency/rate_limiter.hpp"
#include "core/balikan/intake.hpp"
#include "core/outbox/outbox_repository.hpp"
#include "tests/lookup/lookup_fixture.hpp"
#include "tests/web/web_fixture.hpp"

#include <Poco/JSON/Parser.h>
#include <gerbang/sdk/plugin.hpp>
#include <gtest/gtest.h>

#include <cstddef>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace gerbang::agency {
namespace {

using lookup::testing::kJabar;
using lookup::testing::kKaranganyar;
using lookup::testing::kPurbalingga;
using lookup::testing::population;
using sim::Resident;
using web::Role;
using web::testing::HttpResult;
using web::testing::Login;

constexpr const char* kFixture = "uji-agensi";

std::string readFile(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The shipped plugins and the fixture, loaded once per process (plugins are never
// unloaded); each test's AgencyRoutes installs and removes its host services.
plugin::Registry& plugins() {
  static plugin::Registry* r = [] {
    auto reg = std::make_unique<plugin::Registry>();
    reg->loadDirectory(GERBANG_TEST_PLUGIN_DIR);
    reg->loadFile(GERBANG_AGENCY_FIXTURE_PLUGIN);
    return reg.release();
  }();
  return *r;
}

TEST(RateLimiterTest, BurstThenOneTokenPerInterval) {
  FixedClock clock(Date(2026, 11, 23));
  RateLimiter limiter(clock, 3);
  EXPECT_FALSE(limiter.take("a"));
  EXPECT_FALSE(limiter.take("a"));
  EXPECT_FALSE(limiter.take("a"));
  auto wait = limiter.take("a");
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, 20);  // 3 per minute: one token every 20 s
  EXPECT_FALSE(limiter.take("b"));  // buckets are per key
  clock.advance(std::chrono::seconds{20});
  EXPECT_FALSE(limiter.take("a"));
  EXPECT_TRUE(limiter.take("a"));
}

TEST(AnswerFilterTest, DropsNonPermittedRegistryFieldsAtAnyDepthAndCase) {
  auto r = minimiseAnswer(
      R"({"NAMA_LGKP":"A","no_kk":"1","x":{"Agama":"B","catatan":[{"NO_KK":"2","ok":1}]}})",
      {"NIK", "NAMA_LGKP"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->json, R"({"NAMA_LGKP":"A","x":{"catatan":[{"ok":1}]}})");
  EXPECT_EQ(r->dropped, (std::vector<std::string>{"AGAMA", "NO_KK"}));
  EXPECT_FALSE(minimiseAnswer("bukan json", {}).ok());
  EXPECT_EQ(minimiseAnswer("{\"a\":1} x", {}).error().code, "plugin_bad_answer");
}

// SDK 1.1: a plugin reads submit_balikan only from a host table long enough to hold it (a
// 1.0 host passes a shorter one).
TEST(SdkHostTest, SubmitBalikanOnlyWhenTheHostTableHasIt) {
  gerbang_host_v1 table{};
  table.submit_balikan = [](void*, const gerbang_kv* f, size_t n, gerbang_writer* out) {
    std::string s = "{\"fields\":" + std::to_string(n) + ",\"first\":\"" +
                    (n > 0 ? std::string(f[0].key) : "") + "\"}";
    out->write(out->ctx, s.data(), s.size());
    return GERBANG_OK;
  };
  table.size = uint32_t(offsetof(gerbang_host_v1, submit_balikan));  // an ABI 1.0 host
  EXPECT_EQ(sdk::Host(&table).submitBalikan({{"nik", "x"}}).status, GERBANG_ERROR);
  table.size = sizeof(gerbang_host_v1);
  auto a = sdk::Host(&table).submitBalikan({{"nik", "x"}, {"status", "diproses"}});
  EXPECT_EQ(a.status, GERBANG_OK);
  EXPECT_EQ(a.json, "{\"fields\":2,\"first\":\"nik\"}");
}

class AgencyRoutesTest : public lookup::testing::LookupFixture {
 protected:
  void SetUp() override {
    LookupFixture::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_EQ(plugins().refused().size(), 0u) << plugins().refused().front().line();
    ASSERT_NE(plugins().find(kFixture), nullptr);
    manifests_.push_back(plugins().find(kFixture)->manifest());
    build();
    // Karanganyar's registry account (LookupFixture leaves it unconfigured) and SPTJM.
    conf_->setString("agreement.karanganyar-ak1.portal.user_id", "karanganyar-ak1-01");
    conf_->setString("agreement.karanganyar-ak1.portal.password", "sim-karanganyar-rahasia");
    conf_->setString("agreement.karanganyar-ak1.portal.dialect.lembaga",
                     "DISDAGNAKERKOP_KARANGANYAR");
    host_.reset();
    host_ = std::make_unique<lookup::LookupHost>(*conf_, *db_, *agreements_, clock_);
    ASSERT_TRUE(host_->operators()
                    .recordSptjm({kKaranganyar, "SPTJM/UJI/KRA", Date(2020, 11, 12),
                                  "Kepala Dinas Uji", "Kepala Dinas"})
                    .ok());
    op::Operator o;
    o.userId = "op-uji";
    o.fullName = "Operator Uji Rute";
    o.agreements = {kFixture};
    o.nda = op::Nda{"NDA/UJI/RUTE", Date(2026, 1, 10)};
    ASSERT_TRUE(host_->operators().add(o).ok());

    outbox_ = std::make_unique<outbox::OutboxRepository>(*db_);
    intake_ = std::make_unique<balikan::IntakeService>(host_->obligations(), *outbox_,
                                                       host_->hasher(), clock_);
    intake_->addPlugins(plugins());
    std::vector<web::StaticAgreementDirectory::Entry> entries;
    for (const auto& ag : agreements_->all())
      entries.push_back({ag.id(), ag.manifest().agencyName, "PKS", ag.manifest().signedOn,
                         ag.status(clock_.today()).end});
    directory_ = std::make_unique<web::StaticAgreementDirectory>(clock_, entries);
    app_ = std::make_unique<web::WebApp>(*db_, clock_, *directory_);
    AgencyConfig config;
    config.perMinute = 1000;
    routes_ = std::make_unique<AgencyRoutes>(
        AgencyDeps{plugins(), *agreements_, host_->service(), host_->operators(), intake_.get(),
                   *db_, clock_},
        config);
    routes_->mount(app_->router());
    web::ServerConfig c;
    c.bindAddress = "127.0.0.1";
    c.port = 0;
    c.threads = 2;
    server_ = std::make_unique<web::Server>(
        c, [this](web::Request& q, web::Response& r) { app_->handle(q, r); });
    server_->start();
    // One account per role and agreement; operators linked to an operator with an NDA.
    const std::map<std::string, std::string> ops{{kJabar, "op-jabar"},
                                                 {kPurbalingga, "op-pbg"},
                                                 {kKaranganyar, "op-kra"},
                                                 {kFixture, "op-uji"}};
    for (const auto& [ag, op] : ops)
      for (Role role : web::kAllRoles) {
        std::optional<std::string> link;
        if (role == Role::kOperator) link = op;
        if (role == Role::kSupervisor && ag != kFixture) link = "sup";
        account(user(role, ag), role, {ag}, link);
      }
    account("opnda", Role::kOperator, {kPurbalingga}, "op-nonda");
    account("oplepas", Role::kOperator, {kPurbalingga}, std::nullopt);
  }
  void TearDown() override {
    if (server_) server_->stop();
    server_.reset();
    routes_.reset();
    app_.reset();
    intake_.reset();
    outbox_.reset();
    LookupFixture::TearDown();
  }

  static std::string user(Role role, const std::string& ag) {
    return std::string(web::roleName(role)).substr(0, 3) + "-" + ag;
  }
  void account(const std::string& name, Role role, std::vector<std::string> ags,
               std::optional<std::string> op) {
    web::NewAccount a;
    a.username = name;
    a.role = role;
    a.operatorId = std::move(op);
    a.agreements = std::move(ags);
    ASSERT_TRUE(app_->accounts().create(a, web::testing::kPassword).ok()) << name;
  }
  Login session(const std::string& name) {
    auto s = app_->sessions().create(name);
    return {s.id, s.csrfToken};
  }
  HttpResult call(const std::string& who, const std::string& method, const std::string& path,
                  const std::string& body = "", bool csrf = true) {
    return web::testing::httpCall(
        server_->port(), {method, path, body, "application/json", session(who).headers(csrf)});
  }
  static std::string at(const std::string& ag, const std::string& rel) {
    return "/api/v1/agencies/" + ag + "/" + rel;
  }
  void extend(const std::string& ag) {
    agreement::Adendum ad;
    ad.agencyId = ag;
    ad.number = "UJI/ADD/" + ag;
    ad.date = Date(2026, 1, 5);
    ad.newEnd = Date(2028, 1, 4);
    ad.recordedBy = "test";
    ASSERT_TRUE(agreements_->addAdendum(ad).ok());
  }
  std::vector<CallRecord> calls(const std::string& ag) {
    auto r = routes_->calls().recent(ag);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<CallRecord>{};
  }

  std::unique_ptr<outbox::OutboxRepository> outbox_;
  std::unique_ptr<balikan::IntakeService> intake_;
  std::unique_ptr<web::StaticAgreementDirectory> directory_;
  std::unique_ptr<web::WebApp> app_;
  std::unique_ptr<AgencyRoutes> routes_;
  std::unique_ptr<web::Server> server_;
};

// The plugin routes, written here independently of the manifests: who may call each.
struct Row {
  const char* agency;
  const char* method;
  const char* path;  // relative, parameters filled in
  std::set<Role> roles;
};
const std::vector<Row>& routeTable() {
  static const std::vector<Row> t{
      {kJabar, "GET", "pendaftaran/AK1-3273-2026-000123", {Role::kOperator, Role::kSupervisor}},
      {kJabar, "POST", "pemohon/pemeriksaan", {Role::kOperator}},
      {kPurbalingga, "GET", "peserta/PLT-3303-2026-00017", {Role::kOperator, Role::kSupervisor}},
      {kPurbalingga, "POST", "pelatihan/pemeriksaan", {Role::kOperator}},
      {kKaranganyar, "GET", "ak1/register/AK1-3313-202611-000457",
       {Role::kOperator, Role::kSupervisor}},
      {kKaranganyar, "POST", "ak1/pemeriksaan", {Role::kOperator}},
      {kFixture,
       "POST",
       "gema/1",
       {Role::kOperator, Role::kSupervisor, Role::kAdmin, Role::kEvaluator}},
  };
  return t;
}

TEST_P(AgencyRoutesTest, EveryPluginRouteEveryRoleOwnAndOtherAgreement) {
  extend(kKaranganyar);
  for (const Row& row : routeTable()) {
    const std::string other = std::string(row.agency) == kPurbalingga ? kJabar : kPurbalingga;
    for (Role role : web::kAllRoles) {
      for (bool own : {true, false}) {
        // The account of this role at the route's agency, or at another agency.
        const std::string who = user(role, own ? row.agency : other);
        const bool post = std::string(row.method) == "POST";
        auto r = call(who, row.method, at(row.agency, row.path), post ? "{}" : "");
        SCOPED_TRACE(std::string(row.method) + " " + row.agency + "/" + row.path + " as " +
                     web::roleName(role) + (own ? " (own)" : " (other agency)") + ": " + r.body);
        if (!row.roles.count(role)) {
          EXPECT_EQ(r.status, 403);
        } else if (!own) {
          EXPECT_EQ(r.status, 404);  // tenant isolation: as if it did not exist
        } else {
          // Past the wrapper to the plugin: the structure answer, or the plugin's own
          // "field missing" for the empty counter-check body.
          EXPECT_EQ(r.status, post && std::string(row.agency) != kFixture ? 400 : 200);
        }
      }
    }
    const std::string path = at(row.agency, row.path);
    EXPECT_EQ(web::testing::httpCall(server_->port(), {row.method, path, "{}"}).status, 401);
  }
  EXPECT_EQ(simRequests("purbalingga-dinnaker-01"), 0);
  EXPECT_EQ(simRequests("karanganyar-ak1-01"), 0);
}

TEST_P(AgencyRoutesTest, EveryMountedRouteIsDocumentedInOpenApi) {
  auto doc = Poco::JSON::Parser()
                 .parse(readFile(gerbang::testing::sourceDir() / "docs" / "openapi.json"))
                 .extract<Poco::JSON::Object::Ptr>();
  auto paths = doc->getObject("paths");
  int shipped = 0;
  for (const MountedRoute& m : routes_->mounted()) {
    if (m.agencyId == kFixture) continue;
    ++shipped;
    SCOPED_TRACE(m.method + " " + m.pattern);
    auto item = paths->getObject(m.pattern);
    ASSERT_TRUE(item) << "not in docs/openapi.json";
    std::string method = m.method;
    for (char& c : method) c = char(std::tolower(static_cast<unsigned char>(c)));
    auto op = item->getObject(method);
    ASSERT_TRUE(op);
    const auto& routes = app_->router().routes();
    auto route = std::find_if(routes.begin(), routes.end(), [&](const web::Route& r) {
      return r.method == m.method && r.pattern == m.pattern;
    });
    ASSERT_NE(route, routes.end());
    EXPECT_EQ(op->getValue<std::string>("summary"), route->summary);
    EXPECT_EQ(op->getValue<std::string>("x-gerbang-access"), "session");
    EXPECT_EQ(op->getValue<std::string>("x-gerbang-scope"), "id");
    EXPECT_EQ(op->getValue<std::string>("x-gerbang-module"), "agency");
    EXPECT_EQ(op->getValue<std::string>("x-gerbang-agency"), m.agencyId);
    EXPECT_EQ(op->getValue<std::string>("x-gerbang-route"), m.routeId);
    std::set<std::string> docRoles, want(m.roles.begin(), m.roles.end());
    for (const auto& v : *op->getArray("x-gerbang-roles")) docRoles.insert(v.toString());
    EXPECT_EQ(docRoles, want);
    std::set<std::string> docUses, wantUses(m.uses.begin(), m.uses.end());
    if (auto uses = op->getArray("x-gerbang-uses"))
      for (const auto& v : *uses) docUses.insert(v.toString());
    EXPECT_EQ(docUses, wantUses);
  }
  EXPECT_EQ(shipped, 6);
  // And nothing documented as an agency route that is not mounted.
  for (const auto& [path, itemVar] : *paths) {
    auto item = itemVar.extract<Poco::JSON::Object::Ptr>();
    for (const auto& [method, opVar] : *item) {
      auto op = opVar.extract<Poco::JSON::Object::Ptr>();
      if (op->optValue<std::string>("x-gerbang-module", "") != "agency") continue;
      const std::string p = path;
      EXPECT_TRUE(std::any_of(routes_->mounted().begin(), routes_->mounted().end(),
                              [&](const MountedRoute& m) { return m.pattern == p; }))
          << path << " is documented but not mounted";
    }
  }
}

TEST_P(AgencyRoutesTest, StateChangeWithoutCsrfIsRefusedBeforeThePlugin) {
  extend(kKaranganyar);
  const std::string nik = population().sample(Resident::Kind::kFound, 1).at(0);
  const std::string body =
      "{\"nik\":\"" + nik + "\",\"nomor_register\":\"AK1-3313-202611-000457\"}";
  auto r = call(user(Role::kOperator, kKaranganyar), "POST", at(kKaranganyar, "ak1/pemeriksaan"),
                body, false);
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("csrf_failed"), std::string::npos);
  EXPECT_EQ(simRequests("karanganyar-ak1-01"), 0);
  EXPECT_TRUE(calls(kKaranganyar).empty());  // never reached the plugin wrapper
}

TEST_P(AgencyRoutesTest, RateLimitPerAccountAndAgreementAnswers429WithRetryAfter) {
  server_->stop();
  server_.reset();
  routes_.reset();
  app_ = std::make_unique<web::WebApp>(*db_, clock_, *directory_);
  AgencyConfig config;
  config.perMinute = 3;
  routes_ = std::make_unique<AgencyRoutes>(
      AgencyDeps{plugins(), *agreements_, host_->service(), host_->operators(), intake_.get(),
                 *db_, clock_},
      config);
  routes_->mount(app_->router());
  web::ServerConfig c;
  c.bindAddress = "127.0.0.1";
  c.port = 0;
  c.threads = 2;
  server_ = std::make_unique<web::Server>(
      c, [this](web::Request& q, web::Response& r) { app_->handle(q, r); });
  server_->start();
  // The accounts live in the store: the new WebApp sees them.
  const std::string path = at(kPurbalingga, "peserta/PLT-3303-2026-00017");
  const std::string op = user(Role::kOperator, kPurbalingga);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(call(op, "GET", path).status, 200) << i;
  auto limited = call(op, "GET", path);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.header("retry-after"), "20");
  EXPECT_NE(limited.json()->getValue<std::string>("message").find("per menit"), std::string::npos);
  // Another account is not held back by this one.
  EXPECT_EQ(call(user(Role::kSupervisor, kPurbalingga), "GET", path).status, 200);
  clock_.advance(std::chrono::seconds{20});
  EXPECT_EQ(call(op, "GET", path).status, 200);
  auto log = calls(kPurbalingga);
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(std::count_if(log.begin(), log.end(),
                          [](const CallRecord& r) { return r.outcome == "rate_limited"; }),
            1);
}

TEST_P(AgencyRoutesTest, ExpiredAgreementGetsTheLookupsRefusalUntilAnAdendum) {
  const std::string path = at(kKaranganyar, "ak1/register/AK1-3313-202611-000457");
  auto r = call(user(Role::kOperator, kKaranganyar), "GET", path);
  EXPECT_EQ(r.status, 403);
  auto o = r.json();
  EXPECT_EQ(o->getValue<std::string>("error"), "agreement_expired");
  // The same refusal the lookup gives (it names the end date and asks for an Adendum).
  auto refusal = agreements_->checkAccess(kKaranganyar);
  ASSERT_FALSE(refusal.ok());
  EXPECT_EQ(o->getValue<std::string>("message"), refusal.error().message);
  extend(kKaranganyar);
  EXPECT_EQ(call(user(Role::kOperator, kKaranganyar), "GET", path).status, 200);
}

TEST_P(AgencyRoutesTest, OperatorWithoutNdaOrLinkCannotUseRoutesThatLookUp) {
  const std::string path = at(kPurbalingga, "pelatihan/pemeriksaan");
  const std::string nik = population().sample(Resident::Kind::kFound, 1).at(0);
  const std::string body = "{\"nik\":\"" + nik + "\",\"nomor_peserta\":\"PLT-3303-2026-00017\"}";
  auto noNda = call("opnda", "POST", path, body);
  EXPECT_EQ(noNda.status, 403);
  EXPECT_EQ(noNda.json()->getValue<std::string>("error"), "no_nda");
  auto noLink = call("oplepas", "POST", path, body);
  EXPECT_EQ(noLink.status, 403);
  EXPECT_EQ(noLink.json()->getValue<std::string>("error"), "no_operator");
  EXPECT_EQ(simRequests("purbalingga-dinnaker-01"), 0);
  // A route that looks nothing up needs no operator link.
  EXPECT_EQ(call("oplepas", "GET", at(kPurbalingga, "peserta/PLT-3303-2026-00017")).status, 200);
}

TEST_P(AgencyRoutesTest, AnswerIsMinimisedAndTheDroppedNamesAudited) {
  auto r = call(user(Role::kOperator, kFixture), "GET", at(kFixture, "bocor"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto o = r.json();
  EXPECT_EQ(o->getValue<std::string>("NAMA_LGKP"), "WARGA UJI");  // permitted
  EXPECT_FALSE(o->has("NO_KK"));                                  // not in this PKS
  EXPECT_FALSE(o->getObject("data")->has("agama"));               // in none
  EXPECT_FALSE(o->getObject("data")->has("kode_pos"));            // part not permitted
  EXPECT_EQ(o->getObject("data")->getValue<std::string>("KEC_NAME"), "KECAMATAN UJI");
  auto row = o->getArray("daftar")->getObject(0);
  EXPECT_FALSE(row->has("No_Kk"));
  EXPECT_EQ(row->getValue<std::string>("catatan"), "ok");
  EXPECT_EQ(r.body.find("3303014101900001"), std::string::npos);
  auto log = calls(kFixture);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].dropped, "AGAMA,KODE_POS,NO_KK");
  EXPECT_EQ(log[0].routeId, "bocor");
  EXPECT_EQ(log[0].httpStatus, 200);
  EXPECT_EQ(log[0].account, user(Role::kOperator, kFixture));
  EXPECT_EQ(log[0].operatorId, "op-uji");
}

TEST_P(AgencyRoutesTest, PluginFailuresAre502WithARedactedDetail) {
  auto bad = call(user(Role::kOperator, kFixture), "GET", at(kFixture, "rusak"));
  EXPECT_EQ(bad.status, 502);
  EXPECT_EQ(bad.json()->getValue<std::string>("error"), "plugin_bad_answer");
  EXPECT_EQ(bad.body.find("ini bukan JSON"), std::string::npos);
  auto failed = call(user(Role::kOperator, kFixture), "GET", at(kFixture, "gagal"));
  EXPECT_EQ(failed.status, 502);
  auto o = failed.json();
  EXPECT_EQ(o->getValue<std::string>("error"), "plugin_error");
  EXPECT_NE(o->getValue<std::string>("detail").find("basis data instansi gagal"),
            std::string::npos);
  EXPECT_NE(o->getValue<std::string>("detail").find("[redacted]"), std::string::npos);
  EXPECT_EQ(failed.body.find("3303014101900001"), std::string::npos);
  std::set<std::string> outcomes;
  for (const auto& c : calls(kFixture)) outcomes.insert(c.outcome);
  EXPECT_EQ(outcomes, (std::set<std::string>{"plugin_bad_answer", "plugin_error"}));
}

TEST_P(AgencyRoutesTest, RequestIsValidatedBeforeThePluginSeesIt) {
  const std::string op = user(Role::kOperator, kFixture);
  auto notJson = call(op, "POST", at(kFixture, "gema/7"), "{\"a\":");
  EXPECT_EQ(notJson.status, 400);
  EXPECT_EQ(notJson.json()->getValue<std::string>("error"), "invalid_json");
  auto array = call(op, "POST", at(kFixture, "gema/7"), "[1]");
  EXPECT_EQ(array.status, 400);
  EXPECT_EQ(array.json()->getValue<std::string>("error"), "not_json_object");
  auto big = call(op, "POST", at(kFixture, "gema/7"),
                  "{\"a\":\"" + std::string(20 * 1024, 'x') + "\"}");
  EXPECT_EQ(big.status, 413);
  auto withBody = call(op, "GET", at(kFixture, "bocor"), "{}");
  EXPECT_EQ(withBody.status, 400);
  // What the plugin is handed: its own path parameter and the query, the linked operator
  // and the role; never the agreement id parameter.
  auto echo = call(op, "POST", at(kFixture, "gema/7?urut=2&id=lain"), "{\"a\":\"b\"}");
  ASSERT_EQ(echo.status, 200) << echo.body;
  auto o = echo.json();
  EXPECT_EQ(o->getValue<std::string>("operator"), "op-uji");
  EXPECT_EQ(o->getValue<std::string>("role"), "operator");
  auto params = o->getObject("params");
  EXPECT_EQ(params->getValue<std::string>("nomor"), "7");
  EXPECT_EQ(params->getValue<std::string>("urut"), "2");
  EXPECT_FALSE(params->has("id"));
  EXPECT_EQ(o->getValue<int>("body_bytes"), 9);
  for (const auto& c : calls(kFixture)) {
    if (c.outcome != "ok") {
      EXPECT_EQ(c.outcome, "request_invalid");
    }
  }
}

TEST_P(AgencyRoutesTest, HostServicesOnlyInsideTheCallForRoutesThatDeclareThem) {
  const std::string op = user(Role::kOperator, kFixture);
  auto undeclared = call(op, "POST", at(kFixture, "tanpa-izin"), "{}");
  ASSERT_EQ(undeclared.status, 200) << undeclared.body;
  EXPECT_TRUE(undeclared.json()->getValue<bool>("lookup_refused"));
  EXPECT_TRUE(undeclared.json()->getValue<bool>("balikan_refused"));
  auto thread = call(op, "POST", at(kFixture, "utas"), "{}");
  ASSERT_EQ(thread.status, 200) << thread.body;
  EXPECT_TRUE(thread.json()->getValue<bool>("lookup_refused"));
  auto otherOp = call(op, "POST", at(kFixture, "operator-lain"), "{}");
  ASSERT_EQ(otherOp.status, 200) << otherOp.body;
  EXPECT_TRUE(otherOp.json()->getValue<bool>("lookup_refused"));
  EXPECT_EQ(simRequests("purbalingga-dinnaker-01"), 0);
}

TEST_P(AgencyRoutesTest, KaranganyarCounterCheckRecordsTheRegisterNumberAsBalikan) {
  extend(kKaranganyar);
  const std::string nik = population().sample(Resident::Kind::kFound, 3).at(2);
  auto person = population().find(nik);
  ASSERT_TRUE(person);
  std::string name;
  for (char c : person->nama) name += char(std::tolower(static_cast<unsigned char>(c)));
  const std::string op = user(Role::kOperator, kKaranganyar);
  const std::string path = at(kKaranganyar, "ak1/pemeriksaan");
  // The documents give another birth date: Tidak Sesuai, nothing returned to the registry.
  auto wrong = call(op, "POST", path,
                    "{\"nik\":\"" + nik +
                        "\",\"nomor_register\":\"AK1-3313-202611-000457\",\"nama_lengkap\":\"" +
                        name + "\",\"tanggal_lahir\":\"1901-01-01\"}");
  ASSERT_EQ(wrong.status, 200) << wrong.body;
  auto w = wrong.json();
  EXPECT_EQ(w->getValue<std::string>("outcome"), "found");
  EXPECT_FALSE(w->getValue<bool>("sesuai"));
  EXPECT_EQ(w->getObject("balikan")->getValue<std::string>("status"), "not_recorded");
  auto open = host_->obligations().counts(kKaranganyar, clock_.today());
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(open->open, 1);
  tick();
  // The corrected documents: Sesuai; the register number and card become the balikan.
  auto right = call(op, "POST", path,
                    "{\"nik\":\"" + nik +
                        "\",\"nomor_register\":\"AK1-3313-202611-000457\",\"nama_lengkap\":\"  " +
                        name + " \",\"tanggal_lahir\":\"" + person->tanggalLahir.iso() +
                        "\",\"nomor_id_kartu_pencari_kerja\":\"3313-2026-000031\","
                        "\"jenis_usaha\":\"Bengkel\",\"class_usaha\":\"mikro\"}");
  ASSERT_EQ(right.status, 200) << right.body;
  auto o = right.json();
  EXPECT_EQ(o->getValue<std::string>("outcome"), "found");
  EXPECT_TRUE(o->getValue<bool>("sesuai"));
  std::map<std::string, std::string> checks;
  auto arr = o->getArray("pemeriksaan");
  for (size_t i = 0; i < arr->size(); ++i)
    checks[arr->getObject(unsigned(i))->getValue<std::string>("field")] =
        arr->getObject(unsigned(i))->getValue<std::string>("result");
  EXPECT_EQ(checks, (std::map<std::string, std::string>{{"NAMA_LGKP", "sesuai"},
                                                        {"TGL_LHR", "sesuai"}}));
  auto bal = o->getObject("balikan");
  EXPECT_EQ(bal->getValue<std::string>("status"), "accepted") << right.body;
  EXPECT_TRUE(bal->getObject("host")->getValue<bool>("obligation_closed"));
  EXPECT_EQ(o->getObject("register")->getValue<int>("nomor_urut"), 457);
  // The cross-check answers without the registry's values.
  EXPECT_EQ(right.body.find(person->nama), std::string::npos);
  EXPECT_EQ(right.body.find(person->tempatLahir), std::string::npos);
  EXPECT_EQ(right.body.find(nik), std::string::npos);
  auto after = host_->obligations().counts(kKaranganyar, clock_.today());
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->open, 0);
  EXPECT_EQ(after->fulfilled, 1);
  auto status = intake_->status(kKaranganyar);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->records.size(), 1u);
  EXPECT_EQ(simRequests("karanganyar-ak1-01"), 2);
  // Two route calls audited, and two lookups in the hash-chained audit (by LookupService).
  auto log = calls(kKaranganyar);
  ASSERT_EQ(log.size(), 2u);
  for (const auto& c : log) {
    EXPECT_EQ(c.routeId, "ak1-pemeriksaan");
    EXPECT_EQ(c.operatorId, "op-kra");
    EXPECT_EQ(c.outcome, "ok");
    EXPECT_EQ(c.dropped, "");
  }
}

TEST_P(AgencyRoutesTest, PurbalinggaTrainingParticipantCheckEndToEnd) {
  const std::string nik = population().sample(Resident::Kind::kFound, 4).at(3);
  auto r = call(user(Role::kOperator, kPurbalingga), "POST", at(kPurbalingga, "pelatihan/pemeriksaan"),
                "{\"nik\":\"" + nik +
                    "\",\"nomor_peserta\":\"PLT-3303-2026-00017\",\"nomor_sertifikat_pelatihan\":"
                    "\"SRT-3303-2026-00017\",\"jenis_pelatihan\":\"Menjahit\"}");
  ASSERT_EQ(r.status, 200) << r.body;
  auto o = r.json();
  EXPECT_EQ(o->getValue<std::string>("outcome"), "found");
  EXPECT_EQ(o->getObject("balikan")->getValue<std::string>("status"), "accepted") << r.body;
  EXPECT_EQ(o->getObject("peserta")->getValue<std::string>("jenis"), "peserta_pelatihan");
  // A certificate without its training: the plugin's balikan rule refuses it, named.
  tick();
  const std::string nik2 = population().sample(Resident::Kind::kFound, 5).at(4);
  auto refused = call(user(Role::kOperator, kPurbalingga), "POST",
                      at(kPurbalingga, "pelatihan/pemeriksaan"),
                      "{\"nik\":\"" + nik2 +
                          "\",\"nomor_peserta\":\"PLT-3303-2026-00018\","
                          "\"nomor_sertifikat_pelatihan\":\"SRT-3303-2026-00018\"}");
  ASSERT_EQ(refused.status, 200) << refused.body;
  auto b = refused.json()->getObject("balikan");
  EXPECT_EQ(b->getValue<std::string>("status"), "refused");
  EXPECT_NE(b->getObject("host")->getValue<std::string>("message").find("jenis_pelatihan"),
            std::string::npos);
  // Unknown fields and a malformed number never reach the registry.
  auto unknown = call(user(Role::kOperator, kPurbalingga), "POST",
                      at(kPurbalingga, "pelatihan/pemeriksaan"),
                      "{\"nik\":\"" + nik + "\",\"nomor_peserta\":\"PLT-3303-2026-00017\",\"agama\":\"x\"}");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find("tidak dikenal"), std::string::npos);
  EXPECT_EQ(simRequests("purbalingga-dinnaker-01"), 2);
}

TEST_P(AgencyRoutesTest, JabarJobSeekerCheckEndToEnd) {
  const std::string nik = population().sample(Resident::Kind::kFound, 6).at(5);
  const std::string path = at(kJabar, "pemohon/pemeriksaan");
  const std::string op = user(Role::kOperator, kJabar);
  auto mismatch = call(op, "POST", path,
                       "{\"nik\":\"" + nik +
                           "\",\"nomor_pendaftaran\":\"AK1-3273-2026-000123\",\"jenis_layanan\":"
                           "\"transmigrasi\"}");
  EXPECT_EQ(mismatch.status, 422);
  auto r = call(op, "POST", path,
                "{\"nik\":\"" + nik +
                    "\",\"nomor_pendaftaran\":\"AK1-3273-2026-000123\",\"jenis_layanan\":"
                    "\"pencari_kerja\",\"keterangan_pencari_kerja\":\"Terdaftar sebagai pencari "
                    "kerja\"}");
  ASSERT_EQ(r.status, 200) << r.body;
  auto o = r.json();
  EXPECT_EQ(o->getValue<std::string>("outcome"), "found");
  EXPECT_EQ(o->getObject("balikan")->getValue<std::string>("status"), "accepted") << r.body;
  EXPECT_EQ(simRequests("jabar-disnakertrans-01"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, AgencyRoutesTest,
                         ::testing::ValuesIn(gerbang::testing::storeBackends()),
                         [](const auto& info) { return gerbang::testing::backendName(info.param); });

}  // namespace
}  // namespace gerbang::agency
