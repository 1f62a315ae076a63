// The operator screens' lookup endpoints (core/web/ui_lookup.hpp) over real HTTP, on the
// whole lookup pipeline (real units, both store backends, a gerbang-portal-sim subprocess):
// permitted fields only, server-side cross-check (no registry value in the answer), the
// pattern guard's block and a supervisor's one-time release, CSRF, cross-agency 404, and
// the role × route table for these routes plus their docs/openapi.json entries.
#include "core/web/ui_crosscheck.hpp"
#include "core/web/ui_dashboard.hpp"
#include "core/web/ui_lookup.hpp"
#include "tests/web/ui_app_fixture.hpp"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

namespace gerbang::web {
namespace {

using lookup::testing::kKaranganyar;
using lookup::testing::kPurbalingga;
using lookup::testing::population;
using sim::Resident;
using testing::HttpCall;
using testing::HttpResult;
using testing::Login;

TEST(CrossCheckTest, NormalisesCaseSpacesAndDates) {
  EXPECT_EQ(normaliseForCheck("  budi   santoso ", false), "BUDI SANTOSO");
  EXPECT_EQ(normaliseForCheck("1990-03-07", true), "07-03-1990");
  EXPECT_EQ(normaliseForCheck("07/03/1990", true), "07-03-1990");
  EXPECT_EQ(normaliseForCheck("1990-03-07", false), "1990-03-07");
  compliance::RegistryRecord rec{{"NAMA_LGKP", "SITI AMINAH"}, {"TGL_LHR", "07-03-1990"}};
  auto r = crossCheck(rec, {{"NAMA_LGKP", "siti  aminah"},
                            {"TGL_LHR", "1990-03-08"},
                            {"TMPT_LHR", "PURBALINGGA"}});
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].field, "NAMA_LGKP");
  EXPECT_EQ(r[0].result, "sesuai");
  EXPECT_EQ(r[1].field, "TMPT_LHR");
  EXPECT_EQ(r[1].result, "tidak_tersedia");
  EXPECT_EQ(r[2].field, "TGL_LHR");
  EXPECT_EQ(r[2].result, "tidak_sesuai");
}

class UiLookupTest : public testing::UiAppFixture {
 protected:
  void SetUp() override {
    LookupFixture::SetUp();
    if (HasFatalFailure()) return;
    buildApp();
    registerUiLookupRoutes(app_->router(), *ui_);
    registerUiDashboardRoutes(app_->router(), *ui_);
    startServer();
    standardAccounts();
    account("oplos", Role::kOperator, {kPurbalingga}, std::nullopt);
  }

  static std::string lookupBody(const std::string& nik, const std::string& extra = "") {
    return "{\"nik\":\"" + nik + "\",\"purpose\":\"" + purposeFor(kPurbalingga) + "\"" + extra +
           "}";
  }
  const std::string pbgLookups = std::string("/api/v1/agreements/") + kPurbalingga + "/lookups";

};

TEST_P(UiLookupTest, FormShowsThePurposeLabelAndOnlyPermittedCrossCheckFields) {
  auto r = get("opweb", std::string("/api/v1/agreements/") + kPurbalingga + "/lookup-form");
  ASSERT_EQ(r.status, 200) << r.body;
  auto o = r.json();
  EXPECT_EQ(o->getObject("purpose")->getValue<std::string>("label"),
            lookup::testing::shippedManifest(kPurbalingga).purposeReference.label);
  std::set<std::string> fields;
  auto arr = o->getArray("crossCheckFields");
  for (size_t i = 0; i < arr->size(); ++i)
    fields.insert(arr->getObject(unsigned(i))->getValue<std::string>("name"));
  EXPECT_TRUE(fields.count("NAMA_LGKP"));
  EXPECT_TRUE(fields.count("TGL_LHR"));
  // Purbalingga's PKS does not permit NO_KK: it cannot be offered for comparison either.
  EXPECT_FALSE(fields.count("NO_KK"));
  EXPECT_EQ(o->getValue<std::string>("operator"), "op-pbg");
}

TEST_P(UiLookupTest, DataModeReturnsOnlyPermittedElements) {
  const std::string nik = population().sample(Resident::Kind::kFound, 1).at(0);
  auto r = post("opweb", pbgLookups, lookupBody(nik));
  ASSERT_EQ(r.status, 200) << r.body;
  auto o = r.json();
  EXPECT_EQ(o->getValue<std::string>("outcome"), "found");
  auto data = o->getObject("data");
  ASSERT_TRUE(data);
  EXPECT_TRUE(data->has("NAMA_LGKP"));
  EXPECT_FALSE(data->has("NO_KK"));  // not in Purbalingga's elements
  EXPECT_FALSE(data->has("AGAMA"));
  EXPECT_FALSE(o->isNull("quotaRemaining"));
  EXPECT_TRUE(o->getValue<bool>("quotaCounted"));
}

TEST_P(UiLookupTest, CheckModeSaysSesuaiOrTidakSesuaiWithoutRegistryValues) {
  const std::string nik = population().sample(Resident::Kind::kFound, 2).at(1);
  auto person = population().find(nik);
  ASSERT_TRUE(person);
  // The name as a clerk might type it (lower case, extra spaces), the date from a date
  // input, and a wrong birth place.
  std::string name;
  for (char c : person->nama) name += char(std::tolower(static_cast<unsigned char>(c)));
  name = "  " + name + " ";
  const std::string body = lookupBody(nik, ",\"mode\":\"check\",\"check\":{\"NAMA_LGKP\":\"" +
                                               name + "\",\"TGL_LHR\":\"" +
                                               person->tanggalLahir.iso() +
                                               "\",\"TMPT_LHR\":\"KOTA LAIN SEKALI\"}");
  auto r = post("opweb", pbgLookups, body);
  ASSERT_EQ(r.status, 200) << r.body;
  auto o = r.json();
  EXPECT_EQ(o->getValue<std::string>("outcome"), "found");
  EXPECT_TRUE(o->isNull("data"));
  std::map<std::string, std::string> results;
  auto checks = o->getArray("checks");
  for (size_t i = 0; i < checks->size(); ++i)
    results[checks->getObject(unsigned(i))->getValue<std::string>("field")] =
        checks->getObject(unsigned(i))->getValue<std::string>("result");
  EXPECT_EQ(results["NAMA_LGKP"], "sesuai");
  EXPECT_EQ(results["TGL_LHR"], "sesuai");
  EXPECT_EQ(results["TMPT_LHR"], "tidak_sesuai");
  // None of the registry's values travel back.
  EXPECT_EQ(r.body.find(person->tempatLahir), std::string::npos);
  EXPECT_EQ(r.body.find(person->nama), std::string::npos);
  EXPECT_EQ(r.body.find(person->tanggalLahir.dmy()), std::string::npos);
}

TEST_P(UiLookupTest, CheckingAFieldTheAgreementDoesNotPermitIsRefused) {
  const std::string nik = population().sample(Resident::Kind::kFound, 3).at(2);
  auto r = post("opweb", pbgLookups,
                lookupBody(nik, ",\"mode\":\"check\",\"check\":{\"NO_KK\":\"1234\"}"));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("check.NO_KK"), std::string::npos) << r.body;
  EXPECT_EQ(simRequests("purbalingga-dinnaker-01"), 0);
}

TEST_P(UiLookupTest, PatternBlockIsShownAndASupervisorReleasesOneLookup) {
  auto found = population().sample(Resident::Kind::kFound, 3);
  ASSERT_EQ(post("opweb", pbgLookups, lookupBody(found[0])).json()->getValue<std::string>(
                "outcome"),
            "found");
  clock_.advance(std::chrono::seconds{1});  // rapid entry
  auto blocked = post("opweb", pbgLookups, lookupBody(found[1])).json();
  EXPECT_EQ(blocked->getValue<std::string>("outcome"), "pattern_blocked");
  EXPECT_TRUE(blocked->getValue<bool>("blocked"));
  // Operators cannot release their own block; supervisors of another agency cannot either.
  const std::string rel = std::string("/api/v1/agreements/") + kPurbalingga + "/pattern-releases";
  const std::string relBody = "{\"operator\":\"op-pbg\",\"reason\":\"keluarga mendaftar bersama\"}";
  EXPECT_EQ(post("opweb", rel, relBody).status, 403);
  EXPECT_EQ(post("supweb", rel, relBody, false).status, 403);  // no CSRF token
  EXPECT_EQ(post("supweb", rel, "{\"operator\":\"op-kra\",\"reason\":\"x\"}").status, 404);
  auto ok = post("supweb", rel, relBody);
  ASSERT_EQ(ok.status, 201) << ok.body;
  auto form = get("opweb", std::string("/api/v1/agreements/") + kPurbalingga + "/lookup-form");
  EXPECT_TRUE(form.json()->getValue<bool>("releasePending"));
  EXPECT_EQ(post("opweb", pbgLookups, lookupBody(found[1])).json()->getValue<std::string>(
                "outcome"),
            "found");
  clock_.advance(std::chrono::seconds{1});
  EXPECT_EQ(post("opweb", pbgLookups, lookupBody(found[2])).json()->getValue<std::string>(
                "outcome"),
            "pattern_blocked");
}

TEST_P(UiLookupTest, RefusalsWithoutCsrfOperatorLinkOrMembership) {
  const std::string nik = population().sample(Resident::Kind::kFound, 5).at(4);
  EXPECT_EQ(post("opweb", pbgLookups, lookupBody(nik), false).status, 403);
  auto noOp = post("oplos", pbgLookups, lookupBody(nik));
  EXPECT_EQ(noOp.status, 403);
  EXPECT_NE(noOp.body.find("no_operator"), std::string::npos);
  EXPECT_EQ(post("opkra", pbgLookups, lookupBody(nik)).status, 404);  // another agency
  EXPECT_EQ(post("evalweb", pbgLookups, lookupBody(nik)).status, 403);
  EXPECT_EQ(post("admweb", pbgLookups, lookupBody(nik)).status, 403);
  EXPECT_EQ(simRequests("purbalingga-dinnaker-01"), 0);
}

// The role × route table for these routes, written here independently of the router.
struct Row {
  const char* method;
  const char* pattern;
  std::set<Role> roles;
};
const std::vector<Row>& uiTable() {
  static const std::vector<Row> t{
      {"GET",
       "/api/v1/agreements/{id}/lookup-form",
       {Role::kOperator, Role::kSupervisor, Role::kAdmin}},
      {"POST", "/api/v1/agreements/{id}/lookups", {Role::kOperator, Role::kSupervisor}},
      {"GET",
       "/api/v1/agreements/{id}/screens",
       {Role::kOperator, Role::kSupervisor, Role::kAdmin}},
      {"POST", "/api/v1/agreements/{id}/pattern-releases", {Role::kSupervisor}},
      {"GET",
       "/api/v1/agreements/{id}/dashboard",
       {Role::kOperator, Role::kSupervisor, Role::kAdmin, Role::kEvaluator}},
  };
  return t;
}

TEST_P(UiLookupTest, EveryUiRouteEveryRoleOwnAndOtherAgreement) {
  std::map<Role, std::string> user{{Role::kOperator, "opweb2"},
                                   {Role::kSupervisor, "supweb"},
                                   {Role::kAdmin, "admweb"},
                                   {Role::kEvaluator, "evalweb"}};
  for (const Row& row : uiTable()) {
    auto it = std::find_if(app_->router().routes().begin(), app_->router().routes().end(),
                           [&](const Route& r) { return r.method == row.method && r.pattern == row.pattern; });
    ASSERT_NE(it, app_->router().routes().end()) << row.pattern;
    EXPECT_EQ(std::set<Role>(it->roles.begin(), it->roles.end()), row.roles) << row.pattern;
    EXPECT_EQ(it->scopeParam, "id");
    for (Role role : kAllRoles) {
      for (bool own : {true, false}) {
        std::string path = row.pattern;
        path.replace(path.find("{id}"), 4, own ? kPurbalingga : kKaranganyar);
        // An empty JSON object: authorised callers get past access control to validation
        // (400), or the form (200).
        auto r = testing::httpCall(server_->port(), {row.method, path, std::string(row.method) == "GET" ? "" : "{}",
                                                     "application/json", session(user[role]).headers()});
        int want;
        if (!row.roles.count(role)) want = 403;
        else if (!own) want = 404;
        else want = std::string(row.method) == "GET" ? 200 : 400;
        EXPECT_EQ(r.status, want) << row.method << " " << path << " as " << roleName(role) << ": " << r.body;
      }
      // Without a session: 401.
      std::string path = row.pattern;
      path.replace(path.find("{id}"), 4, kPurbalingga);
      EXPECT_EQ(testing::httpCall(server_->port(), {row.method, path, "{}"}).status, 401);
    }
  }
  EXPECT_EQ(simRequests("purbalingga-dinnaker-01"), 0);
}

TEST_P(UiLookupTest, UiRoutesAreInTheOpenApiDocument) {
  std::vector<testing::ExpectedRoute> rows;
  for (const Row& row : uiTable()) rows.push_back({row.method, row.pattern, row.roles, "id"});
  testing::expectDocumentedUiRoutes(app_->router(), rows);
}

TEST_P(UiLookupTest, PluginScreensComeFromTheManifestWithWhatEachFieldFeeds) {
  auto r = get("opkra", std::string("/api/v1/agreements/") + kKaranganyar + "/screens");
  ASSERT_EQ(r.status, 200) << r.body;
  auto screens = r.json()->getArray("screens");
  ASSERT_GE(screens->size(), 1u);
  auto first = screens->getObject(0);
  EXPECT_EQ(first->getValue<std::string>("id"), "pemeriksaan-pemohon-ak1");
  std::map<std::string, std::string> feeds;
  auto fields = first->getArray("fields");
  for (size_t i = 0; i < fields->size(); ++i)
    feeds[fields->getObject(unsigned(i))->getValue<std::string>("name")] =
        fields->getObject(unsigned(i))->getValue<std::string>("feeds");
  EXPECT_EQ(feeds["nik"], "nik");
  EXPECT_EQ(feeds["nomor_register"], "purpose");  // the AK-I register number
  EXPECT_EQ(feeds["jenis_usaha"], "");
}

TEST(DashboardDatesTest, SemesterReportAndWorkingDays) {
  // 2026-06-30 is a Tuesday: 10 working days later is Tuesday 2026-07-14.
  EXPECT_EQ(addWorkingDays(Date(2026, 6, 30), 10).iso(), "2026-07-14");
  EXPECT_EQ(nextSemesterReportDue(Date(2026, 11, 23), 0).iso(), "2026-12-31");
  EXPECT_EQ(nextSemesterReportDue(Date(2026, 3, 1), 0).iso(), "2026-06-30");
  // 2026-12-31 is a Thursday: Fri 1, Mon 4 ... 10 working days → 2027-01-14.
  EXPECT_EQ(nextSemesterReportDue(Date(2027, 1, 5), 10).iso(), "2027-01-14");
  EXPECT_EQ(nextSemesterReportDue(Date(2027, 1, 15), 10).iso(), "2027-07-14");
}

TEST_P(UiLookupTest, DashboardNumbersMoveAfterALookupAndHoldNoPersonalData) {
  const std::string dash = std::string("/api/v1/agreements/") + kPurbalingga + "/dashboard";
  auto before = get("evalweb", dash);
  ASSERT_EQ(before.status, 200) << before.body;
  auto b = before.json();
  const int usedBefore = b->getObject("quota")->getValue<int>("usedToday");
  auto days = b->getArray("lookupsPerDay");
  ASSERT_EQ(days->size(), 7u);
  const int todayBefore = days->getObject(6)->getValue<int>("count");
  EXPECT_EQ(days->getObject(6)->getValue<std::string>("day"), "2026-11-23");

  auto found = population().sample(Resident::Kind::kFound, 2);
  ASSERT_EQ(post("opweb", pbgLookups, lookupBody(found[0])).status, 200);
  clock_.advance(std::chrono::seconds{1});
  ASSERT_EQ(post("opweb", pbgLookups, lookupBody(found[1])).json()->getValue<std::string>("outcome"),
            "pattern_blocked");

  auto after = get("evalweb", dash);
  ASSERT_EQ(after.status, 200) << after.body;
  auto a = after.json();
  EXPECT_EQ(a->getObject("quota")->getValue<int>("usedToday"), usedBefore + 1);
  EXPECT_EQ(a->getArray("lookupsPerDay")->getObject(6)->getValue<int>("count"), todayBefore + 2);
  EXPECT_EQ(a->getValue<int>("patternBlocksToday"), 1);
  EXPECT_EQ(a->getObject("outcomesToday")->getValue<int>("found"), 1);
  EXPECT_EQ(a->getObject("obligations")->getValue<int>("open"), 1);
  // Figures only: no NIK or name of the person looked up.
  auto person = population().find(found[0]);
  EXPECT_EQ(after.body.find(found[0]), std::string::npos);
  EXPECT_EQ(after.body.find(person->nama), std::string::npos);
  // Duties: Purbalingga reports 10 working days after the semester; extension 2 months ahead.
  auto duties = a->getArray("duties");
  ASSERT_EQ(duties->size(), 2u);
  EXPECT_EQ(duties->getObject(0)->getValue<std::string>("due"), "2027-01-14");
  EXPECT_EQ(duties->getObject(1)->getValue<std::string>("kind"), "extension_request");
}

INSTANTIATE_TEST_SUITE_P(Backends, UiLookupTest,
                         ::testing::ValuesIn(gerbang::testing::storeBackends()),
                         [](const auto& info) { return gerbang::testing::backendName(info.param); });

}  // namespace
}  // namespace gerbang::web
