// Argument parsing shared by every command, and the global options.
#include "core/app/args.hpp"
#include "core/app/config.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Util/PropertyFileConfiguration.h>
#include <gtest/gtest.h>

namespace gerbang::app {
namespace {

const std::vector<OptionSpec> kSpec = {{"agreement", true}, {"quota", true}, {"poc-passed", false},
                                       {"elements", true},  {"date", true},  {"format", true}};

TEST(ArgsTest, ParsesValuesFlagsAndInlineValues) {
  Args a({"--agreement", "jabar-disnakertrans", "--quota=80", "--poc-passed", "--elements",
          "NIK, NAMA_LGKP", "--date", "2026-11-20"},
         kSpec);
  EXPECT_EQ(a.required("agreement"), "jabar-disnakertrans");
  EXPECT_EQ(a.integer("quota", 1, 1000), 80);
  EXPECT_TRUE(a.flag("poc-passed"));
  EXPECT_EQ(a.list("elements"), (std::vector<std::string>{"NIK", "NAMA_LGKP"}));
  EXPECT_EQ(a.date("date"), Date(2026, 11, 20));
  EXPECT_EQ(a.choice("format", {"table", "json"}), "table");
  EXPECT_FALSE(a.value("missing").has_value());
}

TEST(ArgsTest, RejectsEachKindOfMistakeSayingWhat) {
  auto error = [](std::vector<std::string> args, size_t positionals = 0) -> std::string {
    try {
      Args a(args, kSpec, positionals);
      a.integer("quota", 1, 1000);
      a.list("elements");
      a.date("date");
      a.choice("format", {"table", "json"});
      a.required("agreement");
    } catch (const UsageError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(error({"--nope"}), "unknown option '--nope'");
  EXPECT_EQ(error({"-x"}), "unknown option '-x' (argument 1)");
  EXPECT_EQ(error({"--agreement"}), "--agreement needs a value");
  EXPECT_EQ(error({"--agreement", "a", "--agreement", "b"}), "--agreement is given twice");
  EXPECT_EQ(error({"--poc-passed=yes"}), "--poc-passed takes no value");
  EXPECT_EQ(error({"stray"}), "unexpected argument 'stray' (argument 1)");
  EXPECT_EQ(error({"--quota", "0"}), "--quota: 0 is outside 1..1000");
  EXPECT_EQ(error({"--quota", "12x"}), "--quota: '12x' is not a whole number");
  EXPECT_EQ(error({"--elements", "NIK,,ALAMAT"}),
            "--elements: empty item in 'NIK,,ALAMAT' (item 2)");
  EXPECT_EQ(error({"--date", "20-11-2026"}), "--date: '20-11-2026' is not a date (YYYY-MM-DD)");
  EXPECT_EQ(error({"--format", "csv"}), "--format: 'csv' is not one of table|json");
  EXPECT_EQ(error({"--format", "json"}), "--agreement is required");
}

TEST(GlobalOptionsTest, TakesGlobalOptionsFromAnywhere) {
  GlobalOptions o =
      parseGlobalOptions({"agreements", "--today", "2026-11-23", "--format", "json", "-D", "a.b=1",
                          "--define=c=d=e", "-Dx=y", "--config=/etc/g.properties"});
  EXPECT_EQ(o.rest, (std::vector<std::string>{"agreements", "--format", "json"}));
  EXPECT_EQ(o.today, Date(2026, 11, 23));
  ASSERT_EQ(o.defines.size(), 3u);
  EXPECT_EQ(o.defines[0], (std::pair<std::string, std::string>{"a.b", "1"}));
  EXPECT_EQ(o.defines[1], (std::pair<std::string, std::string>{"c", "d=e"}));
  EXPECT_EQ(o.defines[2], (std::pair<std::string, std::string>{"x", "y"}));
  EXPECT_EQ(o.configFile, "/etc/g.properties");

  GlobalOptions passthrough = parseGlobalOptions({"cmd", "--", "--today", "x"});
  EXPECT_EQ(passthrough.rest, (std::vector<std::string>{"cmd", "--today", "x"}));
  EXPECT_FALSE(passthrough.today.has_value());

  EXPECT_THROW(parseGlobalOptions({"--today", "2026-11-31"}), UsageError);
  EXPECT_THROW(parseGlobalOptions({"--config"}), UsageError);
  EXPECT_THROW(parseGlobalOptions({"--define", "=v"}), UsageError);
}

TEST(ConfigFileTest, TheShippedFileDocumentsEveryApplicationKey) {
  Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> file(
      new Poco::Util::PropertyFileConfiguration(std::string(GERBANG_TEST_SOURCE_DIR) +
                                                "/config/gerbang.properties"));
  for (const char* key :
       {keys::kPluginsDir, keys::kStoreUri, keys::kLogDir, keys::kLogLevel, keys::kLogConsoleLevel,
        keys::kLogMaxFileBytes, keys::kLogMaxFiles, keys::kClockToday}) {
    EXPECT_TRUE(file->hasProperty(key)) << key;
  }
  // Loopback only in the defaults (rule 2: closed network; nothing reaches out by default).
  EXPECT_EQ(file->getString("portal.url").rfind("http://127.0.0.1:", 0), 0u);
}

TEST(ConfigFileTest, OverridesBeatTheFileWhichBeatsTheDefaults) {
  GlobalOptions o;
  o.configFile = std::string(GERBANG_TEST_SOURCE_DIR) + "/config/gerbang.properties";
  o.defines = {{"log.level", "debug"}};
  o.today = Date(2027, 7, 20);
  Poco::AutoPtr<Poco::Util::LayeredConfiguration> config(new Poco::Util::LayeredConfiguration);
  layerConfiguration(*config, o);
  EXPECT_EQ(config->getString(keys::kLogLevel), "debug");         // --define
  EXPECT_EQ(config->getString(keys::kClockToday), "2027-07-20");  // --today
  EXPECT_EQ(config->getString(keys::kLogConsoleLevel), "warn");   // the file
  EXPECT_EQ(config->getString(keys::kPluginsDir),                 // ${build.plugin_dir}
            config->getString(keys::kBuildPluginDir));
  EXPECT_FALSE(config->getString(keys::kPluginsDir).empty());

  GlobalOptions missing;
  missing.configFile = "/tidak/ada/gerbang.properties";
  Poco::AutoPtr<Poco::Util::LayeredConfiguration> c2(new Poco::Util::LayeredConfiguration);
  EXPECT_THROW(layerConfiguration(*c2, missing), std::runtime_error);
}

}  // namespace
}  // namespace gerbang::app
