#include "core/balikan/schema.hpp"

#include "tests/balikan/test_schemas.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gerbang::balikan {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kNik[] = "3313015708950007";  // synthetic: Karanganyar, woman born 17-08-1995

Schema allTypes() {
  auto s = Schema::compile(test::allTypesPolicy());
  EXPECT_TRUE(s.ok());
  return std::move(s).value();
}

std::size_t fieldIndex(const Schema& s, std::string_view name) {
  for (std::size_t i = 0; i < s.fields().size(); ++i) {
    if (s.fields()[i].name == name) return i;
  }
  ADD_FAILURE() << "no field " << name;
  return 0;
}

struct Case {
  const char* field;
  const char* value;
  CellKind kind;
  bool ok;
  const char* expect;  // normalised value when ok, a substring of the reason otherwise
};

class ValueTest : public ::testing::TestWithParam<Case> {};

TEST_P(ValueTest, AcceptsOrRejectsWithReason) {
  const Case& c = GetParam();
  Schema s = allTypes();
  std::string out, reason;
  bool ok = s.checkValue(fieldIndex(s, c.field), c.value, c.kind, out, reason);
  EXPECT_EQ(ok, c.ok) << c.field << "=" << c.value << " reason: " << reason;
  if (c.ok) {
    EXPECT_EQ(out, c.expect);
  } else {
    EXPECT_THAT(reason, HasSubstr(c.expect));
    // Reasons never repeat the value (it may be personal data).
    if (std::string_view(c.value).size() > 3) {
      EXPECT_THAT(reason, Not(HasSubstr(c.value)));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    EveryType, ValueTest,
    ::testing::Values(
        // nik
        Case{"nik", "3313015708950007", CellKind::kText, true, "3313015708950007"},
        Case{"nik", " 3313011708950007 ", CellKind::kText, true, "3313011708950007"},
        Case{"nik", "", CellKind::kText, false, "wajib diisi"},
        Case{"nik", "331301570895000", CellKind::kText, false, "16 angka"},
        Case{"nik", "33130157089500071", CellKind::kText, false, "16 angka"},
        Case{"nik", "33130157089500O7", CellKind::kText, false, "16 angka"},
        Case{"nik", "3.31302E+15", CellKind::kText, false, "angka ilmiah"},
        Case{"nik", "9913015708950007", CellKind::kText, false, "kode provinsi"},
        Case{"nik", "3300015708950007", CellKind::kText, false, "kabupaten"},
        Case{"nik", "3313005708950007", CellKind::kText, false, "kecamatan"},
        Case{"nik", "3313013508950007", CellKind::kText, false, "tanggal lahir"},
        Case{"nik", "3313017208950007", CellKind::kText, false, "tanggal lahir"},
        Case{"nik", "3313011713950007", CellKind::kText, false, "bulan lahir"},
        Case{"nik", "3313011708950000", CellKind::kText, false, "nomor urut"},
        Case{"nik", "3313015708950007", CellKind::kNumber, false, "sebagai angka"},
        // string with max length 5 (characters, not bytes)
        Case{"nama_usaha", "Toko", CellKind::kText, true, "Toko"},
        Case{"nama_usaha", "Kopi\xC3\xA9", CellKind::kText, true, "Kopi\xC3\xA9"},
        Case{"nama_usaha", "Warung", CellKind::kText, false, "lebih dari 5 karakter (ada 6)"},
        Case{"nama_usaha", "", CellKind::kText, true, ""},
        Case{"nama_usaha", "a\x01b", CellKind::kText, false, "karakter kendali"},
        Case{"nama_usaha", "a\tb", CellKind::kText, true, "a\tb"},
        // integer
        Case{"jumlah", "42", CellKind::kText, true, "42"},
        Case{"jumlah", "-7", CellKind::kText, true, "-7"},
        Case{"jumlah", "12.0", CellKind::kNumber, true, "12"},
        Case{"jumlah", "1.234", CellKind::kText, false, "bilangan bulat"},
        Case{"jumlah", "12a", CellKind::kText, false, "bilangan bulat"},
        Case{"jumlah", "-", CellKind::kText, false, "bilangan bulat"},
        Case{"jumlah", "1234567890123456789", CellKind::kText, false, "18 angka"},
        Case{"jumlah", "12.5", CellKind::kNumber, false, "bilangan bulat"},
        // date
        Case{"tanggal", "29-02-2024", CellKind::kText, true, "29-02-2024"},
        Case{"tanggal", "17/08/2025", CellKind::kText, true, "17-08-2025"},
        Case{"tanggal", "45658", CellKind::kNumber, true, "01-01-2025"},
        Case{"tanggal", "01-01-2025", CellKind::kDate, true, "01-01-2025"},
        Case{"tanggal", "29-02-2023", CellKind::kText, false, "tidak ada di kalender"},
        Case{"tanggal", "31-04-2025", CellKind::kText, false, "tidak ada di kalender"},
        Case{"tanggal", "01-13-2025", CellKind::kText, false, "tidak ada di kalender"},
        Case{"tanggal", "00-01-2025", CellKind::kText, false, "tidak ada di kalender"},
        Case{"tanggal", "2025-08-17", CellKind::kText, false, "dd-mm-yyyy"},
        Case{"tanggal", "1-8-2025", CellKind::kText, false, "dd-mm-yyyy"},
        Case{"tanggal", "17-08/2025", CellKind::kText, false, "dd-mm-yyyy"},
        Case{"tanggal", "17-08-1899", CellKind::kText, false, "1900-2100"},
        Case{"tanggal", "60", CellKind::kNumber, false, "nomor seri"},
        // enum: case-insensitive, normalised to the manifest's spelling
        Case{"status", "DITERIMA", CellKind::kText, true, "DITERIMA"},
        Case{"status", "ditolak", CellKind::kText, true, "DITOLAK"},
        Case{"status", "DITUNDA", CellKind::kText, false, "pilihan: DITERIMA, DITOLAK"},
        // pattern
        Case{"nomor", "SRT-0001", CellKind::kText, true, "SRT-0001"},
        Case{"nomor", "SRT-001", CellKind::kText, false, "tidak sesuai pola ^SRT-[0-9]{4}$"},
        Case{"nomor", "xSRT-0001", CellKind::kText, false, "tidak sesuai pola"},
        // spreadsheet error values are never data
        Case{"nama_usaha", "#N/A", CellKind::kError, false, "galat Excel"}));

TEST(SerialDate, FollowsExcel1900SystemWithItsLeapYearBug) {
  EXPECT_EQ(serialToDmy("1"), "01-01-1900");
  EXPECT_EQ(serialToDmy("59"), "28-02-1900");
  EXPECT_EQ(serialToDmy("60"), std::nullopt);  // Excel's 29-02-1900 never existed
  EXPECT_EQ(serialToDmy("61"), "01-03-1900");
  EXPECT_EQ(serialToDmy("45886.75"), "17-08-2025");  // time of day ignored
  EXPECT_EQ(serialToDmy("0"), std::nullopt);
  EXPECT_EQ(serialToDmy("-1"), std::nullopt);
  EXPECT_EQ(serialToDmy("abc"), std::nullopt);
  EXPECT_EQ(serialToDmy("0", true), "01-01-1904");
  EXPECT_EQ(serialToDmy("44424", true), "17-08-2025");
}

TEST(SchemaCompile, RefusesBadPatternsEmptyEnumsAndAmbiguousLabels) {
  auto p = test::allTypesPolicy();
  p.fields[5].pattern = "([0-9";
  auto s = Schema::compile(p);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "balikan_schema_invalid");
  EXPECT_THAT(s.error().detail, HasSubstr("nomor"));

  p = test::allTypesPolicy();
  p.fields[4].values.clear();
  EXPECT_FALSE(Schema::compile(p).ok());

  p = test::allTypesPolicy();
  p.fields[1].label = "jumlah pekerja";  // same as field 2's label, modulo case
  EXPECT_FALSE(Schema::compile(p).ok());
}

TEST(SchemaHeader, MatchesNamesAndLabelsLoosely) {
  auto s = Schema::compile(test::karanganyarPolicy()).value();
  std::vector<std::string_view> header = {" NIK ", "Nomor Register Pemohon Kartu AK I",
                                          "JENIS_USAHA", "class  usaha"};
  auto map = s.mapHeader(header);
  ASSERT_TRUE(map.ok()) << map.error().message;
  EXPECT_EQ(map->columnOfField, (std::vector<int>{0, -1, 1, 2, 3}));
  EXPECT_EQ(map->missingOptional, (std::vector<std::string>{"nomor_id_kartu_pencari_kerja"}));
}

TEST(SchemaHeader, ReportsUnknownDuplicateAndMissingColumnsTogether) {
  auto s = Schema::compile(test::karanganyarPolicy()).value();
  std::vector<std::string_view> header = {"NIK", "Nama", "nik", ""};
  auto map = s.mapHeader(header);
  ASSERT_FALSE(map.ok());
  EXPECT_EQ(map.error().code, "balikan_header_invalid");
  const auto& m = map.error().message;
  EXPECT_THAT(m, HasSubstr("kolom ke-2 tidak dikenal"));
  EXPECT_THAT(m, HasSubstr("kolom ke-3 \"nik\" ganda (sudah ada di kolom ke-1)"));
  EXPECT_THAT(m, HasSubstr("Judul yang dikenal: nik, nomor_id_kartu_pencari_kerja,"));
  EXPECT_THAT(m, HasSubstr("kolom ke-4 tidak berjudul"));
  EXPECT_THAT(m, HasSubstr("kolom wajib \"nomor_register\""));
}

TEST(SchemaHeader, AFileWithoutHeaderRowIsNotEchoed) {
  auto s = Schema::compile(test::karanganyarPolicy()).value();
  std::vector<std::string_view> row1 = {"3313015708950007", "AK1-3313-250101-000101"};
  auto map = s.mapHeader(row1);
  ASSERT_FALSE(map.ok());
  EXPECT_THAT(map.error().message, HasSubstr("baris 1 harus berisi judul kolom, bukan data"));
  EXPECT_THAT(map.error().message, Not(HasSubstr("3313015708950007")));
  EXPECT_THAT(map.error().message, Not(HasSubstr("250101")));
}

TEST(SchemaRow, NamesRowColumnLabelAndReason) {
  auto s = Schema::compile(test::karanganyarPolicy()).value();
  std::vector<std::string_view> header = {"nik", "nomor_register", "class_usaha"};
  auto map = s.mapHeader(header).value();
  RawRow row;
  row.number = 12;
  row.cells = {"3313015708950007", "AK1-3313-12-1", "raksasa"};
  Record rec;
  std::vector<RowError> errors;
  EXPECT_FALSE(s.validateRow(row, map, rec, errors));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].message(),
            "baris 12, kolom \"Nomor Register Pemohon Kartu AK I\": tidak sesuai pola "
            "^AK1-3313-[0-9]{6}-[0-9]{6}$");
  EXPECT_EQ(errors[1].field, "class_usaha");
  EXPECT_THAT(errors[1].message(), HasSubstr("bukan salah satu pilihan: mikro, kecil"));

  errors.clear();
  row.cells = {"3313015708950007", "AK1-3313-250101-000123", "Kecil"};
  ASSERT_TRUE(s.validateRow(row, map, rec, errors));
  EXPECT_EQ(rec.row, 12u);
  EXPECT_EQ(rec.values, (std::vector<std::string>{"3313015708950007", "", "AK1-3313-250101-000123",
                                                  "", "kecil"}));
}

TEST(SchemaRow, BadNikIsNamedButNeverEchoed) {
  auto s = Schema::compile(test::karanganyarPolicy()).value();
  std::vector<std::string_view> header = {"nik", "nomor_register"};
  auto map = s.mapHeader(header).value();
  RawRow row;
  row.number = 3;
  row.cells = {"3313011713950007", "AK1-3313-250101-000123"};
  Record rec;
  std::vector<RowError> errors;
  EXPECT_FALSE(s.validateRow(row, map, rec, errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message(),
            "baris 3, kolom \"NIK\": NIK: bulan lahir (angka ke-9 dan ke-10) harus 01-12");
  EXPECT_THAT(errors[0].message(), Not(HasSubstr("3313011713950007")));
}

TEST(SchemaRow, ExtraCellsMustBeEmpty) {
  auto s = Schema::compile(test::karanganyarPolicy()).value();
  std::vector<std::string_view> header = {"nik", "nomor_register"};
  auto map = s.mapHeader(header).value();
  RawRow row;
  row.number = 4;
  row.cells = {kNik, "AK1-3313-250101-000123", "", " "};
  Record rec;
  std::vector<RowError> errors;
  EXPECT_TRUE(s.validateRow(row, map, rec, errors));
  row.cells.back() = "x";
  EXPECT_FALSE(s.validateRow(row, map, rec, errors));
  EXPECT_THAT(errors.at(0).message(), HasSubstr("kolom ke-4 yang tidak berjudul"));
}

TEST(SchemaFields, ValidatesFormRecordsAndCallsTheHookAfterTheSchema) {
  auto s = Schema::compile(test::karanganyarPolicy()).value();
  int calls = 0;
  CrossFieldHook hook = [&](const std::vector<std::pair<std::string, std::string>>& f) {
    ++calls;
    EXPECT_EQ(f.size(), 5u);
    EXPECT_EQ(f[0].first, "nik");
    // A cross-field rule: "besar" businesses need a business type.
    if (f[4].second == "besar" && f[3].second.empty()) {
      return Status(Error{"balikan_invalid", "usaha besar wajib mengisi Jenis Usaha", {}});
    }
    return Status::Ok();
  };
  Record rec;
  std::vector<RowError> errors;
  EXPECT_TRUE(s.validateFields(
      {{"nik", kNik}, {"nomor_register", "AK1-3313-250101-000123"}, {"class_usaha", "MIKRO"}}, hook,
      rec, errors));
  EXPECT_EQ(rec.values[4], "mikro");
  EXPECT_EQ(calls, 1);

  EXPECT_FALSE(s.validateFields(
      {{"nik", kNik}, {"nomor_register", "AK1-3313-250101-000123"}, {"class_usaha", "besar"}}, hook,
      rec, errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message(), "usaha besar wajib mengisi Jenis Usaha");

  // Schema errors stop before the hook; unknown and repeated names are reported.
  errors.clear();
  EXPECT_FALSE(
      s.validateFields({{"nik", "123"}, {"nik", kNik}, {"alamat", "x"}}, hook, rec, errors));
  EXPECT_EQ(calls, 2);
  ASSERT_EQ(errors.size(), 4u);  // repeated nik, unknown alamat, bad nik, missing register
  EXPECT_THAT(errors[0].message(), HasSubstr("diisi lebih dari sekali"));
  EXPECT_THAT(errors[1].message(), HasSubstr("\"alamat\" tidak dikenal"));
  EXPECT_THAT(errors[3].message(), HasSubstr("wajib diisi"));
}

}  // namespace
}  // namespace gerbang::balikan
