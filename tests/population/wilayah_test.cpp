#include "sim/population/wilayah.hpp"

#include "tests/support/support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

namespace gerbang::sim {
namespace {

using ::testing::HasSubstr;

void write(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p) << text;
}

TEST(Wilayah, LoadsTheProjectFile) {
  Wilayah w = Wilayah::loadDefault();
  EXPECT_EQ(w.size(), 91599u);
  EXPECT_EQ(w.districts().size(), 7285u);
  EXPECT_EQ(*w.name("32"), "Jawa Barat");
  EXPECT_EQ(*w.name("33.03"), "Kabupaten Purbalingga");
  EXPECT_EQ(*w.name("33.13"), "Kabupaten Karanganyar");
  EXPECT_EQ(w.districtsUnder("33.03").size(), 18u);
  EXPECT_EQ(w.districtsUnder("33.13").size(), 17u);
  EXPECT_EQ(w.districtsUnder("32").size(), 627u);
  EXPECT_FALSE(w.villagesOf("33.03.01").empty());
  EXPECT_TRUE(w.villagesOf("99.99.99").empty());
  EXPECT_FALSE(w.name("99").has_value());
  // A quoted name with a comma survives.
  EXPECT_EQ(*w.name("12.07.28.1007"), "Lubuk Pakam I,II");
}

TEST(Wilayah, DottedDistrict) {
  EXPECT_EQ(*Wilayah::dottedDistrict("330301"), "33.03.01");
  EXPECT_FALSE(Wilayah::dottedDistrict("33030").has_value());
  EXPECT_FALSE(Wilayah::dottedDistrict("33030x").has_value());
}

TEST(Wilayah, RejectsGarbageSayingWhereAndWhat) {
  testing::TempDir dir;
  struct Case {
    std::string text, expect;
  } cases[] = {
      {"code,name\n11,Aceh\n", "line 1: expected header"},
      {"kode,nama\n11,Aceh\n11.1,X\n", "line 3: code '11.1' is not of the form"},
      {"kode,nama\n11,Aceh\n11.01,A,B\n", "line 3: expected 2 fields, found 3"},
      {"kode,nama\n11,Aceh\n11.01,\"A\n", "line 3: unbalanced quotes"},
      {"kode,nama\n11,Aceh\n11,Aceh\n", "line 3: code 11 repeats"},
      {"kode,nama\n11.01,A\n", "line 2: code 11.01 appears before its parent 11"},
      {"kode,nama\n11,\n", "line 2: empty name for code 11"},
  };
  for (const auto& c : cases) {
    write(dir / "w.csv", c.text);
    try {
      Wilayah::load(dir / "w.csv");
      ADD_FAILURE() << "accepted: " << c.text;
    } catch (const std::runtime_error& e) {
      EXPECT_THAT(e.what(), HasSubstr(c.expect));
      EXPECT_THAT(e.what(), HasSubstr("w.csv"));
    }
  }
  EXPECT_THROW(Wilayah::load(dir / "missing.csv"), std::runtime_error);
}

}  // namespace
}  // namespace gerbang::sim
