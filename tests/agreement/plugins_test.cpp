// The three shipped agreement plugins: their manifests say what the agreements say
// (shared/DOMAIN.md), and their hooks enforce the rules they claim.
#include "core/agreement/agreement.hpp"
#include "core/plugin/loader.hpp"
#include "core/plugin/manifest.hpp"
#include "tests/support/support.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <regex>

namespace gerbang::agreement {
namespace {

namespace fs = std::filesystem;

plugin::Manifest manifestOf(const std::string& id) {
  std::ifstream in(gerbang::testing::sourceDir() / "plugins" / id / "manifest.json");
  std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_FALSE(json.empty()) << id;
  Result<plugin::Manifest> m = plugin::parseManifest(json);
  EXPECT_TRUE(m.ok()) << id << ": " << (m.ok() ? "" : m.error().detail);
  return m.ok() ? m.value() : plugin::Manifest{};
}

std::vector<std::string> fieldNames(const plugin::Manifest& m) {
  std::vector<std::string> out;
  for (const auto& f : m.balikan.fields) out.push_back(f.name);
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(PluginManifestsTest, JawaBarat) {
  plugin::Manifest m = manifestOf("jabar-disnakertrans");
  EXPECT_EQ(m.pksNumbers,
            (std::vector<std::string>{"438/PMD.07.01/Disdukcapil", "3335/HK.03.01/Disnakertrans"}));
  EXPECT_EQ(m.juknisNumbers,
            (std::vector<std::string>{"439/PMD.07.01/Disdukcapil", "3336/HK.03.01/Disnakertrans"}));
  EXPECT_EQ(m.approvalLetter.number, "470/4833/Dukcapil");
  EXPECT_EQ(m.approvalLetter.date, Date(2021, 4, 13));
  EXPECT_EQ(m.signedOn, Date(2021, 6, 18));
  EXPECT_EQ(m.end, Date(2023, 6, 18));
  EXPECT_EQ(m.elements.size(), 9u);
  EXPECT_TRUE(has(m.elements, "NO_KK"));
  EXPECT_EQ(m.addressParts.size(), 12u);
  EXPECT_EQ(m.quota.perDay, 75);
  EXPECT_FALSE(m.quota.unlimitedAfterPoc);
  EXPECT_EQ(fieldNames(m), (std::vector<std::string>{"nik", "keterangan_pencari_kerja",
                                                     "keterangan_peserta_transmigrasi"}));
  EXPECT_TRUE(has(m.balikan.methods, "media"));
  EXPECT_TRUE(has(m.accessMethods, "card_reader"));
}

TEST(PluginManifestsTest, Purbalingga) {
  plugin::Manifest m = manifestOf("purbalingga-dinnaker");
  EXPECT_EQ(m.pksNumbers, (std::vector<std::string>{"400.12/2430/2025", "500.15/1564/2025"}));
  EXPECT_EQ(m.juknisNumbers, std::vector<std::string>{"400.12/2439/2025"});
  EXPECT_EQ(m.approvalLetter.date, Date(2025, 7, 25));
  EXPECT_EQ(m.signedOn, Date(2025, 9, 16));
  EXPECT_EQ(m.end, Date(2027, 9, 16));
  EXPECT_EQ(m.elements.size(), 8u);
  EXPECT_FALSE(has(m.elements, "NO_KK"));
  EXPECT_EQ(m.addressParts, (std::vector<std::string>{"ALAMAT", "PROP_NAME", "KAB_NAME", "NO_KEC",
                                                      "KEC_NAME", "KEL_NAME", "NO_RT", "NO_RW"}));
  EXPECT_EQ(m.quota.perDay, 200);
  EXPECT_TRUE(m.quota.unlimitedAfterPoc);
  EXPECT_EQ(fieldNames(m), (std::vector<std::string>{"nik", "keterangan_pencari_kerja",
                                                     "nomor_sertifikat_pelatihan",
                                                     "jenis_pelatihan", "penempatan_kerja"}));
  EXPECT_EQ(m.balikan.methods, std::vector<std::string>{"web_service"});
  EXPECT_EQ(m.reports.deadlineWorkingDays, 10);
  EXPECT_TRUE(has(m.reports.channels, "hard_copy"));
  EXPECT_TRUE(has(m.reports.channels, "email"));
}

TEST(PluginManifestsTest, Karanganyar) {
  plugin::Manifest m = manifestOf("karanganyar-ak1");
  EXPECT_EQ(m.pksNumbers,
            (std::vector<std::string>{"470/2566.12/XI/2020", "562/4430.7.3/XI/2020"}));
  EXPECT_EQ(m.approvalLetter.number, "470/11830/DUKCAPIL");
  EXPECT_EQ(m.signedOn, Date(2020, 11, 10));
  EXPECT_EQ(m.end, Date(2022, 11, 9));
  EXPECT_EQ(m.elements.size(), 9u);
  EXPECT_EQ(m.quota.perDay, 1000);
  EXPECT_EQ(fieldNames(m),
            (std::vector<std::string>{"nik", "nomor_id_kartu_pencari_kerja", "nomor_register",
                                      "jenis_usaha", "class_usaha"}));
  ASSERT_FALSE(m.screens.empty());
  EXPECT_EQ(m.screens[0].title, "Pemeriksaan Pemohon AK-I");
  EXPECT_EQ(m.screens[0].feeds, "lookup+balikan");
}

TEST(PluginManifestsTest, PurposeReferenceExamplesMatchTheirPatterns) {
  for (const char* id : {"jabar-disnakertrans", "purbalingga-dinnaker", "karanganyar-ak1"}) {
    plugin::Manifest m = manifestOf(id);
    SCOPED_TRACE(id);
    EXPECT_TRUE(
        std::regex_match(m.purposeReference.example, std::regex(m.purposeReference.pattern)));
    EXPECT_FALSE(std::regex_match(std::string("ABC-123"), std::regex(m.purposeReference.pattern)));
    EXPECT_FALSE(m.routes.empty());
    EXPECT_FALSE(m.screens.empty());
  }
}

TEST(PluginManifestsTest, StatusOn20261123AsTheDomainSays) {
  const Date today(2026, 11, 23);
  EXPECT_EQ(Agreement(manifestOf("jabar-disnakertrans"), {}).status(today).phase, Phase::kExpired);
  EXPECT_EQ(Agreement(manifestOf("karanganyar-ak1"), {}).status(today).phase, Phase::kExpired);
  EXPECT_EQ(Agreement(manifestOf("purbalingga-dinnaker"), {}).status(today).phase, Phase::kActive);
}

// --- the built plugins ----------------------------------------------------------------

// The plugins the build produced, loaded once for the whole binary (plugins are never
// unloaded). A loading failure fails every test that uses them.
plugin::Registry& builtPlugins() {
  static plugin::Registry* registry = [] {
    auto r = std::make_unique<plugin::Registry>();
    r->setLookupService([](std::string_view agency, const char* op, const char* nik,
                           const char* ref, gerbang_writer* out) {
      // Echo what the plugin asked for in the answer's message (a screen route repeats the
      // message), so the test sees the purpose reference it passed.
      std::string body = std::string("{\"outcome\":\"not_found\",\"message\":\"") +
                         std::string(agency) + "|" + op + "|" + ref + "|" +
                         std::to_string(std::string(nik).size()) + "\"}";
      out->write(out->ctx, body.data(), body.size());
      return GERBANG_OK;
    });
    r->loadDirectory(GERBANG_TEST_PLUGIN_DIR);
    return r.release();
  }();
  return *registry;
}

class BuiltPluginsTest : public ::testing::Test {
 protected:
  void SetUp() override { registry_ = &builtPlugins(); }

  const plugin::LoadedPlugin& plugin(const char* id) const {
    const plugin::LoadedPlugin* p = registry_->find(id);
    if (p == nullptr) throw std::runtime_error(std::string("plugin not loaded: ") + id);
    return *p;
  }

  Status balikan(const char* id, std::vector<std::pair<std::string, std::string>> f) const {
    return plugin(id).validateBalikan(f);
  }

  plugin::LoadedPlugin::RouteAnswer route(const char* id, const char* routeId, const char* method,
                                          std::vector<gerbang_kv> params,
                                          const char* body = "") const {
    gerbang_route_request r{routeId,       method,        "op-uji-1", "operator",
                            params.data(), params.size(), body};
    Result<plugin::LoadedPlugin::RouteAnswer> a = plugin(id).handleRoute(r);
    if (!a.ok()) throw std::runtime_error(a.error().code + ": " + a.error().detail);
    return a.value();
  }

  static Poco::JSON::Object::Ptr json(const std::string& body) {
    return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
  }

  plugin::Registry* registry_ = nullptr;
};

// A synthetic NIK (not a real person's): Jawa Barat region digits, serial 9999.
const char* kSyntheticNik = "3273015505909999";

TEST_F(BuiltPluginsTest, AllThreeLoad) {
  for (const auto& r : registry_->refused()) ADD_FAILURE() << r.line();
  EXPECT_NE(registry_->find("jabar-disnakertrans"), nullptr);
  EXPECT_NE(registry_->find("purbalingga-dinnaker"), nullptr);
  EXPECT_NE(registry_->find("karanganyar-ak1"), nullptr);
}

TEST_F(BuiltPluginsTest, JabarNeedsOneOfTheTwoKeterangan) {
  Status none = balikan("jabar-disnakertrans", {{"nik", kSyntheticNik}});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, "balikan_invalid");
  EXPECT_NE(none.error().message.find("keterangan_pencari_kerja"), std::string::npos);
  EXPECT_FALSE(
      balikan("jabar-disnakertrans", {{"nik", kSyntheticNik}, {"keterangan_pencari_kerja", "   "}})
          .ok());
  EXPECT_TRUE(
      balikan("jabar-disnakertrans",
              {{"nik", kSyntheticNik}, {"keterangan_peserta_transmigrasi", "Calon transmigran"}})
          .ok());
}

TEST_F(BuiltPluginsTest, JabarRegistrationRoute) {
  auto ok = route("jabar-disnakertrans", "pendaftaran-struktur", "GET",
                  {{"nomor", "TRANS-3204-2026-00042"}});
  EXPECT_EQ(ok.httpStatus, 200);
  auto o = json(ok.body);
  EXPECT_EQ(o->getValue<std::string>("jenis"), "peserta_transmigrasi");
  EXPECT_EQ(o->getValue<std::string>("kode_kab_kota"), "3204");
  EXPECT_EQ(o->getValue<int>("nomor_urut"), 42);
  auto outside = route("jabar-disnakertrans", "pendaftaran-struktur", "GET",
                       {{"nomor", "AK1-3250-2026-000001"}});  // 3250 is no Jabar regency
  EXPECT_EQ(outside.httpStatus, 422);
  EXPECT_NE(json(outside.body)->getValue<std::string>("message").find("3250"), std::string::npos);
  auto quote = route("jabar-disnakertrans", "pendaftaran-struktur", "GET", {{"nomor", "X\"}"}});
  EXPECT_EQ(quote.httpStatus, 422);
  EXPECT_EQ(json(quote.body)->getValue<std::string>("nomor"), "X\"}");  // escaped, still JSON
}

TEST_F(BuiltPluginsTest, PurbalinggaCertificateNeedsJenisPelatihan) {
  Status s =
      balikan("purbalingga-dinnaker",
              {{"nik", kSyntheticNik}, {"nomor_sertifikat_pelatihan", "SRT-3303-2026-00017"}});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("jenis_pelatihan"), std::string::npos);
  EXPECT_TRUE(
      balikan("purbalingga-dinnaker", {{"nik", kSyntheticNik},
                                       {"nomor_sertifikat_pelatihan", "SRT-3303-2026-00017"},
                                       {"jenis_pelatihan", "Las listrik"}})
          .ok());
  EXPECT_FALSE(balikan("purbalingga-dinnaker", {{"nik", kSyntheticNik}}).ok());
  EXPECT_TRUE(balikan("purbalingga-dinnaker",
                      {{"nik", kSyntheticNik}, {"penempatan_kerja", "dalam_negeri"}})
                  .ok());
}

TEST_F(BuiltPluginsTest, PurbalinggaParticipantRoute) {
  auto ok =
      route("purbalingga-dinnaker", "peserta-struktur", "GET", {{"nomor", "PLT-3303-2026-00017"}});
  EXPECT_EQ(ok.httpStatus, 200);
  EXPECT_EQ(json(ok.body)->getValue<std::string>("jenis"), "peserta_pelatihan");
  auto other =
      route("purbalingga-dinnaker", "peserta-struktur", "GET", {{"nomor", "PLT-3302-2026-00017"}});
  EXPECT_EQ(other.httpStatus, 422);
  EXPECT_NE(json(other.body)->getValue<std::string>("message").find("3303"), std::string::npos);
}

TEST_F(BuiltPluginsTest, KaranganyarRegisterAndCardRules) {
  const char* k = "karanganyar-ak1";
  EXPECT_TRUE(
      balikan(k, {{"nik", kSyntheticNik}, {"nomor_register", "AK1-3313-202611-000457"}}).ok());
  Status month = balikan(k, {{"nik", kSyntheticNik}, {"nomor_register", "AK1-3313-202613-000457"}});
  ASSERT_FALSE(month.ok());
  EXPECT_NE(month.error().message.find("bulan pendaftaran 13"), std::string::npos);
  Status early = balikan(k, {{"nik", kSyntheticNik},
                             {"nomor_register", "AK1-3313-202611-000457"},
                             {"nomor_id_kartu_pencari_kerja", "3313-2025-000457"}});
  ASSERT_FALSE(early.ok());
  EXPECT_NE(early.error().message.find("lebih awal"), std::string::npos);
  EXPECT_TRUE(balikan(k, {{"nik", kSyntheticNik},
                          {"nomor_register", "AK1-3313-202611-000457"},
                          {"nomor_id_kartu_pencari_kerja", "3313-2026-000457"}})
                  .ok());
  Status cls = balikan(k, {{"nik", kSyntheticNik},
                           {"nomor_register", "AK1-3313-202611-000457"},
                           {"class_usaha", "mikro"}});
  ASSERT_FALSE(cls.ok());
  EXPECT_NE(cls.error().message.find("jenis_usaha"), std::string::npos);
}

TEST_F(BuiltPluginsTest, KaranganyarRegisterRouteAnswersTheStructure) {
  auto ok = route("karanganyar-ak1", "ak1-register", "GET", {{"nomor", "AK1-3313-202611-000457"}});
  EXPECT_EQ(ok.httpStatus, 200);
  auto o = json(ok.body);
  EXPECT_TRUE(o->getValue<bool>("sah"));
  EXPECT_EQ(o->getValue<int>("tahun"), 2026);
  EXPECT_EQ(o->getValue<int>("bulan"), 11);
  EXPECT_EQ(o->getValue<int>("nomor_urut"), 457);
  auto bad = route("karanganyar-ak1", "ak1-register", "GET", {{"nomor", "AK1-3312-202611-000457"}});
  EXPECT_EQ(bad.httpStatus, 422);
  EXPECT_NE(json(bad.body)->getValue<std::string>("message").find("3313"), std::string::npos);
  auto missing = route("karanganyar-ak1", "ak1-register", "GET", {});
  EXPECT_EQ(missing.httpStatus, 400);
}

TEST_F(BuiltPluginsTest, KaranganyarCheckPassesTheRegisterToTheHostLookup) {
  std::string body = std::string("{\"nik\":\"") + kSyntheticNik +
                     "\",\"nomor_register\":\"AK1-3313-202611-000457\"}";
  auto ok = route("karanganyar-ak1", "ak1-pemeriksaan", "POST", {}, body.c_str());
  ASSERT_EQ(ok.httpStatus, 200) << ok.body;
  auto answer = json(ok.body);
  EXPECT_EQ(answer->getValue<std::string>("message"),
            "karanganyar-ak1|op-uji-1|AK1-3313-202611-000457|16");
  EXPECT_EQ(answer->getValue<std::string>("outcome"), "not_found");
  // Not found: nothing is recorded as balikan (the applicant corrects the documents first).
  EXPECT_EQ(answer->getObject("balikan")->getValue<std::string>("status"), "not_recorded");
  EXPECT_EQ(answer->getObject("register")->getValue<int>("nomor_urut"), 457);

  auto badRegister = route("karanganyar-ak1", "ak1-pemeriksaan", "POST", {},
                           "{\"nik\":\"3273015505909999\",\"nomor_register\":\"AK1-3313-2026-1\"}");
  EXPECT_EQ(badRegister.httpStatus, 422);
  auto garbage = route("karanganyar-ak1", "ak1-pemeriksaan", "POST", {}, "{\"nik\": 5}");
  EXPECT_EQ(garbage.httpStatus, 400);
  EXPECT_NE(json(garbage.body)->getValue<std::string>("message").find("posisi"), std::string::npos);
}

}  // namespace
}  // namespace gerbang::agreement
