// The supervisor's and admin's endpoints (core/web/ui_supervise.hpp, ui_admin.hpp) and the
// domain's /healthz checks and /metrics (core/web/ops_monitor.hpp) over real HTTP, on the
// whole lookup pipeline (both store backends, a gerbang-portal-sim subprocess, real
// fixture plugins): the audit view never holds a NIK, filters and pages, shows tampering;
// releases and blocks; operators without their NIK; an Adendum through the API changes the
// agreement's status; refused plugins are listed; health checks go warn/fail for real
// reasons; metric values after real lookups; the role × route table and the OpenAPI entries.
#include "core/outbox/outbox_repository.hpp"
#include "core/web/ops_monitor.hpp"
#include "core/web/ui_admin.hpp"
#include "core/web/ui_dashboard.hpp"
#include "core/web/ui_lookup.hpp"
#include "core/web/ui_supervise.hpp"
#include "tests/web/ui_app_fixture.hpp"

#include <Poco/Data/Session.h>
#include <gerbang/sdk/plugin.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace gerbang::web {
namespace {

using lookup::testing::kJabar;
using lookup::testing::kKaranganyar;
using lookup::testing::kPurbalingga;
using lookup::testing::population;
using sim::Resident;
using testing::HttpResult;
using testing::Login;

const std::filesystem::path kFixturePlugins = GERBANG_FIXTURE_PLUGIN_DIR;

class UiSuperviseTest : public testing::UiAppFixture {
 protected:
  void SetUp() override {
    LookupFixture::SetUp();
    if (HasFatalFailure()) return;
    buildApp();
    outbox_ = std::make_unique<outbox::OutboxRepository>(*db_);
    OpsMonitorConfig mc;
    mc.anchorKey = lookup::LookupHost::auditOptions(host_->hasher()).anchorKey;
    mc.portalUrl = sim_->baseUrl();
    mc.portalTimeout = std::chrono::milliseconds{1000};
    mc.portalTtl = mc.chainTtl = std::chrono::steady_clock::duration::zero();
    monitor_ = std::make_unique<OpsMonitor>(*app_, *ui_, outbox_.get(), mc);
    // A good fixture plugin and one built for ABI 2: the second is refused, the first loads.
    ASSERT_TRUE(plugins_.loadFile(kFixturePlugins / "good" / "fixture_good_cpp.so"));
    ASSERT_FALSE(plugins_.loadFile(kFixturePlugins / "abi_major2" / "fixture_abi_major2.so"));
    admin_ = std::make_unique<UiAdminServices>(UiAdminServices{*agreements_, plugins_});
    registerUiLookupRoutes(app_->router(), *ui_);
    registerUiDashboardRoutes(app_->router(), *ui_);
    registerUiSuperviseRoutes(app_->router(), *ui_, app_->accounts(), monitor_->chain());
    registerUiAdminRoutes(app_->router(), *admin_);
    startServer();
    standardAccounts();
    account("admkra", Role::kAdmin, {kKaranganyar}, std::nullopt);
  }
  void releaseApp() override {
    monitor_.reset();
    outbox_.reset();
  }
  // One lookup through the operator screen's endpoint; returns the outcome.
  std::string webLookup(const std::string& who, const std::string& nik) {
    auto r = post(who, std::string("/api/v1/agreements/") + kPurbalingga + "/lookups",
                  "{\"nik\":\"" + nik + "\",\"purpose\":\"" + purposeFor(kPurbalingga) + "\"}");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json()->getValue<std::string>("outcome") : "";
  }
  static std::string path(const std::string& agreement, const std::string& rest) {
    return "/api/v1/agreements/" + agreement + rest;
  }
  void exec(const std::string& sql) {
    auto s = db_->session();
    s << db_->sql(sql), Poco::Data::Keywords::now;
  }
  // What an attacker with DDL rights does first: drop the append-only triggers.
  void dropAuditGuards() {
    if (db_->backend() == store::Backend::kPostgres) {
      exec("DROP TRIGGER audit_log_append_only ON audit_log");
    } else {
      exec("DROP TRIGGER audit_log_no_update");
      exec("DROP TRIGGER audit_log_no_delete");
    }
  }
  Poco::JSON::Object::Ptr health(int* status = nullptr) {
    auto r = anon("/healthz");
    if (status) *status = r.status;
    return r.json()->getObject("checks");
  }
  static std::string checkState(const Poco::JSON::Object::Ptr& checks, const std::string& name) {
    return checks->getObject(name)->getValue<std::string>("status");
  }
  static std::string checkDetail(const Poco::JSON::Object::Ptr& checks, const std::string& name) {
    return checks->getObject(name)->getValue<std::string>("detail");
  }
  // The value of one series in a Prometheus exposition, or -1 when absent.
  static double series(const std::string& text, const std::string& name) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
      if (line.rfind(name + " ", 0) == 0) {
        const std::string v = line.substr(name.size() + 1);
        return v == "+Inf" ? std::numeric_limits<double>::infinity() : std::stod(v);
      }
    return -1;
  }
  static std::vector<Poco::JSON::Object::Ptr> records(const HttpResult& r) {
    std::vector<Poco::JSON::Object::Ptr> out;
    auto arr = r.json()->getArray("records");
    if (!arr) {
      ADD_FAILURE() << "no records: HTTP " << r.status << " " << r.body;
      return out;
    }
    for (size_t i = 0; i < arr->size(); ++i) out.push_back(arr->getObject(unsigned(i)));
    return out;
  }

  std::unique_ptr<outbox::OutboxRepository> outbox_;
  std::unique_ptr<OpsMonitor> monitor_;
  plugin::Registry plugins_;
  std::unique_ptr<UiAdminServices> admin_;
};

TEST_P(UiSuperviseTest, AuditViewHoldsNoNikOrNameAndFiltersAndPages) {
  auto found = population().sample(Resident::Kind::kFound, 4);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(webLookup("opweb", found[size_t(i)]), "found");
    tick();
  }
  ASSERT_EQ(webLookup("opweb2", found[3]), "found");
  tick();
  ASSERT_EQ(webLookup("opweb2", "1234567890123456"), "invalid_nik");

  const std::string audit = path(kPurbalingga, "/audit");
  auto all = get("supweb", audit);
  ASSERT_EQ(all.status, 200) << all.body;
  auto recs = records(all);
  ASSERT_EQ(recs.size(), 5u);
  EXPECT_EQ(recs[0]->getValue<std::string>("outcome"), "invalid_nik");  // newest first
  EXPECT_EQ(recs[1]->getValue<std::string>("operator"), "op-pbg2");
  EXPECT_EQ(recs[1]->getValue<std::string>("purposeRef"), purposeFor(kPurbalingga));
  EXPECT_EQ(recs[1]->getValue<std::string>("nik").size(), 12u);  // a shortened HMAC
  EXPECT_EQ(recs[1]->getValue<std::string>("time").substr(0, 10), "2026-11-23");
  EXPECT_NE(recs[1]->getValue<std::string>("time").find("WIB"), std::string::npos);
  auto chain = all.json()->getObject("chain");
  EXPECT_TRUE(chain->getValue<bool>("ok"));
  EXPECT_EQ(chain->getValue<int>("verifiedSeq"), 5);
  // Pseudonymous: none of the residents' NIKs or names (nor the malformed NIK typed).
  for (const auto& nik : found) {
    EXPECT_EQ(all.body.find(nik), std::string::npos);
    EXPECT_EQ(all.body.find(population().find(nik)->nama), std::string::npos);
  }
  EXPECT_EQ(all.body.find("1234567890123456"), std::string::npos);

  // Filters.
  auto onlyFound = records(get("supweb", audit + "?outcome=found"));
  EXPECT_EQ(onlyFound.size(), 4u);
  auto byOp = records(get("supweb", audit + "?operator=op-pbg2"));
  EXPECT_EQ(byOp.size(), 2u);
  EXPECT_EQ(records(get("supweb", audit + "?day=2026-11-22")).size(), 0u);
  EXPECT_EQ(records(get("supweb", audit + "?day=2026-11-23")).size(), 5u);
  // Paging: 2 per page, following nextBefore, covers all five once.
  std::set<int> seen;
  std::string next = audit + "?limit=2";
  for (int page = 0; page < 5 && !next.empty(); ++page) {
    auto r = get("supweb", next);
    ASSERT_EQ(r.status, 200) << r.body;
    for (const auto& rec : records(r)) EXPECT_TRUE(seen.insert(rec->getValue<int>("seq")).second);
    auto nb = r.json()->get("nextBefore");
    next = nb.isEmpty() ? "" : audit + "?limit=2&before=" + nb.toString();
  }
  EXPECT_EQ(seen, (std::set<int>{1, 2, 3, 4, 5}));

  // The registry's evaluator: figures only, no operator, purpose or NIK pseudonym.
  auto ev = get("evalweb", audit);
  ASSERT_EQ(ev.status, 200) << ev.body;
  EXPECT_EQ(ev.json()->getValue<std::string>("view"), "evaluator");
  auto evRecs = records(ev);
  ASSERT_EQ(evRecs.size(), 5u);
  for (const auto& r : evRecs) {
    EXPECT_FALSE(r->has("operator"));
    EXPECT_FALSE(r->has("purposeRef"));
    EXPECT_FALSE(r->has("nik"));
  }
  EXPECT_EQ(ev.body.find("op-pbg"), std::string::npos);
  EXPECT_EQ(ev.json()->getObject("outcomes")->getValue<int>("found"), 4);
  EXPECT_EQ(get("evalweb", audit + "?operator=op-pbg").status, 400);

  // Garbage is refused naming the parameter.
  for (const char* bad : {"?limit=abc", "?limit=0", "?day=2026-13-40", "?before=-1",
                          "?outcome=FOUND;DROP", "?verify=yes", "?nik=1"}) {
    auto r = get("supweb", audit + bad);
    EXPECT_EQ(r.status, 400) << bad << ": " << r.body;
    EXPECT_EQ(r.json()->getValue<std::string>("error"), "invalid_field") << bad;
  }
}

TEST_P(UiSuperviseTest, ChainTamperingShowsInTheViewAndInHealth) {
  auto found = population().sample(Resident::Kind::kFound, 3);
  for (const auto& nik : found) {
    ASSERT_EQ(lookup(kPurbalingga, "op-pbg", nik).outcome, "found");
    tick();
  }
  const std::string audit = path(kPurbalingga, "/audit");
  ASSERT_TRUE(get("supweb", audit).json()->getObject("chain")->getValue<bool>("ok"));
  EXPECT_EQ(checkState(health(), "audit_chain"), "ok");

  // Record 1 is already verified; an incremental check does not re-read it, a full one does.
  dropAuditGuards();
  exec("UPDATE audit_log SET outcome = 'not_found' WHERE seq = 1");
  ASSERT_TRUE(get("supweb", audit).json()->getObject("chain")->getValue<bool>("ok"));
  auto full = get("supweb", audit + "?verify=full").json()->getObject("chain");
  EXPECT_FALSE(full->getValue<bool>("ok"));
  EXPECT_EQ(full->getValue<int>("badSeq"), 1);
  EXPECT_EQ(full->getValue<std::string>("reason"), "altered");
  EXPECT_NE(full->getValue<std::string>("message").find("#1"), std::string::npos);
  // Sticky: later incremental checks keep failing, and /healthz says so (HTTP 503).
  int status = 0;
  auto checks = health(&status);
  EXPECT_EQ(status, 503);
  EXPECT_EQ(checkState(checks, "audit_chain"), "fail");
  EXPECT_NE(checkDetail(checks, "audit_chain").find("#1"), std::string::npos);
}

TEST_P(UiSuperviseTest, IncrementalCheckCatchesARecordEditedAfterTheLastCheck) {
  auto found = population().sample(Resident::Kind::kFound, 4);
  ASSERT_EQ(lookup(kPurbalingga, "op-pbg", found[0]).outcome, "found");
  tick();
  EXPECT_EQ(checkState(health(), "audit_chain"), "ok");
  for (int i = 1; i < 4; ++i) {
    ASSERT_EQ(lookup(kPurbalingga, "op-pbg", found[size_t(i)]).outcome, "found");
    tick();
  }
  dropAuditGuards();
  exec("DELETE FROM audit_log WHERE seq = 3");
  auto chain = get("supweb", path(kPurbalingga, "/audit")).json()->getObject("chain");
  EXPECT_FALSE(chain->getValue<bool>("ok"));
  EXPECT_EQ(chain->getValue<int>("badSeq"), 3);
  EXPECT_EQ(chain->getValue<std::string>("reason"), "missing");
  EXPECT_EQ(chain->getValue<int>("verifiedSeq"), 2);
  EXPECT_EQ(checkState(health(), "audit_chain"), "fail");
}

TEST_P(UiSuperviseTest, ReleasesAndTodaysPatternBlocks) {
  auto found = population().sample(Resident::Kind::kFound, 3);
  ASSERT_EQ(webLookup("opweb", found[0]), "found");
  clock_.advance(std::chrono::seconds{1});  // rapid entry
  ASSERT_EQ(webLookup("opweb", found[1]), "pattern_blocked");
  const std::string rel = path(kPurbalingga, "/pattern-releases");
  auto before = get("supweb", rel);
  ASSERT_EQ(before.status, 200) << before.body;
  auto blocks = before.json()->getArray("blocksToday");
  ASSERT_EQ(blocks->size(), 1u);
  EXPECT_EQ(blocks->getObject(0)->getValue<std::string>("operator"), "op-pbg");
  EXPECT_EQ(before.json()->getArray("releases")->size(), 0u);
  EXPECT_EQ(before.body.find(found[1]), std::string::npos);

  ASSERT_EQ(post("supweb", rel, "{\"operator\":\"op-pbg\",\"reason\":\"keluarga mendaftar bersama\"}")
                .status,
            201);
  auto pending = get("supweb", rel).json()->getArray("releases");
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ(pending->getObject(0)->getValue<std::string>("state"), "pending");
  EXPECT_EQ(pending->getObject(0)->getValue<std::string>("supervisor"), "sup");
  EXPECT_EQ(pending->getObject(0)->getValue<std::string>("reason"), "keluarga mendaftar bersama");

  ASSERT_EQ(webLookup("opweb", found[1]), "found");  // the release is used
  auto used = get("supweb", rel).json()->getArray("releases");
  ASSERT_EQ(used->size(), 1u);
  EXPECT_EQ(used->getObject(0)->getValue<std::string>("state"), "used");
  EXPECT_FALSE(used->getObject(0)->isNull("usedAt"));
}

TEST_P(UiSuperviseTest, OperatorsWithNdaSptjmAndWebAccountsButNeverTheirNik) {
  op::Operator o;
  o.userId = "op-lengkap";
  o.nik = "3303014507900003";  // synthetic
  o.fullName = "Operator Lengkap Uji";
  o.nip = "199007152015032001";
  o.employmentStatus = "PNS";
  o.position = "Pengantar Kerja";
  o.officeRegionCode = "33.03";
  o.officeName = "Dinnaker Uji";
  o.officeAddress = "Jl. Uji No. 1";
  o.agreements = {kPurbalingga};
  o.nda = op::Nda{"NDA/UJI/LENGKAP", Date(2026, 2, 1)};
  ASSERT_TRUE(host_->operators().add(o).ok());

  auto r = get("supweb", path(kPurbalingga, "/operators"));
  ASSERT_EQ(r.status, 200) << r.body;
  std::map<std::string, Poco::JSON::Object::Ptr> byId;
  auto ops = r.json()->getArray("operators");
  for (size_t i = 0; i < ops->size(); ++i)
    byId[ops->getObject(unsigned(i))->getValue<std::string>("userId")] = ops->getObject(unsigned(i));
  EXPECT_TRUE(byId.count("op-pbg"));
  EXPECT_TRUE(byId.count("sup"));
  EXPECT_FALSE(byId.count("op-kra"));  // another agreement's operator
  EXPECT_EQ(byId["op-pbg"]->getObject("nda")->getValue<std::string>("number"), "NDA/UJI/op-pbg");
  EXPECT_TRUE(byId["op-nonda"]->isNull("nda"));
  EXPECT_FALSE(byId["op-off"]->getValue<bool>("active"));
  EXPECT_EQ(byId["op-pbg"]->getArray("webAccounts")->getElement<std::string>(0), "opweb");
  EXPECT_TRUE(byId["op-lengkap"]->getValue<bool>("userIdFormComplete"));
  EXPECT_FALSE(byId["op-pbg"]->getValue<bool>("userIdFormComplete"));
  EXPECT_EQ(r.json()->getObject("sptjm")->getValue<std::string>("number"),
            std::string("SPTJM/UJI/") + kPurbalingga);
  EXPECT_EQ(r.body.find(o.nik), std::string::npos);
  EXPECT_EQ(r.body.find(o.nip), std::string::npos);
  // Karanganyar has no SPTJM on file.
  account("supkra", Role::kSupervisor, {kKaranganyar}, std::nullopt);
  auto kra = get("supkra", path(kKaranganyar, "/operators"));
  ASSERT_EQ(kra.status, 200) << kra.body;
  EXPECT_TRUE(kra.json()->isNull("sptjm"));
}

TEST_P(UiSuperviseTest, AdendumThroughTheApiChangesTheAgreementStatus) {
  const std::string adenda = path(kKaranganyar, "/adenda");
  const std::string dash = path(kKaranganyar, "/dashboard");
  ASSERT_FALSE(get("admkra", dash).json()->getValue<bool>("accessAllowed"));  // ended 2022-11-09
  EXPECT_EQ(lookup(kKaranganyar, "op-kra", population().sample(Resident::Kind::kFound, 1)[0]).outcome,
            "agreement_expired");

  // Refused like `gerbang adendum add` would: each names what is wrong.
  struct Bad {
    const char* body;
    int status;
    const char* code;
  };
  for (const Bad& b : std::vector<Bad>{
           {"{\"date\":\"2026-11-20\",\"end\":\"2027-11-09\"}", 400, "invalid_field"},
           {"{\"number\":\"A/1\",\"date\":\"20-11-2026\",\"end\":\"2027-11-09\"}", 400, "invalid_field"},
           {"{\"number\":\"A/1\",\"date\":\"2026-11-20\",\"quota\":\"banyak\"}", 400, "invalid_field"},
           {"{\"number\":\"A/1\",\"date\":\"2026-11-20\",\"quota\":0}", 400, "invalid_field"},
           {"{\"number\":\"A/1\",\"date\":\"2026-11-20\",\"masa\":1}", 400, "invalid_field"},
           {"{\"number\":\"A/1\",\"date\":\"2026-11-20\",\"elements\":[\"AGAMA\"]}", 400, "adendum_invalid"},
           {"{\"number\":\"A/1\",\"date\":\"2026-11-20\",\"pocPassed\":true}", 400, "adendum_invalid"},
           {"{\"number\":\"A/1\",\"date\":\"2026-12-20\",\"end\":\"2027-11-09\"}", 400, "adendum_invalid"},
           {"{\"number\":\"A/1\",\"date\":\"2026-11-20\"}", 400, "adendum_invalid"},
           {"[1]", 400, "not_json_object"},
       }) {
    auto r = post("admkra", adenda, b.body);
    EXPECT_EQ(r.status, b.status) << b.body << ": " << r.body;
    EXPECT_EQ(r.json()->getValue<std::string>("error"), b.code) << b.body;
  }
  // Without the CSRF token the router refuses before the handler.
  EXPECT_EQ(post("admkra", adenda, "{\"number\":\"A/1\",\"date\":\"2026-11-20\",\"end\":\"2027-11-09\"}",
                 false)
                .status,
            403);

  auto ok = post("admkra", adenda,
                 "{\"number\":\"ADD/KRA/2026/01\",\"date\":\"2026-11-20\",\"end\":\"2027-11-09\","
                 "\"elements\":[\"NIK\",\"NAMA_LGKP\",\"TGL_LHR\",\"ALAMAT\"]}");
  ASSERT_EQ(ok.status, 201) << ok.body;
  auto terms = ok.json()->getObject("agreement");
  EXPECT_EQ(terms->getValue<std::string>("status"), "active");
  EXPECT_EQ(terms->getValue<std::string>("endsOn"), "2027-11-09");
  EXPECT_EQ(terms->getArray("elements")->size(), 4u);
  EXPECT_EQ(ok.json()->getObject("adendum")->getValue<std::string>("recordedBy"), "admkra");
  // The same number twice is a conflict.
  EXPECT_EQ(post("admkra", adenda,
                 "{\"number\":\"ADD/KRA/2026/01\",\"date\":\"2026-11-21\",\"end\":\"2027-12-09\"}")
                .status,
            409);

  auto list = get("admkra", adenda);
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json()->getArray("adenda")->size(), 1u);
  EXPECT_TRUE(get("admkra", dash).json()->getValue<bool>("accessAllowed"));
  // The lookup pipeline sees the new term (Karanganyar has no registry account in this
  // fixture, so it now gets past the term check to the next refusal).
  EXPECT_NE(lookup(kKaranganyar, "op-kra", population().sample(Resident::Kind::kFound, 1)[0]).outcome,
            "agreement_expired");
}

TEST_P(UiSuperviseTest, PluginListShowsTheRefusedFixturePluginWithItsReason) {
  auto r = get("admweb", "/api/v1/plugins");
  ASSERT_EQ(r.status, 200) << r.body;
  auto loaded = r.json()->getArray("loaded");
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ(loaded->getObject(0)->getValue<std::string>("agencyId"), "fixture-cpp");
  // Built against this SDK: the host's own ABI version.
  EXPECT_EQ(loaded->getObject(0)->getValue<std::string>("abi"),
            std::to_string(GERBANG_ABI_MAJOR) + "." + std::to_string(GERBANG_ABI_MINOR));
  EXPECT_EQ(loaded->getObject(0)->getValue<std::string>("file"), "fixture_good_cpp.so");
  auto refused = r.json()->getArray("refused");
  ASSERT_EQ(refused->size(), 1u);
  EXPECT_EQ(refused->getObject(0)->getValue<std::string>("file"), "fixture_abi_major2.so");
  EXPECT_NE(refused->getObject(0)->getValue<std::string>("reason").find("ABI major"),
            std::string::npos);
  EXPECT_EQ(get("supweb", "/api/v1/plugins").status, 403);
}

TEST_P(UiSuperviseTest, HealthChecksGoWarnAndFailForRealReasons) {
  int status = 0;
  auto checks = health(&status);
  EXPECT_EQ(checkState(checks, "portal"), "ok") << checkDetail(checks, "portal");
  // 2026-11-23: Jawa Barat extended by Adendum, Purbalingga active, Karanganyar ended.
  EXPECT_EQ(checkState(checks, "agreements"), "degraded");
  EXPECT_NE(checkDetail(checks, "agreements").find("karanganyar-ak1: berakhir 2022-11-09"),
            std::string::npos)
      << checkDetail(checks, "agreements");
  EXPECT_EQ(checkState(checks, "audit_chain"), "ok");

  // The registry stand-in stops: no lookup can succeed.
  sim_.reset();
  checks = health(&status);
  EXPECT_EQ(checkState(checks, "portal"), "fail");
  EXPECT_NE(checkDetail(checks, "portal").find("tidak dapat dihubungi"), std::string::npos)
      << checkDetail(checks, "portal");
  EXPECT_EQ(status, 503);

  // 2027-08-01: Purbalingga ends 2027-09-16, within the 60-day notice.
  clock_.set(Date(2027, 8, 1).jakartaStart() + std::chrono::hours{9});
  checks = health();
  EXPECT_EQ(checkState(checks, "agreements"), "degraded");
  EXPECT_NE(checkDetail(checks, "agreements").find("purbalingga-dinnaker: berakhir 2027-09-16 (46 hari lagi)"),
            std::string::npos)
      << checkDetail(checks, "agreements");
  // 2028-02-01: every term has ended.
  clock_.set(Date(2028, 2, 1).jakartaStart() + std::chrono::hours{9});
  checks = health();
  EXPECT_EQ(checkState(checks, "agreements"), "fail");
  EXPECT_NE(checkDetail(checks, "agreements").find("tidak ada perjanjian yang berlaku"),
            std::string::npos);
}

TEST_P(UiSuperviseTest, MetricsAfterRealLookupsHoldCountsAndNoNik) {
  auto found = population().sample(Resident::Kind::kFound, 3);
  ASSERT_EQ(webLookup("opweb", found[0]), "found");
  tick();
  ASSERT_EQ(webLookup("opweb", found[1]), "found");
  tick();
  ASSERT_EQ(webLookup("opweb", "1234567890123456"), "invalid_nik");
  tick();
  const std::string pbg = std::string("{agreement=\"") + kPurbalingga + "\"";
  auto m1 = anon("/metrics");
  ASSERT_EQ(m1.status, 200);
  EXPECT_EQ(series(m1.body, "gerbang_lookups_total" + pbg + ",outcome=\"found\"}"), 2);
  EXPECT_EQ(series(m1.body, "gerbang_lookups_total" + pbg + ",outcome=\"invalid_nik\"}"), 1);
  EXPECT_EQ(series(m1.body, "gerbang_quota_used_today" + pbg + "}"), 2);
  EXPECT_EQ(series(m1.body, "gerbang_quota_left_today" + pbg + "}"), 198);
  EXPECT_EQ(series(m1.body, "gerbang_obligations_open" + pbg + "}"), 2);
  EXPECT_EQ(series(m1.body, "gerbang_obligations_overdue" + pbg + "}"), 0);
  EXPECT_EQ(series(m1.body, "gerbang_outbox_items" + pbg + ",state=\"pending\"}"), 0);
  EXPECT_EQ(series(m1.body, std::string("gerbang_quota_left_today{agreement=\"") + kJabar + "\"}"), 75);
  EXPECT_EQ(series(m1.body, "gerbang_audit_chain_verified_seq"), 3);
  EXPECT_EQ(series(m1.body, "gerbang_audit_chain_ok"), 1);
  for (const auto& nik : found) EXPECT_EQ(m1.body.find(nik), std::string::npos);
  EXPECT_EQ(m1.body.find("1234567890123456"), std::string::npos);
  EXPECT_FALSE(std::regex_search(m1.body, std::regex("[0-9]{16}")));

  // The counter only grows with new attempts.
  ASSERT_EQ(webLookup("opweb", found[2]), "found");
  auto m2 = anon("/metrics");
  EXPECT_EQ(series(m2.body, "gerbang_lookups_total" + pbg + ",outcome=\"found\"}"), 3);
  EXPECT_EQ(series(m2.body, "gerbang_lookups_total" + pbg + ",outcome=\"invalid_nik\"}"), 1);
  EXPECT_EQ(series(m2.body, "gerbang_quota_left_today" + pbg + "}"), 197);
}

// The role × route table for these routes, written here independently of the router.
struct Row {
  const char* method;
  const char* pattern;
  std::set<Role> roles;
};
const std::vector<Row>& table() {
  static const std::vector<Row> t{
      {"GET", "/api/v1/agreements/{id}/audit", {Role::kSupervisor, Role::kEvaluator}},
      {"GET", "/api/v1/agreements/{id}/pattern-releases", {Role::kSupervisor}},
      {"GET", "/api/v1/agreements/{id}/operators", {Role::kSupervisor, Role::kAdmin}},
      {"GET", "/api/v1/agreements/{id}/adenda", {Role::kAdmin, Role::kSupervisor}},
      {"POST", "/api/v1/agreements/{id}/adenda", {Role::kAdmin}},
      {"GET", "/api/v1/plugins", {Role::kAdmin}},
  };
  return t;
}

TEST_P(UiSuperviseTest, EveryRouteEveryRoleOwnAndOtherAgreement) {
  std::map<Role, std::string> user{{Role::kOperator, "opweb2"},
                                   {Role::kSupervisor, "supweb"},
                                   {Role::kAdmin, "admweb"},
                                   {Role::kEvaluator, "evalweb"}};
  for (const Row& row : table()) {
    const auto& routes = app_->router().routes();
    auto it = std::find_if(routes.begin(), routes.end(), [&](const Route& r) {
      return r.method == row.method && r.pattern == row.pattern;
    });
    ASSERT_NE(it, routes.end()) << row.pattern;
    EXPECT_EQ(std::set<Role>(it->roles.begin(), it->roles.end()), row.roles) << row.pattern;
    const bool scoped = std::string(row.pattern).find("{id}") != std::string::npos;
    EXPECT_EQ(it->scopeParam, scoped ? "id" : "");
    const bool isGet = std::string(row.method) == "GET";
    for (Role role : kAllRoles) {
      for (bool own : {true, false}) {
        std::string p = row.pattern;
        if (scoped) p.replace(p.find("{id}"), 4, own ? kPurbalingga : kKaranganyar);
        // An empty JSON object: authorised callers get past access control to validation
        // (400), or the view (200).
        auto r = testing::httpCall(server_->port(), {row.method, p, isGet ? "" : "{}",
                                                     "application/json", session(user[role]).headers()});
        int want;
        if (!row.roles.count(role)) want = 403;
        else if (!own && scoped) want = 404;
        else want = isGet ? 200 : 400;
        EXPECT_EQ(r.status, want) << row.method << " " << p << " as " << roleName(role) << ": " << r.body;
      }
    }
    // Without a session: 401.
    std::string p = row.pattern;
    if (scoped) p.replace(p.find("{id}"), 4, kPurbalingga);
    EXPECT_EQ(testing::httpCall(server_->port(), {row.method, p, "{}"}).status, 401) << p;
  }
}

TEST_P(UiSuperviseTest, RoutesAreInTheOpenApiDocument) {
  std::vector<testing::ExpectedRoute> rows;
  for (const Row& row : table()) {
    const bool scoped = std::string(row.pattern).find("{id}") != std::string::npos;
    rows.push_back({row.method, row.pattern, row.roles, scoped ? "id" : ""});
  }
  testing::expectDocumentedUiRoutes(app_->router(), rows);
}

INSTANTIATE_TEST_SUITE_P(Backends, UiSuperviseTest,
                         ::testing::ValuesIn(gerbang::testing::storeBackends()),
                         [](const auto& info) { return gerbang::testing::backendName(info.param); });

}  // namespace
}  // namespace gerbang::web
