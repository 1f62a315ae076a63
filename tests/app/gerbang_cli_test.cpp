// Runs the real `gerbang` binary, with the real plugins and a temporary configuration, on
// every store backend.
#include "tests/support/support.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

namespace gerbang::app {
namespace {

namespace fs = std::filesystem;
using Poco::JSON::Array;
using Poco::JSON::Object;

struct CliRun {
  int exitCode = -1;
  std::string out;
  std::string err;
};

// Runs the binary with `args` in `dir`; both pipes are drained at once so neither fills.
CliRun runGerbang(const fs::path& dir, const std::vector<std::string>& args) {
  Poco::Pipe outPipe, errPipe;
  Poco::ProcessHandle ph =
      Poco::Process::launch(GERBANG_EXE, args, dir.string(), nullptr, &outPipe, &errPipe);
  CliRun r;
  std::thread errReader([&] {
    Poco::PipeInputStream in(errPipe);
    Poco::StreamCopier::copyToString(in, r.err);
  });
  Poco::PipeInputStream in(outPipe);
  Poco::StreamCopier::copyToString(in, r.out);
  errReader.join();
  r.exitCode = ph.wait();
  return r;
}

class GerbangCliTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    config_ = dir_ / "gerbang.properties";
    std::ofstream f(config_);
    f << "# written by gerbang_cli_test\n"
      << "plugins.dir = " << GERBANG_TEST_PLUGIN_DIR << "\n"
      << "store.uri = " << tdb_.uri() << "\n"
      << "log.dir = " << (dir_ / "log").string() << "\n"
      << "log.level = debug\n"
      << "portal.password = " << kSecret << "\n";
  }

  CliRun gerbang(std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", config_.string()});
    return runGerbang(dir_.path(), args);
  }

  // `agreements --format json` on `today`, as id -> object.
  std::map<std::string, Object::Ptr> agreements(const std::string& today) {
    CliRun r = gerbang({"agreements", "--today", today, "--format", "json"});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    std::map<std::string, Object::Ptr> out;
    Array::Ptr arr = Poco::JSON::Parser().parse(r.out).extract<Array::Ptr>();
    for (size_t i = 0; i < arr->size(); ++i) {
      Object::Ptr o = arr->getObject(unsigned(i));
      out[o->getValue<std::string>("id")] = o;
    }
    return out;
  }

  static std::vector<std::string> strings(const Object::Ptr& o, const std::string& key) {
    std::vector<std::string> v;
    Array::Ptr a = o->getArray(key);
    for (size_t i = 0; i < a->size(); ++i) v.push_back(a->getElement<std::string>(unsigned(i)));
    return v;
  }

  static constexpr const char* kSecret = "rahasia-uji-7Q2";
  gerbang::testing::TempDir dir_;
  gerbang::testing::TestDatabase tdb_{GetParam(), dir_.path()};
  fs::path config_;
};

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST_P(GerbangCliTest, AgreementsOn20261123) {
  auto a = agreements("2026-11-23");
  ASSERT_EQ(a.size(), 3u);
  Object::Ptr jabar = a.at("jabar-disnakertrans");
  Object::Ptr purb = a.at("purbalingga-dinnaker");
  Object::Ptr kar = a.at("karanganyar-ak1");

  EXPECT_EQ(jabar->getValue<std::string>("status"), "expired");
  EXPECT_EQ(jabar->getValue<std::string>("end_date"), "2023-06-18");
  EXPECT_FALSE(jabar->getValue<bool>("allows_access"));
  EXPECT_EQ(kar->getValue<std::string>("status"), "expired");
  EXPECT_EQ(kar->getValue<std::string>("end_date"), "2022-11-09");
  EXPECT_EQ(purb->getValue<std::string>("status"), "active");
  EXPECT_EQ(purb->getValue<std::string>("end_date"), "2027-09-16");
  EXPECT_EQ(purb->getValue<int>("days_left"), 297);

  EXPECT_EQ(jabar->getValue<int>("quota_per_day"), 75);
  EXPECT_EQ(purb->getValue<int>("quota_per_day"), 200);
  EXPECT_EQ(kar->getValue<int>("quota_per_day"), 1000);

  EXPECT_EQ(strings(jabar, "elements").size(), 9u);
  EXPECT_TRUE(contains(strings(jabar, "elements"), "NO_KK"));
  EXPECT_EQ(strings(purb, "elements").size(), 8u);
  EXPECT_FALSE(contains(strings(purb, "elements"), "NO_KK"));
  EXPECT_EQ(strings(kar, "elements").size(), 9u);
  EXPECT_EQ(strings(jabar, "address_parts").size(), 12u);
  EXPECT_FALSE(contains(strings(purb, "address_parts"), "KODE_POS"));

  EXPECT_EQ(strings(jabar, "pks_numbers"),
            (std::vector<std::string>{"438/PMD.07.01/Disdukcapil", "3335/HK.03.01/Disnakertrans"}));
  EXPECT_EQ(strings(jabar, "balikan_fields"),
            (std::vector<std::string>{"nik", "keterangan_pencari_kerja",
                                      "keterangan_peserta_transmigrasi"}));
  EXPECT_TRUE(contains(strings(purb, "balikan_fields"), "nomor_sertifikat_pelatihan"));
  EXPECT_TRUE(contains(strings(kar, "balikan_fields"), "nomor_register"));
  EXPECT_TRUE(contains(strings(kar, "access_methods"), "card_reader"));
}

TEST_P(GerbangCliTest, PurbalinggaIsExpiringTwoMonthsBeforeItsEnd) {
  auto a = agreements("2027-07-20");
  EXPECT_EQ(a.at("purbalingga-dinnaker")->getValue<std::string>("status"), "expiring");
  EXPECT_EQ(a.at("purbalingga-dinnaker")->getValue<int>("days_left"), 58);
  EXPECT_TRUE(a.at("purbalingga-dinnaker")->getValue<bool>("allows_access"));
}

TEST_P(GerbangCliTest, AnAdendumExtendsJabarUntil20270618) {
  CliRun add = gerbang({"adendum", "add", "--agreement", "jabar-disnakertrans", "--number",
                        "438/ADD.01/Disdukcapil", "--date", "2026-11-20", "--end", "2027-06-18",
                        "--by", "admin-uji", "--today", "2026-11-23"});
  ASSERT_EQ(add.exitCode, 0) << add.err;
  EXPECT_NE(add.out.find("Adendum 438/ADD.01/Disdukcapil dicatat"), std::string::npos);

  auto a = agreements("2026-11-23");  // a new process: the Adendum came from the store
  Object::Ptr jabar = a.at("jabar-disnakertrans");
  EXPECT_EQ(jabar->getValue<std::string>("status"), "active");
  EXPECT_EQ(jabar->getValue<std::string>("end_date"), "2027-06-18");
  EXPECT_EQ(jabar->getValue<std::string>("original_end"), "2023-06-18");
  EXPECT_EQ(strings(jabar, "adenda"), std::vector<std::string>{"438/ADD.01/Disdukcapil"});
  EXPECT_EQ(a.at("karanganyar-ak1")->getValue<std::string>("status"), "expired");

  CliRun list =
      gerbang({"adendum", "list", "--agreement", "jabar-disnakertrans", "--format", "json"});
  ASSERT_EQ(list.exitCode, 0) << list.err;
  Array::Ptr arr = Poco::JSON::Parser().parse(list.out).extract<Array::Ptr>();
  ASSERT_EQ(arr->size(), 1u);
  EXPECT_EQ(arr->getObject(0)->getValue<std::string>("new_end"), "2027-06-18");
  EXPECT_EQ(arr->getObject(0)->getValue<std::string>("recorded_by"), "admin-uji");
  EXPECT_TRUE(arr->getObject(0)->isNull("quota_per_day"));

  CliRun again = gerbang({"adendum", "add", "--agreement", "jabar-disnakertrans", "--number",
                          "438/ADD.01/Disdukcapil", "--date", "2026-11-21", "--quota", "80",
                          "--today", "2026-11-23"});
  EXPECT_EQ(again.exitCode, 1);
  EXPECT_NE(again.err.find("adendum_duplicate"), std::string::npos) << again.err;
}

TEST_P(GerbangCliTest, PassedPocMakesPurbalinggaUnlimitedButNotJabar) {
  CliRun poc =
      gerbang({"adendum", "add", "--agreement", "purbalingga-dinnaker", "--number",
               "400.12/POC/2026", "--date", "2026-11-02", "--poc-passed", "--today", "2026-11-23"});
  ASSERT_EQ(poc.exitCode, 0) << poc.err;
  auto a = agreements("2026-11-23");
  EXPECT_TRUE(a.at("purbalingga-dinnaker")->isNull("quota_per_day"));
  EXPECT_TRUE(a.at("purbalingga-dinnaker")->getValue<bool>("poc_passed"));
  // Before the PoC Adendum was signed the limit still applied.
  EXPECT_EQ(agreements("2026-11-01").at("purbalingga-dinnaker")->getValue<int>("quota_per_day"),
            200);

  CliRun jabar =
      gerbang({"adendum", "add", "--agreement", "jabar-disnakertrans", "--number", "POC/1",
               "--date", "2026-11-02", "--poc-passed", "--today", "2026-11-23"});
  EXPECT_EQ(jabar.exitCode, 1);
  EXPECT_NE(jabar.err.find("poc_passed"), std::string::npos) << jabar.err;
  EXPECT_EQ(agreements("2026-11-23").at("jabar-disnakertrans")->getValue<int>("quota_per_day"), 75);
}

TEST_P(GerbangCliTest, AnAdendumAddingAnElementIsRefused) {
  CliRun r = gerbang({"adendum", "add", "--agreement", "purbalingga-dinnaker", "--number",
                      "400.12/ADD-NOKK/2026", "--date", "2026-11-10", "--elements",
                      "NIK,NAMA_LGKP,NO_KK", "--today", "2026-11-23"});
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("elements[2]: 'NO_KK' tidak termasuk"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("never add one"), std::string::npos) << r.err;
  CliRun list =
      gerbang({"adendum", "list", "--agreement", "purbalingga-dinnaker", "--format", "json"});
  ASSERT_EQ(list.exitCode, 0);
  EXPECT_EQ(Poco::JSON::Parser().parse(list.out).extract<Array::Ptr>()->size(), 0u);

  CliRun narrow = gerbang({"adendum", "add", "--agreement", "purbalingga-dinnaker", "--number",
                           "400.12/ADD-SEMPIT/2026", "--date", "2026-11-10", "--elements",
                           "NIK,NAMA_LGKP", "--today", "2026-11-23"});
  ASSERT_EQ(narrow.exitCode, 0) << narrow.err;
  auto a = agreements("2026-11-23");
  EXPECT_EQ(strings(a.at("purbalingga-dinnaker"), "elements"),
            (std::vector<std::string>{"NIK", "NAMA_LGKP"}));
  EXPECT_TRUE(strings(a.at("purbalingga-dinnaker"), "address_parts").empty());
}

TEST_P(GerbangCliTest, PluginsListsTheThreeLoaded) {
  CliRun r = gerbang({"plugins", "--format", "json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  Object::Ptr o = Poco::JSON::Parser().parse(r.out).extract<Object::Ptr>();
  Array::Ptr loaded = o->getArray("loaded");
  ASSERT_EQ(loaded->size(), 3u);
  std::vector<std::string> ids;
  for (size_t i = 0; i < loaded->size(); ++i)
    ids.push_back(loaded->getObject(unsigned(i))->getValue<std::string>("id"));
  EXPECT_EQ(ids, (std::vector<std::string>{"jabar-disnakertrans", "karanganyar-ak1",
                                           "purbalingga-dinnaker"}));
  EXPECT_EQ(o->getArray("refused")->size(), 0u);

  CliRun table = gerbang({"plugins"});
  ASSERT_EQ(table.exitCode, 0);
  EXPECT_NE(table.out.find("Dimuat: 3"), std::string::npos) << table.out;
}

TEST_P(GerbangCliTest, PluginsShowsEachRefusalWithItsReason) {
  fs::path dir = dir_ / "plugins";
  fs::create_directories(dir);
  const fs::path built = GERBANG_TEST_PLUGIN_DIR;
  fs::copy_file(built / "jabar-disnakertrans.so", dir / "jabar-disnakertrans.so");
  fs::copy_file(built / "jabar-disnakertrans.so", dir / "salinan-jabar.so");  // same agency id
  fs::copy_file(built / "karanganyar-ak1.so", dir / "karanganyar-ak1.so");
  fs::permissions(dir / "karanganyar-ak1.so", fs::perms::others_write, fs::perm_options::add);
  std::ofstream(dir / "bukan-plugin.so") << "bukan ELF";
  for (const char* f : {"jabar-disnakertrans.so", "salinan-jabar.so", "bukan-plugin.so"})
    fs::permissions(dir / f, fs::perms::owner_read | fs::perms::owner_write |
                                 fs::perms::group_read | fs::perms::others_read);

  CliRun r = gerbang({"--define", "plugins.dir=" + dir.string(), "plugins", "--format", "json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  Object::Ptr o = Poco::JSON::Parser().parse(r.out).extract<Object::Ptr>();
  ASSERT_EQ(o->getArray("loaded")->size(), 1u);
  EXPECT_EQ(o->getArray("loaded")->getObject(0)->getValue<std::string>("id"),
            "jabar-disnakertrans");
  std::map<std::string, std::string> refused;
  Array::Ptr arr = o->getArray("refused");
  for (size_t i = 0; i < arr->size(); ++i)
    refused[arr->getObject(unsigned(i))->getValue<std::string>("file")] =
        arr->getObject(unsigned(i))->getValue<std::string>("reason");
  ASSERT_EQ(refused.size(), 3u) << r.out;
  EXPECT_NE(refused["karanganyar-ak1.so"].find("writable"), std::string::npos);
  EXPECT_NE(refused["salinan-jabar.so"].find("already loaded"), std::string::npos);
  EXPECT_NE(refused["bukan-plugin.so"].find("does not load"), std::string::npos);

  // The table says the same, and only the loaded agreement is listed.
  CliRun table = gerbang({"--define", "plugins.dir=" + dir.string(), "plugins"});
  EXPECT_NE(table.out.find("Ditolak: 3"), std::string::npos) << table.out;
  CliRun ag =
      gerbang({"--define", "plugins.dir=" + dir.string(), "agreements", "--format", "json"});
  ASSERT_EQ(ag.exitCode, 0) << ag.err;
  EXPECT_EQ(Poco::JSON::Parser().parse(ag.out).extract<Array::Ptr>()->size(), 1u);
}

TEST_P(GerbangCliTest, TableShowsExpiredAgreementsPlainly) {
  CliRun r = gerbang({"agreements", "--today", "2026-11-23"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("! jabar-disnakertrans: PKS berakhir 2023-06-18; akses ditolak"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("! karanganyar-ak1: PKS berakhir 2022-11-09"), std::string::npos);
  EXPECT_EQ(r.out.find("! purbalingga-dinnaker"), std::string::npos);
}

TEST_P(GerbangCliTest, BadArgumentsExitTwoWithTheUsage) {
  struct Case {
    std::vector<std::string> args;
    std::string error;
    std::string usage;
  } cases[] = {
      {{"agreements", "--format", "xml"},
       "--format: 'xml' is not one of table|json",
       "Usage: gerbang agreements"},
      {{"agreements", "--today", "2026-02-30"},
       "--today: '2026-02-30' is not a date",
       "Usage: gerbang [global options]"},
      {{"agreements", "--bogus"}, "unknown option '--bogus'", "Usage: gerbang agreements"},
      {{"adendum", "add", "--agreement", "jabar-disnakertrans", "--date", "2026-11-20"},
       "--number is required",
       "Usage: gerbang adendum add"},
      {{"adendum", "add", "--agreement", "jabar-disnakertrans", "--number", "N", "--date",
        "2026-11-20", "--quota", "sepuluh"},
       "--quota: 'sepuluh' is not a whole number",
       "Usage: gerbang adendum add"},
      {{"adendum", "hapus"}, "unknown subcommand 'hapus'", "Usage: gerbang adendum add"},
      {{"frobnicate"}, "unknown command 'frobnicate'", "Commands:"},
      {{}, "no command given", "Commands:"},
      {{"--define", "tanpa-sama-dengan", "agreements"}, "is not KEY=VALUE", "Commands:"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.error);
    CliRun r = gerbang(c.args);
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find(c.error), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.usage), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
}

TEST_P(GerbangCliTest, TheShippedConfigFileWorksFromTheBuildTree) {
  // Only the store and the logs are moved into the test's directory; the plugin directory
  // comes from the shipped file's ${build.plugin_dir}.
  const fs::path shipped = fs::path(GERBANG_TEST_SOURCE_DIR) / "config" / "gerbang.properties";
  CliRun r = runGerbang(dir_.path(),
                        {"--config", shipped.string(), "-D", "store.uri=" + tdb_.uri(), "-D",
                         "log.dir=" + (dir_ / "log").string(), "plugins", "--format", "json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  Object::Ptr o = Poco::JSON::Parser().parse(r.out).extract<Object::Ptr>();
  EXPECT_EQ(o->getArray("loaded")->size(), 3u);
  EXPECT_EQ(fs::path(o->getValue<std::string>("plugin_dir")), fs::path(GERBANG_TEST_PLUGIN_DIR));
}

TEST_P(GerbangCliTest, HelpAndVersionSucceed) {
  CliRun help = gerbang({"--help"});
  EXPECT_EQ(help.exitCode, 0);
  for (const char* cmd : {"agreements", "adendum", "plugins", "version"})
    EXPECT_NE(help.out.find(std::string("  ") + cmd), std::string::npos) << cmd;
  CliRun cmdHelp = gerbang({"adendum", "--help"});
  EXPECT_EQ(cmdHelp.exitCode, 0);
  EXPECT_NE(cmdHelp.out.find("--poc-passed"), std::string::npos);
  CliRun version = gerbang({"version"});
  EXPECT_EQ(version.exitCode, 0);
  EXPECT_NE(version.out.find("(plugin ABI 1.1)"), std::string::npos) << version.out;
}

TEST_P(GerbangCliTest, DefinesOverrideTheFileAndStartupFailuresNameTheKey) {
  CliRun r = gerbang({"--define", "plugins.dir=" + (dir_ / "tidak-ada").string(), "plugins"});
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("plugins.dir"), std::string::npos) << r.err;

  CliRun level = gerbang({"-D", "log.level=cerewet", "agreements"});
  EXPECT_EQ(level.exitCode, 1);
  EXPECT_NE(level.err.find("log.level: 'cerewet' is not a log level"), std::string::npos)
      << level.err;

  CliRun missing =
      runGerbang(dir_.path(), {"--config", (dir_ / "hilang.properties").string(), "agreements"});
  EXPECT_EQ(missing.exitCode, 1);
  EXPECT_NE(missing.err.find("hilang.properties' does not exist"), std::string::npos)
      << missing.err;
}

TEST_P(GerbangCliTest, LogsGoToTheLogDirectoryWithoutSecrets) {
  CliRun r =
      gerbang({"adendum", "add", "--agreement", "karanganyar-ak1", "--number", "470/ADD/2026",
               "--date", "2026-11-20", "--end", "2028-11-09", "--today", "2026-11-23"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  fs::path log = dir_ / "log" / "gerbang.log";
  ASSERT_TRUE(fs::exists(log));
  std::ifstream in(log);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("adendum 470/ADD/2026 recorded for karanganyar-ak1"), std::string::npos)
      << text;
  EXPECT_NE(text.find("loaded agreement plugin 'karanganyar-ak1'"), std::string::npos);
  // The portal password in the config file never reaches a log, nor the store's DSN.
  EXPECT_TRUE(gerbang::testing::scanFiles(dir_ / "log", {kSecret, "password="}).empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, GerbangCliTest,
                         ::testing::ValuesIn(gerbang::testing::storeBackends()),
                         [](const auto& info) {
                           return gerbang::testing::backendName(info.param);
                         });

}  // namespace
}  // namespace gerbang::app
