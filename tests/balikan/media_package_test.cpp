#include "core/balikan/media_package.hpp"

#include "tests/balikan/test_schemas.hpp"
#include "tests/balikan/zip_builder.hpp"
#include "tests/support/support.hpp"

#include <Poco/JSON/Parser.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

namespace gerbang::balikan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<Record> records() {
  return {{2, {"3313015708950007", "", "AK1-3313-250101-000101", "Toko", "mikro"}},
          {3, {"3313011708950003", "", "AK1-3313-250102-000102", "", ""}}};
}

// The entries of a zip file, by name.
std::map<std::string, std::string> unzip(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::map<std::string, std::string> out;
  Poco::Zip::ZipArchive archive(in);
  for (auto it = archive.headerBegin(); it != archive.headerEnd(); ++it) {
    in.clear();
    Poco::Zip::ZipInputStream zin(in, it->second, true);
    std::ostringstream s;
    s << zin.rdbuf();
    out[it->first] = s.str();
  }
  return out;
}

void rezip(const std::filesystem::path& p, const std::map<std::string, std::string>& entries) {
  test::Parts parts(entries.begin(), entries.end());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << test::zipOf(parts);
}

class MediaPackage : public ::testing::Test {
 protected:
  void SetUp() override {
    auto schema = Schema::compile(test::karanganyarPolicy()).value();
    writeMediaPackage(path_, "karanganyar-ak1", schema, records(), clock_);
  }
  testing::TempDir dir_;
  std::filesystem::path path_ = dir_ / "balikan-karanganyar.zip";
  FixedClock clock_{Date(2025, 8, 17)};
};

TEST_F(MediaPackage, HoldsTheFilesAManifestAndSums) {
  auto entries = unzip(path_);
  std::vector<std::string> names;
  for (const auto& [n, b] : entries) names.push_back(n);
  EXPECT_THAT(names, ElementsAre("SHA256SUMS", "balikan.csv", "balikan.xlsx", "manifest.json"));
  auto manifest =
      Poco::JSON::Parser().parse(entries["manifest.json"]).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(manifest->getValue<std::string>("agreement"), "karanganyar-ak1");
  EXPECT_EQ(manifest->getValue<int>("records"), 2);
  EXPECT_EQ(manifest->getValue<std::string>("created"), "2025-08-17T02:00:00Z");  // 09:00 WIB
  EXPECT_EQ(manifest->getArray("files")->size(), 2u);
  EXPECT_THAT(entries["SHA256SUMS"], HasSubstr("  balikan.csv\n"));
  EXPECT_THAT(entries["SHA256SUMS"], HasSubstr("  manifest.json\n"));

  auto check = verifyPackage(path_);
  ASSERT_TRUE(check.ok()) << check.error().message;
  EXPECT_TRUE(check->ok()) << ::testing::PrintToString(check->findings());
  EXPECT_EQ(check->agreement, "karanganyar-ak1");
  EXPECT_EQ(check->records, 2u);
}

TEST_F(MediaPackage, VerifyNamesAnAlteredFile) {
  auto entries = unzip(path_);
  entries["balikan.csv"] += "3313031203850001;;AK1-3313-250106-000106;;\r\n";
  rezip(path_, entries);
  auto check = verifyPackage(path_);
  ASSERT_TRUE(check.ok());
  EXPECT_FALSE(check->ok());
  EXPECT_THAT(check->altered, ElementsAre("balikan.csv"));
  EXPECT_THAT(check->findings(), ElementsAre("berkas balikan.csv diubah (SHA-256 tidak cocok)"));
}

TEST_F(MediaPackage, VerifyNamesMissingAndExtraFiles) {
  auto entries = unzip(path_);
  entries.erase("balikan.xlsx");
  entries["catatan.txt"] = "tambahan";
  rezip(path_, entries);
  auto check = verifyPackage(path_);
  ASSERT_TRUE(check.ok());
  EXPECT_THAT(check->missing, ElementsAre("balikan.xlsx"));
  EXPECT_THAT(check->unlisted, ElementsAre("catatan.txt"));
}

TEST_F(MediaPackage, VerifyCatchesAManifestThatDisagrees) {
  auto entries = unzip(path_);
  // Someone "fixes" the sums after editing the manifest: SHA256SUMS then disagrees with it.
  auto& m = entries["manifest.json"];
  auto at = m.find("\"records\": 2");
  ASSERT_NE(at, std::string::npos) << m;
  m.replace(at, 12, "\"records\": 3");
  rezip(path_, entries);
  auto check = verifyPackage(path_);
  ASSERT_TRUE(check.ok());
  EXPECT_THAT(check->altered, ElementsAre("manifest.json"));
}

TEST(MediaPackageVerify, RefusesWhatIsNotAPackage) {
  testing::TempDir dir;
  auto p = dir / "x.zip";
  std::ofstream(p) << "not a zip";
  auto r = verifyPackage(p);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "package_invalid");
  EXPECT_FALSE(verifyPackage(dir / "absent.zip").ok());
  rezip(p, {{"balikan.csv", "x"}});
  EXPECT_EQ(verifyPackage(p).error().message, "Paket tidak berisi SHA256SUMS");
}

TEST(MediaPackageWrite, RefusesUnsafeNames) {
  std::ostringstream out;
  EXPECT_THROW(writePackage(out, "a", 0, {{"../x.csv", ""}}, TimePoint{}), std::invalid_argument);
  EXPECT_THROW(writePackage(out, "a", 0, {{"SHA256SUMS", ""}}, TimePoint{}), std::invalid_argument);
}

}  // namespace
}  // namespace gerbang::balikan
