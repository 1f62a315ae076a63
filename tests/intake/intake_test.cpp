// IntakeService with the real plugins (manifests and validate_balikan hooks) on both store
// backends: each agreement's record accepted and closing the person's obligation, each kind
// of refusal (schema, the plugin's cross-field rule, never accessed), uploads as CSV (both
// separators, BOM) and XLSX with the row-level error report, the REST routes, and status.
#include "core/balikan/intake.hpp"
#include "core/balikan/intake_routes.hpp"

#include "core/balikan/export.hpp"
#include "core/plugin/loader.hpp"
#include "tests/support/support.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <sstream>

using ::testing::HasSubstr;
using ::testing::Not;

namespace gerbang::balikan {
namespace {

constexpr const char* kJabar = "jabar-disnakertrans";
constexpr const char* kKra = "karanganyar-ak1";
constexpr const char* kPbg = "purbalingga-dinnaker";

// Synthetic people (invented; province 33 and 32 codes).
constexpr const char* kAccessed = "3313015708950007";
constexpr const char* kAccessed2 = "3313015708950015";
constexpr const char* kNeverAccessed = "3313015708950023";

using Fields = std::vector<std::pair<std::string, std::string>>;

// A complete valid record of each agreement (every field filled, so every hook passes).
Fields validRecord(const std::string& agreement, const std::string& nik) {
  if (agreement == kJabar)
    return {{"nik", nik}, {"keterangan_pencari_kerja", "Terdaftar sebagai pencari kerja"},
            {"keterangan_peserta_transmigrasi", "Bukan peserta"}};
  if (agreement == kKra)
    return {{"nik", nik},
            {"nomor_id_kartu_pencari_kerja", "3313-2025-000101"},
            {"nomor_register", "AK1-3313-202501-000101"},
            {"jenis_usaha", "Warung makan"},
            {"class_usaha", "MIKRO"}};
  return {{"nik", nik},
          {"keterangan_pencari_kerja", "Terdaftar"},
          {"nomor_sertifikat_pelatihan", "SRT-3303-2025-00017"},
          {"jenis_pelatihan", "Menjahit"},
          {"penempatan_kerja", "dalam_negeri"}};
}

// A record each agreement's plugin hook refuses although the schema accepts it.
std::pair<Fields, std::string> hookRefused(const std::string& agreement, const std::string& nik) {
  if (agreement == kJabar) return {{{"nik", nik}}, "paling sedikit satu"};
  if (agreement == kKra)
    return {{{"nik", nik}, {"nomor_register", "AK1-3313-202501-000101"}, {"class_usaha", "kecil"}},
            "jenis_usaha"};
  return {{{"nik", nik}, {"nomor_sertifikat_pelatihan", "SRT-3303-2025-00017"}},
          "jenis_pelatihan wajib diisi"};
}

class IntakeTest : public ::testing::TestWithParam<store::Backend> {
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
    ASSERT_NE(plugins_->find(kJabar), nullptr);
    ASSERT_NE(plugins_->find(kKra), nullptr);
    ASSERT_NE(plugins_->find(kPbg), nullptr);
    intake_.addPlugins(*plugins_);
  }
  void access(const std::string& agreement, const std::string& nik) {
    ASSERT_TRUE(obligations_
                    .open(agreement, *hasher_.hash(agreement, nik), obligation::Source::kLookup,
                          clock_.now(), 30)
                    .ok());
  }

  static plugin::Registry* plugins_;
  gerbang::testing::TempDir dir_;
  gerbang::testing::TestDatabase tdb_{GetParam(), dir_.path()};
  store::Database db_{tdb_.config()};
  FixedClock clock_{Date(2026, 11, 23)};
  audit::NikHasher hasher_{std::string(32, '\x2a')};
  obligation::ObligationRepository obligations_{db_};
  outbox::OutboxRepository outbox_{db_};
  IntakeService intake_{obligations_, outbox_, hasher_, clock_};
};
plugin::Registry* IntakeTest::plugins_ = nullptr;

TEST_P(IntakeTest, EachAgreementsValidRecordIsQueuedAndClosesTheObligation) {
  for (const char* ag : {kJabar, kKra, kPbg}) {
    SCOPED_TRACE(ag);
    access(ag, kAccessed);
    auto r = intake_.acceptFields(ag, validRecord(ag, kAccessed));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r->obligationClosed);
    EXPECT_FALSE(r->alreadyQueued);
    auto counts = obligations_.counts(ag, clock_.today());
    EXPECT_EQ(counts->open, 0);
    EXPECT_EQ(counts->fulfilled, 1);
    EXPECT_EQ(outbox_.counts(ag)->pending, 1);
    // The queued payload is what the registry's service wants, normalised by the schema.
    auto claimed = outbox_.claim(ag, 10, clock_.now(), std::chrono::seconds{1});
    ASSERT_EQ(claimed->size(), 1u);
    const std::string& p = (*claimed)[0].payload;
    EXPECT_THAT(p, HasSubstr(std::string("{\"NIK\":\"") + kAccessed + "\",\"param\":[{"));
    EXPECT_THAT(p, Not(HasSubstr("\"nik\"")));
    if (std::string(ag) == kKra) {
      EXPECT_THAT(p, HasSubstr("\"class_usaha\":\"mikro\""));
    }
    Poco::JSON::Parser parser;
    EXPECT_NO_THROW(parser.parse(p));
    EXPECT_EQ((*claimed)[0].key, r->key);
    auto ob = obligations_.list({ag, obligation::ObligationStatus::kFulfilled, {}, 10});
    ASSERT_EQ(ob->size(), 1u);
    EXPECT_EQ((*ob)[0].balikanRecordId, r->key);
  }
}

TEST_P(IntakeTest, EachAgreementsHookAndSchemaRefusalsAreReportedAndNothingIsQueued) {
  for (const char* ag : {kJabar, kKra, kPbg}) {
    SCOPED_TRACE(ag);
    access(ag, kAccessed);
    auto [fields, words] = hookRefused(ag, kAccessed);
    std::vector<RowError> errors;
    auto r = intake_.acceptFields(ag, fields, &errors);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "balikan_invalid");
    EXPECT_THAT(r.error().message, HasSubstr(words));
    ASSERT_FALSE(errors.empty());
    // Schema: a NIK Excel turned into a number (15 digits).
    Fields bad = validRecord(ag, "331301570895000");
    auto s = intake_.acceptFields(ag, bad, &errors);
    ASSERT_FALSE(s.ok());
    EXPECT_THAT(s.error().message, HasSubstr("16 angka"));
    EXPECT_EQ(outbox_.counts(ag)->pending, 0);
    EXPECT_EQ(obligations_.counts(ag, clock_.today())->open, 1);
  }
}

TEST_P(IntakeTest, ARecordForSomeoneNeverAccessedIsRefusedWithoutEchoingTheNik) {
  access(kPbg, kAccessed);
  // Accessed under another agreement only: still a stranger to this one.
  access(kKra, kNeverAccessed);
  auto r = intake_.acceptFields(kPbg, validRecord(kPbg, kNeverAccessed));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kNotAccessedCode);
  EXPECT_EQ(r.error().message,
            "NIK ini tidak pernah diakses dalam PKS ini; data balikan tidak dapat diterima");
  EXPECT_THAT(r.error().message + r.error().detail, Not(HasSubstr(kNeverAccessed)));
  EXPECT_EQ(outbox_.counts(kPbg)->pending, 0);
}

TEST_P(IntakeTest, TheSameRecordTwiceIsQueuedOnce) {
  access(kKra, kAccessed);
  auto a = intake_.acceptFields(kKra, validRecord(kKra, kAccessed));
  ASSERT_TRUE(a.ok());
  auto b = intake_.acceptFields(kKra, validRecord(kKra, kAccessed));
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_TRUE(b->alreadyQueued);
  EXPECT_FALSE(b->obligationClosed);
  EXPECT_EQ(a->key, b->key);
  EXPECT_EQ(outbox_.counts(kKra)->pending, 1);
}

TEST_P(IntakeTest, CsvUploadsKeepValidRowsAndReportEveryOtherRow) {
  access(kPbg, kAccessed);
  access(kPbg, kAccessed2);
  for (char sep : {';', ','}) {
    SCOPED_TRACE(std::string(1, sep));
    std::string s(1, sep);
    std::string csv = std::string(sep == ';' ? "\xEF\xBB\xBF" : "") + "NIK" + s +
                      "jenis_pelatihan" + s + "nomor_sertifikat_pelatihan\r\n" +
                      kAccessed + s + "Menjahit" + s + "SRT-3303-2025-00017\r\n" +
                      kAccessed2 + s + "" + s + "SRT-3303-2025-00018\r\n" +  // hook refuses
                      kNeverAccessed + s + "Las" + s + "\r\n" +              // never accessed
                      "33130157089500" + s + "Las" + s + "\r\n";              // schema
    std::istringstream in(csv);
    std::ostringstream report;
    auto r = intake_.importFile(kPbg, in, {}, &report);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->summary.rowsRead, 4u);
    EXPECT_EQ(r->accepted, 1u);
    EXPECT_EQ(r->summary.invalid, 2u);
    EXPECT_EQ(r->refused, 1u);
    const std::string rep = report.str();
    EXPECT_THAT(rep, HasSubstr("baris;kolom;alasan"));
    EXPECT_THAT(rep, HasSubstr("3;;jenis_pelatihan wajib diisi"));
    // The reason holds the separator, so it is quoted.
    EXPECT_THAT(rep, HasSubstr(std::string("4;NIK;\"") + kNotAccessedMessage + "\""));
    EXPECT_THAT(rep, HasSubstr("5;NIK;"));
    for (const char* n : {kAccessed, kAccessed2, kNeverAccessed}) EXPECT_THAT(rep, Not(HasSubstr(n)));
  }
  // The second upload found the accepted row queued already.
  EXPECT_EQ(outbox_.counts(kPbg)->pending, 1);
}

TEST_P(IntakeTest, XlsxUploadsAreDetectedAndRead) {
  access(kKra, kAccessed);
  const Schema* schema = intake_.schema(kKra);
  ASSERT_NE(schema, nullptr);
  XlsxExportWriter w(*schema);
  w.add(Record{0, {kAccessed, "3313-2025-000101", "AK1-3313-202501-000101", "Toko", "kecil"}});
  w.add(Record{0, {kNeverAccessed, "", "AK1-3313-202501-000102", "", ""}});
  std::stringstream xlsx;
  w.finish(xlsx, clock_.now());
  std::ostringstream report;
  auto r = intake_.importFile(kKra, xlsx, {}, &report);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->accepted, 1u);
  EXPECT_EQ(r->refused, 1u);
  EXPECT_THAT(report.str(), HasSubstr(kNotAccessedMessage));
  EXPECT_EQ(obligations_.counts(kKra, clock_.today())->fulfilled, 1);
}

TEST_P(IntakeTest, AHeaderThatDoesNotMatchRefusesTheWholeFile) {
  std::istringstream in("nama;alamat\r\nBudi;Jl. Mawar\r\n");
  auto r = intake_.importFile(kPbg, in, {}, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "balikan_header_invalid");
}

TEST_P(IntakeTest, RestRoutesAcceptRefuseUploadAndReport) {
  web::Router router;
  int woken = 0;
  registerBalikanRoutes(router, intake_, [&] { ++woken; });
  access(kJabar, kAccessed);
  auto call = [&](const std::string& method, const std::string& path, std::string body,
                  std::map<std::string, std::string> query = {}) {
    auto m = router.match(method, path);
    EXPECT_TRUE(m.has_value()) << path;
    EXPECT_EQ(m->route->access, web::Access::kApiToken);
    EXPECT_EQ(m->route->scopeParam, "id");
    web::Request req;
    req.method = method;
    req.path = path;
    req.body = std::move(body);
    req.params = m->params;
    req.query = std::move(query);
    web::Response res;
    m->route->handler(req, res);
    return res;
  };
  auto ok = call("POST", "/api/v1/agreements/jabar-disnakertrans/balikan",
                 std::string("{\"nik\":\"") + kAccessed + "\",\"keterangan_pencari_kerja\":\"Ada\"}");
  EXPECT_EQ(ok.status, 201) << ok.body;
  EXPECT_THAT(ok.body, HasSubstr("\"obligation_closed\":true"));
  EXPECT_EQ(woken, 1);
  auto stranger = call("POST", "/api/v1/agreements/jabar-disnakertrans/balikan",
                       std::string("{\"nik\":\"") + kNeverAccessed +
                           "\",\"keterangan_pencari_kerja\":\"Ada\"}");
  EXPECT_EQ(stranger.status, 422);
  EXPECT_THAT(stranger.body, HasSubstr("tidak pernah diakses"));
  EXPECT_THAT(stranger.body, Not(HasSubstr(kNeverAccessed)));
  auto invalid = call("POST", "/api/v1/agreements/jabar-disnakertrans/balikan",
                      std::string("{\"nik\":\"") + kAccessed + "\"}");
  EXPECT_EQ(invalid.status, 400);
  EXPECT_THAT(invalid.body, HasSubstr("\"errors\""));

  std::string csv = std::string("nik;keterangan_pencari_kerja\r\n") + kNeverAccessed + ";Ada\r\n";
  auto report = call("POST", "/api/v1/agreements/jabar-disnakertrans/balikan/upload", csv,
                     {{"report", "csv"}});
  EXPECT_EQ(report.status, 200);
  EXPECT_EQ(report.contentType, "text/csv; charset=utf-8");
  EXPECT_THAT(report.body, HasSubstr(kNotAccessedMessage));
  EXPECT_EQ(report.header("X-Balikan-Refused"), "1");
  auto summary = call("POST", "/api/v1/agreements/jabar-disnakertrans/balikan/upload", csv);
  EXPECT_THAT(summary.body, HasSubstr("\"refused\":1"));

  auto status = call("GET", "/api/v1/agreements/jabar-disnakertrans/balikan/status", "");
  EXPECT_EQ(status.status, 200);
  auto o = Poco::JSON::Parser().parse(status.body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(o->getObject("obligations")->getValue<int>("fulfilled"), 1);
  EXPECT_EQ(o->getObject("outbox")->getValue<int>("pending"), 1);
  EXPECT_EQ(o->getArray("records")->size(), 1u);
  EXPECT_THAT(status.body, Not(HasSubstr(kAccessed)));
}

TEST_P(IntakeTest, StatusCountsOverdueObligations) {
  access(kKra, kAccessed);
  access(kKra, kAccessed2);
  ASSERT_TRUE(intake_.acceptFields(kKra, validRecord(kKra, kAccessed)).ok());
  clock_.advance(std::chrono::hours{24 * 31});
  auto st = intake_.status(kKra);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->obligations.open, 1);
  EXPECT_EQ(st->obligations.overdue, 1);
  EXPECT_EQ(st->obligations.fulfilled, 1);
  EXPECT_EQ(st->outbox.pending, 1);
  ASSERT_EQ(st->records.size(), 1u);
  EXPECT_TRUE(st->records[0].payload.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, IntakeTest,
                         ::testing::ValuesIn(gerbang::testing::storeBackends()),
                         [](const auto& info) { return gerbang::testing::backendName(info.param); });

}  // namespace
}  // namespace gerbang::balikan
