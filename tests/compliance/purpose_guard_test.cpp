#include "core/compliance/purpose_guard.hpp"

#include "tests/support/support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace gerbang::compliance {
namespace {

plugin::PurposeReference ak1() {
  return {"Nomor Register Pemohon Kartu AK I", "^AK1-3313-[0-9]{6}-[0-9]{6}$",
          "AK1-3313-202611-000457"};
}

TEST(PurposeGuardTest, WholeReferenceMustMatch) {
  PurposeGuard g(ak1());
  struct Case {
    std::string ref;
    bool ok;
    const char* why;
  } cases[] = {
      {"AK1-3313-202611-000457", true, "the example"},
      {"AK1-3313-202612-999999", true, "another register number"},
      {"", false, "missing"},
      {"   ", false, "blank"},
      {"AK1-3313-202611-00045", false, "one digit short"},
      {"AK1-3313-202611-0004570", false, "one digit long"},
      {"xAK1-3313-202611-000457", false, "prefix garbage"},
      {"AK1-3313-202611-000457 ", false, "trailing space"},
      {"AK1-3313-202611-000457\n", false, "newline (log/audit injection)"},
      {std::string("AK1-3313-202611-00045\0", 22), false, "NUL byte"},
      {"AK1-3303-202611-000457", false, "other regency"},
      {"ak1-3313-202611-000457", false, "case matters"},
  };
  for (const auto& c : cases) {
    Status s = g.check(c.ref);
    EXPECT_EQ(s.ok(), c.ok) << c.why;
    if (!c.ok) {
      EXPECT_EQ(s.error().code, "purpose_invalid") << c.why;
    }
  }
}

TEST(PurposeGuardTest, UnanchoredPatternStillMatchesWhole) {
  PurposeGuard g({"Nomor", "[0-9]{3}", "123"});
  EXPECT_TRUE(g.check("123").ok());
  EXPECT_FALSE(g.check("1234").ok());
  EXPECT_FALSE(g.check("a123").ok());
}

TEST(PurposeGuardTest, LengthCapComesBeforeTheRegex) {
  PurposeGuard g({"Bebas", "^.*$", ""}, 10);
  EXPECT_TRUE(g.check("0123456789").ok());
  Status s = g.check("0123456789A");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("paling banyak 10 karakter"), std::string::npos);
  // The default cap also protects std::regex from a megabyte of input.
  PurposeGuard d({"Bebas", "^(a|b)*$", ""});
  EXPECT_FALSE(d.check(std::string(1 << 20, 'a')).ok());
  EXPECT_TRUE(d.check(std::string(PurposeGuard::kDefaultMaxLength, 'a')).ok());
}

TEST(PurposeGuardTest, MessageNamesWhatIsExpectedButNotWhatWasTyped) {
  PurposeGuard g(ak1());
  const std::string typed = "Budi Contoh 3303011505909901";  // synthetic
  Status s = g.check(typed);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message,
            "Referensi layanan tidak sesuai format: Nomor Register Pemohon Kartu AK I. Contoh: "
            "AK1-3313-202611-000457.");
  EXPECT_EQ(s.error().message.find("Budi"), std::string::npos);
  EXPECT_EQ(s.error().detail.find("3303011505909901"), std::string::npos);
  EXPECT_EQ(g.check("").error().message,
            "Referensi layanan wajib diisi: Nomor Register Pemohon Kartu AK I.");
}

TEST(PurposeGuardTest, BadManifestValuesFailAtStartup) {
  EXPECT_THROW(PurposeGuard({"Nomor", "(", ""}), std::invalid_argument);
  EXPECT_THROW(PurposeGuard({"Nomor", "", ""}), std::invalid_argument);
  EXPECT_THROW(PurposeGuard({"", "[0-9]+", ""}), std::invalid_argument);
  EXPECT_THROW(PurposeGuard({"Nomor", "[0-9]+", "ABC"}), std::invalid_argument);
  EXPECT_THROW(PurposeGuard({"Nomor", std::string(plugin::kMaxPatternLength + 1, 'a'), ""}),
               std::invalid_argument);
  try {
    PurposeGuard({"Nomor", "[0-9", ""});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("does not compile"), std::string::npos);
  }
}

// The shipped plugins' purpose references compile, accept their own examples and refuse a
// reference of another agreement.
TEST(PurposeGuardTest, ShippedAgreementsReferences) {
  std::map<std::string, plugin::PurposeReference> refs;
  for (const char* agency : {"jabar-disnakertrans", "purbalingga-dinnaker", "karanganyar-ak1"}) {
    const auto file = gerbang::testing::sourceDir() / "plugins" / agency / "manifest.json";
    std::ifstream in(file);
    ASSERT_TRUE(in) << file;
    std::stringstream text;
    text << in.rdbuf();
    auto manifest = plugin::parseManifest(text.str());
    ASSERT_TRUE(manifest.ok()) << agency << ": " << manifest.error().detail;
    refs[agency] = manifest->purposeReference;
  }
  for (const auto& [agency, ref] : refs) {
    PurposeGuard g(ref);  // throws if the pattern or the example were bad
    EXPECT_TRUE(g.check(ref.example).ok()) << agency;
    EXPECT_FALSE(g.check("").ok()) << agency;
    for (const auto& [other, otherRef] : refs)
      if (other != agency) {
        EXPECT_FALSE(g.check(otherRef.example).ok()) << agency << " accepted " << other;
      }
  }
}

}  // namespace
}  // namespace gerbang::compliance
