#include "core/compliance/nik_format.hpp"
#include "tests/support/support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>

// Every NIK here is synthetic: built from region codes with the serials 99xx, which the
// tests of this project reserve for made-up people.
namespace gerbang::compliance {
namespace {

using Fault = NikFormat::Fault;
const Date kToday(2026, 11, 23);

struct Case {
  const char* nik;
  Fault fault;
  const char* why;
};

TEST(NikFormatTest, TableOfPartsAndBoundaries) {
  const Case cases[] = {
      {"3303011505909901", Fault::kNone, "man born 15-05-1990"},
      {"3303015505909901", Fault::kNone, "woman born 15-05-1990 (day + 40)"},
      {"3303010101009901", Fault::kNone, "day 01, month 01"},
      {"3303013112009901", Fault::kNone, "day 31"},
      {"3303014101009901", Fault::kNone, "day 41 = woman, 1st"},
      {"3303017112009901", Fault::kNone, "day 71 = woman, 31st"},
      {"3303012902009901", Fault::kNone, "29-02-2000 (2000 is a leap year)"},
      {"3303012902049901", Fault::kNone, "29-02-2004"},
      {"3303012311269901", Fault::kNone, "born today"},
      {"3303012411269901", Fault::kNone, "24-11-26 is tomorrow in 2026 but fine in 1926"},
      {"9101011505909901", Fault::kNone, "91 Papua, kept by NIKs issued before 2022"},
      {"9601011505909901", Fault::kNone, "96 Papua Barat Daya"},
      {"3303011505909999", Fault::kNone, "serial 9999"},
      {"3399991505909901", Fault::kNone, "regency/district 99 (not in wilayah: still accepted)"},
      {"3303991505909901", Fault::kNone, "district 99 (codes change; a NIK keeps its origin)"},
      {"3303011505900001", Fault::kNone, "serial 0001"},
      {"", Fault::kLength, "empty"},
      {"330301150590990", Fault::kLength, "15 digits"},
      {"33030115059099011", Fault::kLength, "17 digits"},
      {"3303011505909 01", Fault::kNotDigits, "space"},
      {"33030115059099O1", Fault::kNotDigits, "letter O"},
      {"-303011505909901", Fault::kNotDigits, "sign"},
      {"0003011505909901", Fault::kProvince, "00"},
      {"1003011505909901", Fault::kProvince, "10"},
      {"2003011505909901", Fault::kProvince, "20"},
      {"2203011505909901", Fault::kProvince, "22"},
      {"3703011505909901", Fault::kProvince, "37"},
      {"9003011505909901", Fault::kProvince, "90"},
      {"9703011505909901", Fault::kProvince, "97"},
      {"9903011505909901", Fault::kProvince, "99"},
      {"3300011505909901", Fault::kRegency, "regency 00"},
      {"3303001505909901", Fault::kDistrict, "district 00"},
      {"3303010005909901", Fault::kBirthDay, "day 00"},
      {"3303013205909901", Fault::kBirthDay, "day 32"},
      {"3303014005909901", Fault::kBirthDay, "day 40"},
      {"3303017205909901", Fault::kBirthDay, "day 72"},
      {"3303019905909901", Fault::kBirthDay, "day 99"},
      {"3303011500909901", Fault::kBirthMonth, "month 00"},
      {"3303011513909901", Fault::kBirthMonth, "month 13"},
      {"3303013102909901", Fault::kBirthDate, "31 February"},
      {"3303013104909901", Fault::kBirthDate, "31 April"},
      {"3303017104909901", Fault::kBirthDate, "woman, 31 April"},
      {"3303012902019901", Fault::kBirthDate, "29-02 in 1901 and 2001, neither leap"},
      {"3303011505900000", Fault::kSerial, "serial 0000"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(NikFormat::validate(c.nik, kToday), c.fault) << c.why;
    EXPECT_EQ(NikFormat::check(c.nik, kToday).ok(), c.fault == Fault::kNone) << c.why;
  }
}

TEST(NikFormatTest, AcceptsEveryOfficialProvinceAndNothingElse) {
  const std::set<int> official{11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33,
                               34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65, 71, 72,
                               73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96};
  ASSERT_EQ(official.size(), 38u);
  for (int p = 0; p < 100; ++p) {
    char nik[17];
    std::snprintf(nik, sizeof nik, "%02d03011505909901", p);
    EXPECT_EQ(NikFormat::isProvince(p), official.count(p) == 1) << p;
    EXPECT_EQ(NikFormat::validate(nik, kToday) == Fault::kNone, official.count(p) == 1) << p;
  }
  EXPECT_FALSE(NikFormat::isProvince(-1));
  EXPECT_FALSE(NikFormat::isProvince(100));
}

// The compiled table must equal the province rows (2-digit codes) of data/wilayah.csv.
TEST(NikFormatTest, ProvinceTableMatchesWilayahCsv) {
  const auto csv = gerbang::testing::sourceDir() / "data" / "wilayah.csv";
  std::ifstream in(csv);
  ASSERT_TRUE(in) << "missing " << csv;
  std::set<int> fromCsv;
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > 3 && std::isdigit(static_cast<unsigned char>(line[0])) &&
        std::isdigit(static_cast<unsigned char>(line[1])) && line[2] == ',')
      fromCsv.insert(std::stoi(line.substr(0, 2)));
  }
  EXPECT_EQ(fromCsv.size(), 38u);
  for (int p = 0; p < 100; ++p) EXPECT_EQ(NikFormat::isProvince(p), fromCsv.count(p) == 1) << p;
}

TEST(NikFormatTest, RefusalUsesRegistryWordsAndNeverEchoesTheNik) {
  const std::string nik = "3303013102909901";
  Status s = NikFormat::check(nik, kToday);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "invalid_nik");
  EXPECT_EQ(s.error().message,
            "Data tidak ditemukan, NIK tidak sesuai format Dukcapil (tanggal lahir bukan "
            "tanggal yang valid)");
  EXPECT_NE(s.error().detail.find("digits 7-12"), std::string::npos);
  for (const std::string& piece : {nik, nik.substr(0, 6), nik.substr(6, 6), nik.substr(12)}) {
    EXPECT_EQ(s.error().message.find(piece), std::string::npos) << piece;
    EXPECT_EQ(s.error().detail.find(piece), std::string::npos) << piece;
  }
  // Every fault names its part in the message.
  for (int f = int(Fault::kLength); f <= int(Fault::kSerial); ++f)
    EXPECT_FALSE(NikFormat::describe(Fault(f)).empty()) << f;
  EXPECT_TRUE(NikFormat::describe(Fault::kNone).empty());
  EXPECT_EQ(NikFormat::check("3300011505909901", kToday).error().message,
            "Data tidak ditemukan, NIK tidak sesuai format Dukcapil (kode kabupaten/kota "
            "tidak boleh 00)");
}

TEST(NikFormatTest, DecodesPartsAndSex) {
  auto man = NikFormat::decode("3303011505909901", kToday);
  ASSERT_TRUE(man.ok());
  EXPECT_EQ(man->province, 33);
  EXPECT_EQ(man->regency, 3);
  EXPECT_EQ(man->district, 1);
  EXPECT_EQ(man->birthDate, Date(1990, 5, 15));
  EXPECT_EQ(man->sex, Sex::kMale);
  EXPECT_EQ(man->serial, 9901);

  auto woman = NikFormat::decode("7371125505059902", kToday);
  ASSERT_TRUE(woman.ok());
  EXPECT_EQ(woman->province, 73);
  EXPECT_EQ(woman->regency, 71);
  EXPECT_EQ(woman->district, 12);
  EXPECT_EQ(woman->birthDate, Date(2005, 5, 15));
  EXPECT_EQ(woman->sex, Sex::kFemale);

  auto bad = NikFormat::decode("3303011505900000", kToday);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "invalid_nik");
}

TEST(NikFormatTest, CenturyIsTheLatestThatIsNotInTheFuture) {
  // Today 2026-11-23.
  EXPECT_EQ(NikFormat::decode("3303012311269901", kToday)->birthDate, Date(2026, 11, 23));
  EXPECT_EQ(NikFormat::decode("3303012411269901", kToday)->birthDate, Date(1926, 11, 24));
  EXPECT_EQ(NikFormat::decode("3303010101309901", kToday)->birthDate, Date(1930, 1, 1));
  EXPECT_EQ(NikFormat::decode("3303010101009901", kToday)->birthDate, Date(2000, 1, 1));
  // 29-02-00: 2000 was a leap year, 1900 was not.
  EXPECT_EQ(NikFormat::decode("3303012902009901", kToday)->birthDate, Date(2000, 2, 29));
  // The same 29-02-00 before 2000-02-29 existed: 1900 has no 29 February, so it is refused.
  EXPECT_EQ(NikFormat::validate("3303012902009901", Date(2000, 2, 28)), Fault::kBirthDate);
  // The clock overload reads the Jakarta day: 2026-11-23T17:00Z is the 24th in Jakarta.
  FixedClock clock(Date(2026, 11, 24).jakartaStart());
  EXPECT_TRUE(NikFormat::check("3303012411269901", clock).ok());
  EXPECT_EQ(NikFormat::decode("3303012411269901", clock.today())->birthDate, Date(2026, 11, 24));
}

}  // namespace
}  // namespace gerbang::compliance
