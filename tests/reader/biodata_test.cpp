#include "core/reader/biodata.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace gerbang::reader {
namespace {

// A synthetic resident's fields (nobody real).
std::vector<std::string> sampleFields() {
  return {"3303014107950001",
          "JL. CONTOH NO. 1, DUSUN UJI",
          "003",
          "004",
          "KOTA CONTOH",
          "KECAMATAN UJI",
          "DESA SINTETIS",
          "KABUPATEN UJI",
          "PEREMPUAN",
          "O",
          "AGAMA-X",
          "BELUM KAWIN",
          "PELAJAR/MAHASISWA",
          "WARGA CONTOH SATU",
          "01-07-1995",
          "JAWA TENGAH",
          "SEUMUR HIDUP",
          "KABUPATEN UJI",
          "01-07-2019",
          "WNI",
          ""};
}

std::string join(const std::vector<std::string>& f) {
  std::string s;
  for (size_t i = 0; i < f.size(); ++i) s += (i ? ",\"" : "\"") + f[i] + "\"";
  return s;
}

TEST(BiodataTest, ParsesTwentyOneFieldsAndPadding) {
  std::string raw = join(sampleFields()) + std::string(40, '\0') + "\xFF\xFF";
  auto b = parseBiodata(raw);
  ASSERT_TRUE(b) << b.error().detail;
  EXPECT_EQ((*b)[kNik], "3303014107950001");
  EXPECT_EQ((*b)[kAlamat], "JL. CONTOH NO. 1, DUSUN UJI");  // a comma inside quotes is data
  EXPECT_EQ((*b)[kNama], "WARGA CONTOH SATU");
  EXPECT_EQ((*b)[kTanggalLahir], "01-07-1995");
  EXPECT_EQ((*b)[kKewarganegaraan], "WNI");
  EXPECT_EQ((*b)[20], "");
}

struct BadCase {
  const char* name;
  std::string raw;
  const char* where;  // must appear in the detail
};

std::string withField(size_t i, const std::string& v) {
  auto f = sampleFields();
  f[i] = v;
  return join(f);
}

std::vector<BadCase> badCases() {
  std::string good = join(sampleFields());
  auto twenty = sampleFields();
  twenty.pop_back();
  auto extra = sampleFields();
  extra.push_back("X");
  return {
      {"Empty", "", "empty"},
      {"OnlyPadding", std::string(10, '\0'), "only padding"},
      {"NoOpeningQuote", "3303" + good, "field 0 (NIK) at byte 0: expected '\"'"},
      {"TwentyFields", join(twenty), "only 20 fields"},
      {"TwentyTwoFields", join(extra), "more than 21 fields"},
      {"UnclosedLastField", good.substr(0, good.size() - 1), "field 20"},
      {"GarbageAfterLast", good + "X", "unexpected 0x58 after the last field"},
      {"SemicolonSeparator", withField(0, "3303014107950001\";\"x"), "expected ','"},
      {"NonAsciiInName", withField(kNama, "WARGA \xC3\x89"), "field 13 (nama)"},
      {"ControlByte", withField(kAlamat, "JL.\tCONTOH"), "non-printable"},
      {"ShortNik", withField(kNik, "330301410795"), "field 0 (NIK) at byte 1: expected 16 digits"},
      {"LetterInNik", withField(kNik, "33030141079500A1"), "non-digit"},
      {"BadDate", withField(kTanggalLahir, "31-02-1995"), "field 14 (tanggal lahir)"},
      {"IsoDate", withField(kTanggalLahir, "1995-07-01"), "DD-MM-YYYY"},
      {"UnknownSex", withField(kJenisKelamin, "P"), "LAKI-LAKI or PEREMPUAN"},
      {"LongRt", withField(kRt, "0003"), "field 2 (RT)"},
      {"EmptyRw", withField(kRw, ""), "field 3 (RW)"},
      {"TooLong", std::string(kBiodataMaxBytes + 1, '"'), "limit"},
  };
}

class BiodataRejectTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BiodataRejectTest, RejectsSayingWhatAndWhere) {
  auto b = parseBiodata(GetParam().raw);
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code, "biodata_invalid");
  EXPECT_NE(b.error().detail.find(GetParam().where), std::string::npos) << b.error().detail;
  // Never the content: no personal value of the sample appears in the error.
  auto f = sampleFields();
  for (const auto& v : {f[kNik], f[kAlamat], f[kNama], f[kTanggalLahir], f[kTempatLahir]}) {
    EXPECT_EQ(b.error().detail.find(v), std::string::npos) << v;
    EXPECT_EQ(b.error().message.find(v), std::string::npos) << v;
  }
}

INSTANTIATE_TEST_SUITE_P(Table, BiodataRejectTest, ::testing::ValuesIn(badCases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(MinimiseTest, ReleasesOnlyPermittedRegistryElements) {
  auto b = parseBiodata(join(sampleFields()));
  ASSERT_TRUE(b);
  // Purbalingga-like: 8 elements, address parts without codes.
  PermittedFields p{{"NIK", "NAMA_LGKP", "TMPT_LHR", "TGL_LHR", "JENIS_KLMIN", "STATUS_KAWIN",
                     "JENIS_PKRJN", "ALAMAT"},
                    {"ALAMAT", "NO_RT", "NO_RW", "KEC_NAME", "KEL_NAME", "KAB_NAME"}};
  auto m = minimise(*b, p);
  EXPECT_EQ(m.size(), 13u);
  EXPECT_EQ(m.at("NIK"), "3303014107950001");
  EXPECT_EQ(m.at("JENIS_PKRJN"), "PELAJAR/MAHASISWA");
  EXPECT_EQ(m.at("KAB_NAME"), "KABUPATEN UJI");
  for (const auto& [k, v] : m) {
    EXPECT_NE(v, "AGAMA-X") << k;  // agama never leaves
    EXPECT_NE(v, "O") << k;        // golongan darah never leaves
    EXPECT_NE(v, "WNI") << k;
  }
}

TEST(MinimiseTest, AddressPartsNeedAlamatAndTheirOwnPermission) {
  auto b = parseBiodata(join(sampleFields()));
  ASSERT_TRUE(b);
  auto noAlamat = minimise(*b, {{"NIK", "NAMA_LGKP"}, {"NO_RT", "KEC_NAME"}});
  EXPECT_EQ(noAlamat.size(), 2u);
  EXPECT_FALSE(noAlamat.count("NO_RT"));
  auto streetOnly = minimise(*b, {{"NIK", "ALAMAT"}, {}});
  EXPECT_EQ(streetOnly.size(), 2u);
  EXPECT_TRUE(streetOnly.count("ALAMAT"));
  auto partsOnly = minimise(*b, {{"ALAMAT"}, {"NO_RW"}});
  EXPECT_EQ(partsOnly.size(), 1u);
  EXPECT_TRUE(partsOnly.count("NO_RW"));
  // Names that are not registry elements cannot be asked for.
  auto bogus = minimise(*b, {{"AGAMA", "GOL_DARAH", "FOTO"}, {}});
  EXPECT_TRUE(bogus.empty());
}

}  // namespace
}  // namespace gerbang::reader
