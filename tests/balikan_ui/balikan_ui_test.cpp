// The operator screens' data-balikan endpoints (core/balikan/ui_routes.hpp) over real HTTP on
// the whole lookup pipeline (real units, both store backends, a gerbang-portal-sim
// subprocess, the real plugins and their cross-field hooks): the form spec from the schema,
// one record closing the obligation a lookup opened, per-field errors that never echo a value,
// CSV and XLSX uploads with the row error report (and a safe re-upload), the backlog without
// any NIK, delivery figures, the role × route table and the docs/openapi.json entries; and the
// delivery worker `gerbang serve` runs (DeliveryHost) delivering to the stand-in receiver and
// stopping cleanly.
#include "core/balikan/export.hpp"
#include "core/balikan/intake.hpp"
#include "core/balikan/ui_routes.hpp"
#include "core/outbox/delivery_host.hpp"
#include "core/plugin/loader.hpp"
#include "tests/lookup/lookup_fixture.hpp"
#include "tests/web/ui_calls.hpp"
#include "tests/web/web_fixture.hpp"

#include <Poco/JSON/Parser.h>
#include <Poco/Util/MapConfiguration.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <thread>

namespace gerbang::balikan {
namespace {

using lookup::testing::kKaranganyar;
using lookup::testing::kPurbalingga;
using lookup::testing::population;
using sim::Resident;
using web::Role;
using web::testing::HttpResult;
using web::testing::Login;

class BalikanUiTest : public lookup::testing::LookupFixture {
 protected:
  static void SetUpTestSuite() {
    plugins_ = new plugin::Registry;
    plugins_->loadDirectory(GERBANG_TEST_PLUGIN_DIR);
  }
  static void TearDownTestSuite() {
    delete plugins_;
    plugins_ = nullptr;
  }

  void SetUp() override {
    LookupFixture::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_NE(plugins_->find(kPurbalingga), nullptr);
    std::vector<web::StaticAgreementDirectory::Entry> entries;
    for (const auto& ag : agreements_->all())
      entries.push_back({ag.id(), ag.manifest().agencyName, "PKS", ag.manifest().signedOn,
                         ag.status(clock_.today()).end});
    directory_ = std::make_unique<web::StaticAgreementDirectory>(clock_, entries);
    app_ = std::make_unique<web::WebApp>(*db_, clock_, *directory_);
    outbox_ = std::make_unique<outbox::OutboxRepository>(*db_);
    intake_ = std::make_unique<IntakeService>(host_->obligations(), *outbox_, host_->hasher(),
                                              clock_);
    intake_->addPlugins(*plugins_);
    ui_ = std::make_unique<BalikanUiServices>(BalikanUiServices{
        *intake_, host_->obligations(), *outbox_, host_->audit(), clock_,
        [this] { ++wakes_; }, false});
    registerBalikanUiRoutes(app_->router(), *ui_);
    web::ServerConfig c;
    c.bindAddress = "127.0.0.1";
    c.port = 0;
    c.threads = 2;
    server_ = std::make_unique<web::Server>(
        c, [this](web::Request& q, web::Response& r) { app_->handle(q, r); });
    server_->start();
    account("opweb", Role::kOperator, {kPurbalingga}, "op-pbg");
    account("opweb2", Role::kOperator, {kPurbalingga}, "op-pbg2");
    account("opkra", Role::kOperator, {kKaranganyar}, "op-kra");
    account("supweb", Role::kSupervisor, {kPurbalingga}, "sup");
    account("admweb", Role::kAdmin, {kPurbalingga}, std::nullopt);
    account("evalweb", Role::kEvaluator, {kPurbalingga}, std::nullopt);
  }
  void TearDown() override {
    if (server_) server_->stop();
    server_.reset();
    app_.reset();
    ui_.reset();
    intake_.reset();
    outbox_.reset();
    LookupFixture::TearDown();
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
                  const std::string& body = "", const std::string& type = "application/json",
                  bool csrf = true) {
    return web::testing::httpCall(server_->port(),
                                  {method, path, body, type, session(who).headers(csrf)});
  }
  // Purbalingga people found by the stand-in, each looked up once (opening an obligation).
  std::vector<std::string> lookedUp(int n) {
    static const auto niks = population().sample(Resident::Kind::kFound, 400);
    std::vector<std::string> out;
    // Far-apart NIKs, a minute apart: the pattern guard must not refuse them.
    for (; nextSample_ < niks.size() && int(out.size()) < n; nextSample_ += 7) {
      tick(60);
      auto a = lookup(kPurbalingga, "op-pbg", niks[nextSample_]);
      EXPECT_EQ(a.outcome, "found") << a.message;
      if (a.outcome == "found") out.push_back(niks[nextSample_]);
    }
    EXPECT_EQ(int(out.size()), n);
    return out;
  }
  static std::string recordJson(const std::string& nik, const std::string& sertifikat =
                                                            "SRT-3303-2025-00017") {
    return "{\"nik\":\"" + nik +
           "\",\"keterangan_pencari_kerja\":\"Terdaftar\",\"nomor_sertifikat_pelatihan\":\"" +
           sertifikat + "\",\"jenis_pelatihan\":\"Menjahit\",\"penempatan_kerja\":\"dalam_negeri\"}";
  }
  int openObligations() {
    auto c = host_->obligations().counts(kPurbalingga, clock_.today());
    EXPECT_TRUE(c.ok());
    return c.ok() ? c->open : -1;
  }

  const std::string pbg = std::string("/api/v1/agreements/") + kPurbalingga;
  static plugin::Registry* plugins_;
  std::unique_ptr<web::StaticAgreementDirectory> directory_;
  std::unique_ptr<web::WebApp> app_;
  std::unique_ptr<outbox::OutboxRepository> outbox_;
  std::unique_ptr<IntakeService> intake_;
  std::unique_ptr<BalikanUiServices> ui_;
  std::unique_ptr<web::Server> server_;
  std::atomic<int> wakes_{0};
  size_t nextSample_ = 0;
};
plugin::Registry* BalikanUiTest::plugins_ = nullptr;

TEST_P(BalikanUiTest, FormSpecComesFromThePluginSchema) {
  auto r = call("opweb", "GET", pbg + "/balikan/form");
  ASSERT_EQ(r.status, 200) << r.body;
  auto fields = r.json()->getArray("fields");
  ASSERT_EQ(fields->size(), 5u);
  std::map<std::string, Poco::JSON::Object::Ptr> by;
  for (size_t i = 0; i < fields->size(); ++i)
    by[fields->getObject(unsigned(i))->getValue<std::string>("name")] =
        fields->getObject(unsigned(i));
  EXPECT_EQ(by["nik"]->getValue<std::string>("type"), "nik");
  EXPECT_TRUE(by["nik"]->getValue<bool>("required"));
  EXPECT_EQ(by["nik"]->getValue<int>("maxLength"), 16);
  EXPECT_EQ(by["nomor_sertifikat_pelatihan"]->getValue<std::string>("label"),
            "Nomor sertifikat peserta pelatihan kerja");
  EXPECT_EQ(by["nomor_sertifikat_pelatihan"]->getValue<std::string>("pattern"),
            "^SRT-3303-[0-9]{4}-[0-9]{5}$");
  EXPECT_EQ(by["nomor_sertifikat_pelatihan"]->getValue<int>("maxLength"), 19);
  EXPECT_FALSE(by["penempatan_kerja"]->getValue<bool>("required"));
  EXPECT_EQ(by["penempatan_kerja"]->getValue<std::string>("type"), "enum");
  EXPECT_EQ(by["penempatan_kerja"]->getArray("values")->size(), 4u);
  EXPECT_FALSE(by["nik"]->getValue<std::string>("hint").empty());
}

TEST_P(BalikanUiTest, ARecordClosesTheObligationAndErrorsNameFieldsWithoutValues) {
  const auto niks = lookedUp(1);
  ASSERT_EQ(niks.size(), 1u);
  EXPECT_EQ(openObligations(), 1);
  // Schema errors: per field, in Indonesian, never the value typed.
  auto bad = call("opweb", "POST", pbg + "/balikan/records",
                  recordJson(niks[0], "SRT-XXXX-9999-ZZZZZ"));
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.json()->getValue<std::string>("error"), "balikan_invalid");
  auto errs = bad.json()->getArray("errors");
  ASSERT_EQ(errs->size(), 1u);
  EXPECT_EQ(errs->getObject(0)->getValue<std::string>("field"), "nomor_sertifikat_pelatihan");
  EXPECT_EQ(bad.body.find("SRT-XXXX"), std::string::npos);
  EXPECT_EQ(bad.body.find(niks[0]), std::string::npos);
  // The plugin's cross-field hook (Purbalingga: a certificate needs the training kind).
  auto hook = call("opweb", "POST", pbg + "/balikan/records",
                   "{\"nik\":\"" + niks[0] + "\",\"nomor_sertifikat_pelatihan\":\"SRT-3303-2025-00017\"}");
  ASSERT_EQ(hook.status, 400) << hook.body;
  EXPECT_NE(hook.body.find("jenis_pelatihan"), std::string::npos);
  // Garbage is refused with a message, not a crash.
  auto garbage = call("opweb", "POST", pbg + "/balikan/records", "{\"nik\": 3303");
  EXPECT_EQ(garbage.status, 400);
  EXPECT_EQ(garbage.json()->getValue<std::string>("error"), "balikan_json_invalid");
  // Someone never looked up: refused, nothing queued.
  auto never = population().sample(Resident::Kind::kFound, 399).at(398);
  auto refused = call("opweb", "POST", pbg + "/balikan/records", recordJson(never));
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(openObligations(), 1);
  EXPECT_EQ(wakes_.load(), 0);
  // Valid: accepted, queued, obligation closed, the worker woken.
  auto ok = call("opweb", "POST", pbg + "/balikan/records", recordJson(niks[0]));
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_TRUE(ok.json()->getValue<bool>("obligationClosed"));
  EXPECT_EQ(openObligations(), 0);
  EXPECT_EQ(wakes_.load(), 1);
  EXPECT_EQ(outbox_->counts(kPurbalingga)->pending, 1);
  // The same record again: nothing new.
  auto again = call("opweb", "POST", pbg + "/balikan/records", recordJson(niks[0]));
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_TRUE(again.json()->getValue<bool>("alreadyQueued"));
  EXPECT_EQ(outbox_->counts(kPurbalingga)->pending, 1);
  // Without the CSRF header the browser's POST is refused.
  EXPECT_EQ(call("opweb", "POST", pbg + "/balikan/records", recordJson(niks[0]),
                 "application/json", false)
                .status,
            403);
}

std::string csvOf(const std::vector<std::string>& lines) {
  std::string s = "nik;keterangan_pencari_kerja;nomor_sertifikat_pelatihan;jenis_pelatihan;"
                  "penempatan_kerja\r\n";
  for (const auto& l : lines) s += l + "\r\n";
  return s;
}

TEST_P(BalikanUiTest, CsvUploadAcceptsValidRowsReportsTheRestAndReuploadIsSafe) {
  const auto niks = lookedUp(3);
  ASSERT_EQ(niks.size(), 3u);
  const std::string csv = csvOf({
      niks[0] + ";Terdaftar;SRT-3303-2025-00017;Menjahit;dalam_negeri",
      niks[1] + ";Terdaftar;SRT-3303-2025-BAD;Las;luar_angkasa",  // row 3: two errors
      niks[2] + ";Terdaftar;;;wirausaha",
  });
  auto r = call("opweb", "POST", pbg + "/balikan/uploads", csv, "text/csv");
  ASSERT_EQ(r.status, 200) << r.body;
  auto o = r.json();
  EXPECT_EQ(o->getValue<int>("rows"), 3);
  EXPECT_EQ(o->getValue<int>("accepted"), 2);
  EXPECT_EQ(o->getValue<int>("invalid"), 1);
  EXPECT_EQ(o->getValue<int>("errorCount"), 2);
  auto errors = o->getArray("errors");
  ASSERT_EQ(errors->size(), 2u);
  std::set<std::string> columns;
  for (size_t i = 0; i < errors->size(); ++i) {
    EXPECT_EQ(errors->getObject(unsigned(i))->getValue<int>("row"), 3);
    columns.insert(errors->getObject(unsigned(i))->getValue<std::string>("column"));
  }
  EXPECT_EQ(columns.size(), 2u);
  for (const auto& n : niks) EXPECT_EQ(r.body.find(n), std::string::npos);
  EXPECT_EQ(r.body.find("luar_angkasa"), std::string::npos);
  EXPECT_EQ(openObligations(), 1);
  // The error report: rows, columns and reasons only, for the uploader only.
  const std::string url = o->getValue<std::string>("errorReport");
  auto report = call("opweb", "GET", url);
  ASSERT_EQ(report.status, 200) << report.body;
  EXPECT_NE(report.header("content-type").find("text/csv"), std::string::npos);
  EXPECT_NE(report.body.find("baris;kolom;alasan"), std::string::npos);
  EXPECT_NE(report.body.find("3;"), std::string::npos);
  for (const auto& n : niks) EXPECT_EQ(report.body.find(n), std::string::npos);
  EXPECT_EQ(report.body.find("BAD"), std::string::npos);
  EXPECT_EQ(call("opweb2", "GET", url).status, 404);  // another account
  EXPECT_EQ(call("opweb", "GET", pbg + "/balikan/uploads/" + std::string(32, 'a') + "/errors.csv")
                .status,
            404);
  // Corrected file uploaded again: the two accepted rows are not queued twice.
  const std::string fixed = csvOf({
      niks[0] + ";Terdaftar;SRT-3303-2025-00017;Menjahit;dalam_negeri",
      niks[1] + ";Terdaftar;SRT-3303-2025-00018;Las;luar_negeri",
      niks[2] + ";Terdaftar;;;wirausaha",
  });
  auto r2 = call("opweb", "POST", pbg + "/balikan/uploads", fixed, "text/csv; charset=utf-8");
  ASSERT_EQ(r2.status, 200) << r2.body;
  EXPECT_EQ(r2.json()->getValue<int>("accepted"), 3);
  EXPECT_EQ(r2.json()->getValue<int>("alreadyQueued"), 2);
  EXPECT_EQ(r2.json()->getValue<int>("errorCount"), 0);
  EXPECT_TRUE(r2.json()->isNull("errorReport"));
  EXPECT_EQ(outbox_->counts(kPurbalingga)->pending, 3);
  EXPECT_EQ(openObligations(), 0);
  // Not CSV or XLSX by media type; a header that does not match the schema.
  auto wrongType = call("opweb", "POST", pbg + "/balikan/uploads", csv, "application/pdf");
  EXPECT_EQ(wrongType.status, 415);
  EXPECT_NE(wrongType.body.find("Content-Type"), std::string::npos);
  auto header = call("opweb", "POST", pbg + "/balikan/uploads", "nama;umur\r\nx;1\r\n", "text/csv");
  EXPECT_EQ(header.status, 400);
  EXPECT_EQ(header.json()->getValue<std::string>("error"), "balikan_header_invalid");
}

TEST_P(BalikanUiTest, XlsxUploadReportsRowErrors) {
  const auto niks = lookedUp(2);
  ASSERT_EQ(niks.size(), 2u);
  const Schema* schema = intake_->schema(kPurbalingga);
  ASSERT_NE(schema, nullptr);
  XlsxExportWriter w(*schema);
  w.add(Record{0, {niks[0], "Terdaftar", "SRT-3303-2025-00017", "Menjahit", "dalam_negeri"}});
  w.add(Record{0, {niks[1], "Terdaftar", "SRT-3303-2025-00018", "Las", "ke_bulan"}});
  std::stringstream xlsx;
  w.finish(xlsx, clock_.now());
  auto r = call("opweb", "POST", pbg + "/balikan/uploads", xlsx.str(), kXlsxMediaType);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getValue<int>("accepted"), 1);
  auto errors = r.json()->getArray("errors");
  ASSERT_EQ(errors->size(), 1u);
  EXPECT_EQ(errors->getObject(0)->getValue<int>("row"), 3);
  EXPECT_EQ(errors->getObject(0)->getValue<std::string>("column"), "Penempatan kerja");
  EXPECT_EQ(r.body.find("ke_bulan"), std::string::npos);
  EXPECT_EQ(openObligations(), 1);
}

TEST_P(BalikanUiTest, BacklogListsOpenObligationsWithoutAnyNik) {
  const auto niks = lookedUp(3);
  ASSERT_EQ(niks.size(), 3u);
  auto r = call("opweb", "GET", pbg + "/obligations");
  ASSERT_EQ(r.status, 200) << r.body;
  auto o = r.json();
  EXPECT_EQ(o->getValue<int>("open"), 3);
  auto items = o->getArray("items");
  ASSERT_EQ(items->size(), 3u);
  auto first = items->getObject(0);
  EXPECT_EQ(first->getValue<std::string>("source"), "lookup");
  EXPECT_EQ(first->getValue<std::string>("operator"), "op-pbg");
  EXPECT_EQ(first->getValue<std::string>("purposeRef"), purposeFor(kPurbalingga));
  EXPECT_EQ(first->getValue<std::string>("openedOn"), "2026-11-23");
  EXPECT_EQ(first->getValue<std::string>("due"), "2026-12-23");  // due_days 30
  EXPECT_EQ(first->getValue<int>("daysOverdue"), 0);
  EXPECT_EQ(first->getValue<std::string>("person").size(), 12u);
  for (const auto& n : niks) {
    EXPECT_EQ(r.body.find(n), std::string::npos);
    EXPECT_EQ(r.body.find(n.substr(0, 12)), std::string::npos);
  }
  // Paging, and the overdue filter once the due day has passed.
  auto page2 = call("opweb", "GET", pbg + "/obligations?page=2&pageSize=2");
  ASSERT_EQ(page2.status, 200);
  EXPECT_EQ(page2.json()->getArray("items")->size(), 1u);
  EXPECT_EQ(page2.json()->getValue<int>("total"), 3);
  EXPECT_EQ(call("opweb", "GET", pbg + "/obligations?filter=overdue").json()->getArray("items")->size(),
            0u);
  // Fulfil one, then move 40 days on: two are overdue by 10 days.
  ASSERT_EQ(call("opweb", "POST", pbg + "/balikan/records", recordJson(niks[1])).status, 201);
  clock_.advance(std::chrono::hours(24 * 40));
  auto late = call("opweb", "GET", pbg + "/obligations?filter=overdue");
  ASSERT_EQ(late.status, 200) << late.body;
  auto lateItems = late.json()->getArray("items");
  ASSERT_EQ(lateItems->size(), 2u);
  EXPECT_TRUE(lateItems->getObject(0)->getValue<bool>("overdue"));
  EXPECT_EQ(lateItems->getObject(0)->getValue<int>("daysOverdue"), 10);
  EXPECT_EQ(late.json()->getValue<int>("overdue"), 2);
  // Malformed query parameters are named.
  auto badPage = call("opweb", "GET", pbg + "/obligations?page=nol");
  EXPECT_EQ(badPage.status, 400);
  EXPECT_NE(badPage.body.find("'page'"), std::string::npos);
  EXPECT_EQ(call("opweb", "GET", pbg + "/obligations?filter=semua").status, 400);
}

TEST_P(BalikanUiTest, DeliveryFiguresAreCountsOnly) {
  const auto niks = lookedUp(1);
  ASSERT_EQ(call("opweb", "POST", pbg + "/balikan/records", recordJson(niks.at(0))).status, 201);
  auto r = call("evalweb", "GET", pbg + "/balikan/delivery");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()->getValue<int>("pending"), 1);
  EXPECT_EQ(r.json()->getValue<int>("delivered"), 0);
  EXPECT_TRUE(r.json()->isNull("lastDelivery"));
  EXPECT_EQ(r.body.find(niks[0]), std::string::npos);
}

// The role × route table for these routes, written here independently of the router.
struct Row {
  const char* method;
  const char* pattern;
  std::set<Role> roles;
  int okStatus;  // for an allowed role on its own agreement with an empty body
};
const std::vector<Row>& table() {
  static const std::vector<Row> t{
      {"GET", "/api/v1/agreements/{id}/balikan/form",
       {Role::kOperator, Role::kSupervisor, Role::kAdmin}, 200},
      {"POST", "/api/v1/agreements/{id}/balikan/records", {Role::kOperator, Role::kSupervisor},
       400},
      {"POST", "/api/v1/agreements/{id}/balikan/uploads", {Role::kOperator, Role::kSupervisor},
       415},
      {"GET", "/api/v1/agreements/{id}/balikan/uploads/{uploadId}/errors.csv",
       {Role::kOperator, Role::kSupervisor}, 404},
      {"GET", "/api/v1/agreements/{id}/obligations", {Role::kOperator, Role::kSupervisor}, 200},
      {"GET", "/api/v1/agreements/{id}/balikan/delivery",
       {Role::kOperator, Role::kSupervisor, Role::kAdmin, Role::kEvaluator}, 200},
  };
  return t;
}

TEST_P(BalikanUiTest, EveryBalikanRouteEveryRoleOwnAndOtherAgreement) {
  std::map<Role, std::string> user{{Role::kOperator, "opweb2"},
                                   {Role::kSupervisor, "supweb"},
                                   {Role::kAdmin, "admweb"},
                                   {Role::kEvaluator, "evalweb"}};
  const auto& routes = app_->router().routes();
  // Every balikan screen route is in the table.
  EXPECT_EQ(std::count_if(routes.begin(), routes.end(),
                          [](const web::Route& r) {
                            return r.access == web::Access::kSession &&
                                   (r.pattern.find("/balikan/") != std::string::npos ||
                                    r.pattern.ends_with("/obligations"));
                          }),
            long(table().size()));
  for (const Row& row : table()) {
    auto it = std::find_if(routes.begin(), routes.end(), [&](const web::Route& r) {
      return r.method == row.method && r.pattern == row.pattern;
    });
    ASSERT_NE(it, routes.end()) << row.pattern;
    EXPECT_EQ(std::set<Role>(it->roles.begin(), it->roles.end()), row.roles) << row.pattern;
    EXPECT_EQ(it->scopeParam, "id");
    EXPECT_EQ(it->access, web::Access::kSession);
    auto pathFor = [&](const std::string& agreement) {
      std::string p = row.pattern;
      p.replace(p.find("{id}"), 4, agreement);
      if (auto u = p.find("{uploadId}"); u != std::string::npos)
        p.replace(u, 10, std::string(32, 'b'));
      return p;
    };
    const bool post = std::string(row.method) == "POST";
    for (Role role : web::kAllRoles) {
      for (bool own : {true, false}) {
        auto r = call(user[role], row.method, pathFor(own ? kPurbalingga : kKaranganyar),
                      post ? "{}" : "");
        int want = !row.roles.count(role) ? 403 : !own ? 404 : row.okStatus;
        EXPECT_EQ(r.status, want) << row.method << " " << row.pattern << " as "
                                  << web::roleName(role) << (own ? " own" : " other") << ": "
                                  << r.body;
      }
    }
    // Anonymous: 401, on either agreement.
    for (const char* ag : {kPurbalingga, kKaranganyar})
      EXPECT_EQ(web::testing::httpCall(server_->port(), {row.method, pathFor(ag), "{}"}).status,
                401);
  }
  EXPECT_EQ(outbox_->counts("")->pending, 0);
}

TEST_P(BalikanUiTest, BalikanRoutesAreInTheOpenApiDocument) {
  std::vector<web::testing::ExpectedRoute> rows;
  for (const Row& row : table()) rows.push_back({row.method, row.pattern, row.roles, "id"});
  web::testing::expectDocumentedUiRoutes(app_->router(), rows);
}

// The worker `gerbang serve` runs: records accepted through the screen reach the stand-in
// receiver, the obligation becomes delivered, the status shows the last delivery, and
// stopWorker() joins the thread.
TEST_P(BalikanUiTest, DeliveryWorkerDeliversToTheStandInAndStops) {
  gerbang::testing::PortalSimProcess receiver(
      {"--balikan-token", "uji-token-balikan", "--access-log", "none"}, dir_.path() / "recv.err");
  Poco::AutoPtr<Poco::Util::MapConfiguration> conf(new Poco::Util::MapConfiguration);
  conf->setString("balikan.url", receiver.baseUrl() + "/balikan");
  conf->setString("balikan.token", "uji-token-balikan");
  conf->setString("balikan.id_lembaga", "DINNAKER_PURBALINGGA");
  ASSERT_TRUE(outbox::DeliveryHost::configured(*conf));
  outbox::DeliveryHost host(
      *conf, *outbox_, clock_, [](const std::string& id) { return id; },
      [this](const std::string& ag, const std::string& key) {
        (void)host_->obligations().markDelivered(ag, key, clock_.now());
      });
  const auto niks = lookedUp(2);
  ASSERT_EQ(niks.size(), 2u);
  for (const auto& n : niks)
    ASSERT_EQ(call("opweb", "POST", pbg + "/balikan/records", recordJson(n)).status, 201);
  // A long interval: only the start-up pass (and wake()) can deliver within this test.
  host.startWorker(std::chrono::hours(1));
  EXPECT_TRUE(host.workerRunning());
  host.wake();
  // Wait for the receiver to hold both (bounded; no assertion on how long it took).
  std::string count;
  for (int i = 0; i < 600; ++i) {
    count = receiver.get("/sim/balikan/count");
    auto o = Poco::JSON::Parser().parse(count).extract<Poco::JSON::Object::Ptr>();
    if (o->getValue<int>("records") == 2 && outbox_->counts(kPurbalingga)->delivered == 2) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  auto o = Poco::JSON::Parser().parse(count).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(o->getValue<int>("records"), 2) << count;
  host.stopWorker();
  host.stopWorker();  // idempotent
  EXPECT_EQ(host.totals().delivered, 2u);
  EXPECT_EQ(outbox_->counts(kPurbalingga)->delivered, 2);
  EXPECT_EQ(host_->obligations().counts(kPurbalingga, clock_.today())->delivered, 2);
  auto st = call("supweb", "GET", pbg + "/balikan/delivery");
  ASSERT_EQ(st.status, 200);
  EXPECT_EQ(st.json()->getValue<int>("delivered"), 2);
  EXPECT_FALSE(st.json()->isNull("lastDelivery"));
  // After stopping nothing more is sent: a new record stays pending.
  const auto more = lookedUp(1);
  ASSERT_EQ(call("opweb", "POST", pbg + "/balikan/records", recordJson(more.at(0))).status, 201);
  host.wake();
  EXPECT_EQ(outbox_->counts(kPurbalingga)->pending, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, BalikanUiTest,
                         ::testing::ValuesIn(gerbang::testing::storeBackends()),
                         [](const auto& info) { return gerbang::testing::backendName(info.param); });

}  // namespace
}  // namespace gerbang::balikan
