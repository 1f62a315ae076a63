// The Registry against real shared objects: good plugins (C++ and plain C) and plugins that
// are broken on purpose (tests/fixtures/plugins/). Each refusal must name the file and the
// reason, and must not stop the good plugins from loading.
#include "core/plugin/loader.hpp"

#include "tests/support/support.hpp"

#include <dlfcn.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace gerbang::plugin {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const fs::path kFixtures = GERBANG_FIXTURE_PLUGIN_DIR;

fs::path fixture(const std::string& dir, const std::string& name) {
  return kFixtures / dir / ("fixture_" + name + ".so");
}

// Copies a plugin into dir with owner-only write permission, whatever the umask.
fs::path copyPlugin(const fs::path& from, const fs::path& dir, const std::string& as) {
  fs::path to = dir / as;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  fs::permissions(to, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                          fs::perms::others_read | fs::perms::others_exec);
  return to;
}

std::vector<std::string> loadedIds(const Registry& r) {
  std::vector<std::string> ids;
  for (const LoadedPlugin* p : r.loaded()) ids.push_back(p->manifest().agencyId);
  std::sort(ids.begin(), ids.end());
  return ids;
}

const std::string kManifestPrefix = "invalid manifest: ";

struct RefusedCase {
  const char* dir;
  const char* name;
  std::string reason;  // expected prefix of Refusal::reason
};

std::vector<RefusedCase> refusedCases() {
  return {
      {"no_entry", "no_entry",
       "no entry symbol gerbang_plugin_entry_v1 (not a Gerbang plugin, or built without "
       "GERBANG_PLUGIN)"},
      {"null_table", "null_table", "entry symbol returned no plugin table"},
      {"abi_major2", "abi_major2", "ABI major version 2 is not the host's 1"},
      {"newer_minor", "newer_minor",
       "ABI 1." + std::to_string(GERBANG_ABI_MINOR + 1) + " is newer than the host's 1." +
           std::to_string(GERBANG_ABI_MINOR)},
      {"short_table", "short_table",
       "plugin table too short (" + std::to_string(offsetof(gerbang_plugin_v1, handle_route)) +
           " bytes; ABI 1.0 needs at least " + std::to_string(GERBANG_PLUGIN_V1_0_SIZE) + ")"},
      {"null_manifest", "null_manifest", "no manifest (manifest_json is NULL)"},
      {"bad_element", "bad_element", kManifestPrefix + "elements[2]: unknown element 'AGAMA'"},
      {"end_before_start", "end_before_start",
       kManifestPrefix + "end: 2024-12-31 is not after start 2025-02-01"},
      {"empty_balikan", "empty_balikan",
       kManifestPrefix + "balikan.fields: must not be empty (the agreement requires data balikan)"},
      {"zero_quota", "zero_quota",
       kManifestPrefix +
           "quota.per_day: must be a positive integer (or null with \"unlimited\": true), not 0"},
      {"malformed_json", "malformed_json",
       kManifestPrefix + "$: not valid JSON (near access_methods[0])"},
      {"init_error", "init_error",
       "init() failed: nomor User ID belum diatur (lihat juknis bagian II)"},
      // The SDK trampoline caught the exception and handed its what() across as the reason.
      {"init_throws", "init_throws", "init() failed: konfigurasi SAM tidak ditemukan"},
  };
}

TEST(RegistryTest, LoadsTheGoodCppAndCPlugins) {
  Registry r;
  r.loadDirectory(kFixtures / "good");
  EXPECT_THAT(loadedIds(r), ElementsAre("fixture-c", "fixture-cpp"));
  EXPECT_TRUE(r.refused().empty());
  const LoadedPlugin* cpp = r.find("fixture-cpp");
  ASSERT_NE(cpp, nullptr);
  EXPECT_EQ(cpp->file(), fixture("good", "good_cpp"));
  EXPECT_EQ(cpp->manifest().quota.perDay, 50);
  EXPECT_EQ(r.find("nobody"), nullptr);
}

TEST(RegistryTest, EachBrokenPluginIsRefusedWithItsReason) {
  for (const RefusedCase& c : refusedCases()) {
    SCOPED_TRACE(c.name);
    Registry r;
    fs::path file = fixture(c.dir, c.name);
    ASSERT_TRUE(fs::exists(file)) << file;
    EXPECT_FALSE(r.loadFile(file));
    EXPECT_TRUE(r.loaded().empty());
    ASSERT_EQ(r.refused().size(), 1u);
    EXPECT_EQ(r.refused()[0].file, file);
    EXPECT_THAT(r.refused()[0].reason, StartsWith(c.reason));
    EXPECT_THAT(r.refused()[0].line(),
                StartsWith("fixture_" + std::string(c.name) + ".so: refused: " + c.reason));
  }
}

TEST(RegistryTest, GoodPluginsStillLoadAlongsideTheBadOnes) {
  testing::TempDir dir;
  std::map<std::string, std::string> expected;  // file name -> reason prefix
  for (const RefusedCase& c : refusedCases()) {
    std::string name = "fixture_" + std::string(c.name) + ".so";
    copyPlugin(fixture(c.dir, c.name), dir.path(), name);
    expected[name] = c.reason;
  }
  copyPlugin(fixture("good", "good_cpp"), dir.path(), "fixture_good_cpp.so");
  copyPlugin(fixture("good", "good_c"), dir.path(), "fixture_good_c.so");
  copyPlugin(fixture("duplicate", "dup_a"), dir.path(), "fixture_dup_a.so");
  copyPlugin(fixture("duplicate", "dup_b"), dir.path(), "fixture_dup_b.so");
  expected["fixture_dup_b.so"] = "agency id 'fixture-dup' is already loaded from fixture_dup_a.so";
  fs::path writable = copyPlugin(fixture("good", "good_cpp"), dir.path(), "zz_writable.so");
  fs::permissions(writable, fs::perms::others_write | fs::perms::group_write,
                  fs::perm_options::add);
  expected["zz_writable.so"] = "group- or world-writable (mode 0777)";
  std::ofstream(dir / "garbage.so") << std::string(2048, 'x');
  expected["garbage.so"] = "does not load: ";
  std::ofstream(dir / "README.txt") << "not a plugin, not looked at";

  Registry r;
  r.loadDirectory(dir.path());
  EXPECT_THAT(loadedIds(r), ElementsAre("fixture-c", "fixture-cpp", "fixture-dup"));
  std::map<std::string, std::string> got;
  for (const Refusal& f : r.refused()) got[f.file.filename().string()] = f.reason;
  ASSERT_EQ(got.size(), expected.size());
  for (const auto& [name, reason] : expected) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(got.count(name));
    EXPECT_THAT(got[name], StartsWith(reason));
  }
}

TEST(RegistryTest, SecondPluginWithTheSameAgencyIdIsRefused) {
  Registry r;
  r.loadDirectory(kFixtures / "duplicate");
  EXPECT_THAT(loadedIds(r), ElementsAre("fixture-dup"));
  EXPECT_EQ(r.find("fixture-dup")->file().filename(), "fixture_dup_a.so");
  ASSERT_EQ(r.refused().size(), 1u);
  EXPECT_EQ(r.refused()[0].line(),
            "fixture_dup_b.so: refused: agency id 'fixture-dup' is already loaded from "
            "fixture_dup_a.so");
}

TEST(RegistryTest, GroupOrWorldWritableFileIsRefused) {
  testing::TempDir dir;
  fs::path file = copyPlugin(fixture("good", "good_cpp"), dir.path(), "jabar.so");
  struct Case {
    fs::perms perms;
    const char* reason;
  };
  const fs::perms rw = fs::perms::owner_read | fs::perms::owner_write;
  const fs::perms r_ = fs::perms::group_read | fs::perms::others_read;
  for (const Case& c :
       {Case{rw | r_ | fs::perms::group_write | fs::perms::others_write,
             "group- or world-writable (mode 0666)"},
        Case{rw | fs::perms::group_write, "group- or world-writable (mode 0620)"},
        Case{rw | fs::perms::others_write, "group- or world-writable (mode 0602)"}}) {
    fs::permissions(file, c.perms);
    Registry r;
    EXPECT_FALSE(r.loadFile(file));
    ASSERT_EQ(r.refused().size(), 1u);
    EXPECT_EQ(r.refused()[0].line(), std::string("jabar.so: refused: ") + c.reason);
  }
  // The same bytes load once only the owner may write them.
  fs::permissions(file, rw | r_);
  Registry r;
  EXPECT_TRUE(r.loadFile(file));
  EXPECT_THAT(loadedIds(r), ElementsAre("fixture-cpp"));
}

TEST(RegistryTest, FilesThatCannotBeLoadedAreRefused) {
  testing::TempDir dir;
  Registry r;
  EXPECT_FALSE(r.loadFile(dir / "missing.so"));
  fs::create_directory(dir / "folder.so");
  r.loadDirectory(dir.path());
  std::ofstream(dir / "text.so") << std::string(4096, '#');
  EXPECT_FALSE(r.loadFile(dir / "text.so"));
  ASSERT_EQ(r.refused().size(), 3u);
  EXPECT_EQ(r.refused()[0].line(),
            "missing.so: refused: cannot be opened (No such file or directory)");
  EXPECT_EQ(r.refused()[1].line(), "folder.so: refused: not a regular file");
  EXPECT_THAT(r.refused()[2].line(), AllOf(StartsWith("text.so: refused: does not load: "),
                                           HasSubstr("ELF"), Not(HasSubstr("/proc/self/fd"))));
}

TEST(RegistryTest, MissingDirectoryIsAStartupError) {
  Registry r;
  EXPECT_THROW(r.loadDirectory(kFixtures / "no-such-directory"), std::runtime_error);
}

TEST(RegistryTest, PluginsStayMappedAfterTheRegistryIsGone) {
  fs::path file = fixture("good", "good_cpp");
  {
    Registry r;
    ASSERT_TRUE(r.loadFile(file));
  }
  // RTLD_NOLOAD only finds an object that is already mapped.
  void* h = ::dlopen(file.c_str(), RTLD_NOW | RTLD_NOLOAD);
  EXPECT_NE(h, nullptr) << "the plugin was unloaded";
  if (h != nullptr) ::dlclose(h);  // drops only the reference this test took
}

class HooksTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    registry_.loadDirectory(kFixtures / "good");
    plugin_ = registry_.find(GetParam());
    ASSERT_NE(plugin_, nullptr);
  }
  Registry registry_;
  const LoadedPlugin* plugin_ = nullptr;
};

TEST_P(HooksTest, BalikanCrossFieldRuleComesFromThePlugin) {
  EXPECT_TRUE(plugin_->validateBalikan({{"nik", "x"}, {"status", "diproses"}}).ok());
  EXPECT_TRUE(
      plugin_->validateBalikan({{"status", "ditempatkan"}, {"perusahaan", "PT Contoh"}}).ok());
  Status s = plugin_->validateBalikan({{"status", "ditempatkan"}, {"perusahaan", ""}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "balikan_invalid");
  EXPECT_THAT(s.error().message, StartsWith("perusahaan: wajib diisi bila status 'ditempatkan'"));
}

TEST_P(HooksTest, RouteAnswersThroughTheHost) {
  gerbang_kv params[] = {{"nomor", "LAY-000777"}};
  gerbang_route_request req{"ringkasan", "GET", "op-7", "operator", params, 1, ""};
  Result<LoadedPlugin::RouteAnswer> a = plugin_->handleRoute(req);
  ASSERT_TRUE(a.ok()) << a.error().detail;
  EXPECT_EQ(a->httpStatus, 200);
  std::string expected = std::string(GetParam()) == "fixture-c"
                             ? R"({"bahasa":"C","dilayani":1})"
                             : R"({"nomor":"LAY-000777","oleh":"op-7","peran":"operator"})";
  EXPECT_EQ(a->body, expected);

  // Only routes the manifest declares, with their declared method, reach the plugin.
  gerbang_route_request undeclared{"hapus", "GET", "op-7", "operator", nullptr, 0, ""};
  Result<LoadedPlugin::RouteAnswer> u = plugin_->handleRoute(undeclared);
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.error().code, "route_not_supported");
  gerbang_route_request wrongMethod{"ringkasan", "DELETE", "op-7", "operator", params, 1, ""};
  ASSERT_FALSE(plugin_->handleRoute(wrongMethod).ok());
  EXPECT_EQ(plugin_->handleRoute(wrongMethod).error().code, "route_not_supported");
}

INSTANTIATE_TEST_SUITE_P(CppAndC, HooksTest, ::testing::Values("fixture-cpp", "fixture-c"),
                         [](const ::testing::TestParamInfo<const char*>& i) {
                           return std::string(i.param) == "fixture-c" ? std::string("C")
                                                                      : std::string("Cpp");
                         });

TEST(RegistryTest, ExceptionsInHooksBecomePluginErrors) {
  Registry r;
  ASSERT_TRUE(r.loadFile(fixture("good", "good_cpp")));
  const LoadedPlugin* p = r.find("fixture-cpp");
  // A plugin's message reaches operators and logs, so NIK-like numbers are removed from it.
  Status leak = p->validateBalikan({{"perusahaan", "bocor"}});
  ASSERT_FALSE(leak.ok());
  EXPECT_EQ(leak.error().message, "perusahaan: milik NIK [redacted]?");
  Status s = p->validateBalikan({{"status", "rusak"}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "plugin_error");
  EXPECT_THAT(s.error().detail, HasSubstr("validator crashed on purpose"));

  gerbang_route_request req{"gagal", "GET", "admin-1", "admin", nullptr, 0, ""};
  Result<LoadedPlugin::RouteAnswer> a = p->handleRoute(req);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, "plugin_error");
  EXPECT_FALSE(a.error().message.empty());
  EXPECT_THAT(a.error().detail, HasSubstr("route failed on purpose"));
}

// Captures what plugins log through the host table.
struct LogSink {
  std::mutex mu;
  std::vector<std::string> lines;
  static void log(void* ctx, gerbang_log_level, const char* message) {
    auto* s = static_cast<LogSink*>(ctx);
    std::lock_guard<std::mutex> lock(s->mu);
    s->lines.emplace_back(message);
  }
};

TEST(RegistryTest, PluginLogIsTaggedAndRedacted) {
  LogSink sink;
  gerbang_host_v1 host{};
  host.size = sizeof host;
  host.ctx = &sink;
  host.log = &LogSink::log;
  Registry r;
  r.setHostServices(host);
  r.loadDirectory(kFixtures / "good");
  ASSERT_EQ(r.loaded().size(), 2u);
  EXPECT_THAT(sink.lines, ::testing::UnorderedElementsAre(
                              "[fixture-c] plugin C siap",
                              "[fixture-cpp] siap; nomor uji [redacted] tidak boleh tercatat"));
}

TEST(RegistryTest, LookupGoesToTheHostServiceWithTheAgencyId) {
  Registry r;
  ASSERT_TRUE(r.loadFile(fixture("good", "good_cpp")));
  const LoadedPlugin* p = r.find("fixture-cpp");
  gerbang_route_request req{"cek", "POST", "op-3", "operator", nullptr, 0, "3300000000000001"};

  // Until the host offers lookups, the plugin's call is refused and it says so.
  Result<LoadedPlugin::RouteAnswer> before = p->handleRoute(req);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->httpStatus, 503);

  std::vector<std::string> calls;
  r.setLookupService([&](std::string_view agency, const char* op, const char* nik, const char* ref,
                         gerbang_writer* out) {
    calls.push_back(std::string(agency) + "|" + op + "|" + nik + "|" + ref);
    std::string json = R"({"outcome":"data"})";
    out->write(out->ctx, json.data(), json.size());
    return GERBANG_OK;
  });
  Result<LoadedPlugin::RouteAnswer> after = p->handleRoute(req);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->httpStatus, 200);
  EXPECT_EQ(after->body, R"({"outcome":"data"})");
  EXPECT_THAT(calls, ElementsAre("fixture-cpp|op-3|3300000000000001|LAY-000123"));
}

TEST(RedactTest, RemovesEveryRunOfSixteenOrMoreDigits) {
  EXPECT_EQ(redactNiks("a 3300000000000001 b 33000000000000012 c 330000000000000"),
            "a [redacted] b [redacted] c 330000000000000");
  EXPECT_EQ(redactNiks("NIK=3300000000000001,KK=3300000000000002"), "NIK=[redacted],KK=[redacted]");
  EXPECT_EQ(redactNiks(""), "");
}

}  // namespace
}  // namespace gerbang::plugin
