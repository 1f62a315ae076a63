#include "core/reader/card_registry_diff.hpp"

#include <gtest/gtest.h>

namespace gerbang::reader {
namespace {

// A synthetic resident (nobody real).
CardRead card() {
  return CardRead{"044B5400000007",
                  "5A4D000100000001",
                  {{"NIK", "3303015203990007"},
                   {"NAMA_LGKP", "WARGA CONTOH DUA"},
                   {"TGL_LHR", "12-03-1999"},
                   {"NO_RT", "003"},
                   {"KEC_NAME", "KECAMATAN UJI"}}};
}

TEST(CardRegistryDiffTest, AgreesAfterNormalisation) {
  std::map<std::string, std::string> registry{
      {"NIK", "3303015203990007"},   {"NAMA_LGKP", " Warga  Contoh Dua "},
      {"TGL_LHR", "1999-03-12"},     {"NO_RT", "3"},
      {"KEC_NAME", "KECAMATAN UJI"}, {"NO_KK", "3303010101200001"}};
  EXPECT_TRUE(compareCardWithRegistry(card(), registry).empty());
}

TEST(CardRegistryDiffTest, ReportsDifferingAndMissingElements) {
  std::map<std::string, std::string> registry{{"NIK", "3303015203990007"},
                                              {"NAMA_LGKP", "WARGA CONTOH TIGA"},
                                              {"TGL_LHR", "13-03-1999"},
                                              {"NO_RT", "004"}};
  auto d = compareCardWithRegistry(card(), registry);
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0].element, "KEC_NAME");
  EXPECT_EQ(d[0].kind, FieldDifference::Kind::kMissingInRegistry);
  EXPECT_EQ(d[1].element, "NAMA_LGKP");
  EXPECT_EQ(d[1].kind, FieldDifference::Kind::kDiffers);
  EXPECT_EQ(d[1].cardValue, "WARGA CONTOH DUA");
  EXPECT_EQ(d[1].registryValue, "WARGA CONTOH TIGA");
  EXPECT_EQ(d[2].element, "NO_RT");
  EXPECT_EQ(d[3].element, "TGL_LHR");
}

}  // namespace
}  // namespace gerbang::reader
