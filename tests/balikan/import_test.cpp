// End-to-end imports of files as Excel (and LibreOffice) write them.
#include "core/balikan/import.hpp"

#include "core/balikan/csv_reader.hpp"
#include "core/balikan/xlsx_reader.hpp"
#include "tests/balikan/test_schemas.hpp"
#include "tests/support/support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace gerbang::balikan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

std::string fixture(const std::string& name) {
  std::ifstream in(testing::sourceDir() / "tests/balikan/data" / name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Outcome {
  Result<ImportSummary> summary = Error{};
  CollectingSink sink;
  std::string report;  // the error report CSV
};

std::unique_ptr<Outcome> importFixture(const std::string& name, const plugin::BalikanPolicy& p) {
  auto out = std::make_unique<Outcome>();
  std::string bytes = fixture(name);
  std::istringstream in(bytes);
  std::ostringstream report;
  ErrorReportWriter writer(report);
  CollectingSink sink(&writer);
  auto schema = Schema::compile(p).value();
  if (name.ends_with(".xlsx")) {
    XlsxReader reader(in);
    out->summary = importRows(reader, schema, sink);
  } else {
    CsvReader reader(in);
    out->summary = importRows(reader, schema, sink);
  }
  out->sink.records = sink.records;
  out->report = report.str();
  return out;
}

// The Karanganyar fixtures hold the same 8 data rows: 4 valid, 1 blank, 3 invalid.
// LibreOffice drops the empty row when it converts, so its workbooks have no blank row.
void expectKaranganyarOutcome(const Outcome& o, std::uint64_t blank = 1) {
  ASSERT_TRUE(o.summary.ok()) << o.summary.error().message;
  EXPECT_EQ(o.summary->rowsRead, 7u);
  EXPECT_EQ(o.summary->valid, 4u);
  EXPECT_EQ(o.summary->invalid, 3u);
  EXPECT_EQ(o.summary->blank, blank);
  ASSERT_EQ(o.sink.records.size(), 4u);
  const auto& r = o.sink.records;
  EXPECT_EQ(r[0].row, 2u);
  EXPECT_EQ(r[0].values[0], "3313015708950007");
  EXPECT_EQ(r[0].values[4], "mikro");  // "Mikro" normalised to the manifest's spelling
  EXPECT_EQ(r[1].values[3], "Bengkel \"Jaya\" Motor");
  EXPECT_THAT(r[2].values[3], ::testing::MatchesRegex("Jasa jahit\r?\ndan bordir"));
  EXPECT_EQ(r[2].values[4], "");
  EXPECT_EQ(r[3].row, 9u);
  EXPECT_EQ(r[3].values[3], "=HYPERLINK(\"http://127.0.0.1/\")");  // kept; neutralised on export
  // Every invalid row is in the report with its row, column label and reason.
  EXPECT_THAT(o.report, HasSubstr("6;NIK;NIK harus 16 angka\r\n"));
  EXPECT_THAT(o.report, HasSubstr("7;Nomor ID Kartu Tanda Pencari Kerja;tidak sesuai pola "
                                  "^3313-[0-9]{4}-[0-9]{6}$\r\n"));
  EXPECT_THAT(o.report, HasSubstr("7;Nomor Register Pemohon Kartu AK I;tidak sesuai pola"));
  EXPECT_THAT(o.report, HasSubstr("7;Class Usaha;bukan salah satu pilihan: mikro, kecil, "
                                  "menengah, besar\r\n"));
  EXPECT_THAT(o.report, HasSubstr("8;Nomor Register Pemohon Kartu AK I;wajib diisi\r\n"));
  // The report never carries the personal data it is about.
  EXPECT_THAT(o.report, Not(HasSubstr("3313015708950")));
}

TEST(ImportFixtures, ExcelIndonesianLocaleCsv) {
  auto o = importFixture("karanganyar_excel_id_semicolon.csv", test::karanganyarPolicy());
  expectKaranganyarOutcome(*o);
  EXPECT_EQ(o->sink.records[0].values[3], "Warung makan; katering");
  EXPECT_THAT(o->report, HasSubstr("8;NIK;\"NIK tertulis sebagai angka ilmiah (Excel); format"));
  EXPECT_TRUE(
      o->report.starts_with("\xEF\xBB\xBF"
                            "baris;kolom;alasan\r\n"));
}

TEST(ImportFixtures, ExcelEnglishLocaleCsv) {
  auto o = importFixture("karanganyar_excel_en_comma.csv", test::karanganyarPolicy());
  expectKaranganyarOutcome(*o);
  EXPECT_EQ(o->sink.records[0].values[3], "Warung makan, katering");
  EXPECT_THAT(o->report, HasSubstr("8;NIK;\"NIK tertulis sebagai angka ilmiah (Excel); format"));
}

TEST(ImportFixtures, LibreOfficeWorkbookWithTextColumns) {
  auto o = importFixture("karanganyar_libreoffice_text.xlsx", test::karanganyarPolicy());
  expectKaranganyarOutcome(*o, 0);
  EXPECT_EQ(o->sink.records[0].values[3], "Warung makan; katering");
}

TEST(ImportFixtures, NiksThatASpreadsheetTurnedIntoNumbersAreRefused) {
  auto o = importFixture("karanganyar_libreoffice_nik_number.xlsx", test::karanganyarPolicy());
  ASSERT_TRUE(o->summary.ok()) << o->summary.error().message;
  // 3313015708950007 is stored as 3313015708950010: no row with a NIK may pass.
  for (const auto& r : o->sink.records) ADD_FAILURE() << "row " << r.row << " accepted";
  EXPECT_THAT(o->report, HasSubstr("2;NIK;\"NIK disimpan sebagai angka oleh Excel"));
  EXPECT_THAT(o->report, Not(HasSubstr("3313015708950010")));
}

TEST(ImportFixtures, DateStyledSerialsAndSlashDates) {
  for (const char* name : {"alltypes_dmy_slash.csv", "alltypes_libreoffice_dates.xlsx"}) {
    SCOPED_TRACE(name);
    auto o = importFixture(name, test::allTypesPolicy());
    ASSERT_TRUE(o->summary.ok()) << o->summary.error().message;
    EXPECT_EQ(o->summary->valid, 2u);
    ASSERT_EQ(o->sink.records.size(), 2u);
    EXPECT_EQ(o->sink.records[0].values[3], "17-08-2025");
    EXPECT_EQ(o->sink.records[1].values[3], "29-02-2024");
    EXPECT_EQ(o->sink.records[1].values[4], "DITOLAK");
    EXPECT_EQ(o->summary->invalid, 1u);
    // LibreOffice leaves the impossible 31/04/2025 as text; both say it is not a date.
    EXPECT_THAT(o->report, HasSubstr("4;Tanggal Penempatan;tanggal tidak ada di kalender"));
  }
}

TEST(Import, HeaderMismatchImportsNothing) {
  std::istringstream in("NIK;Nama Lengkap;Alamat\r\n3313015708950007;x;y\r\n");
  CsvReader reader(in);
  auto schema = Schema::compile(test::karanganyarPolicy()).value();
  CollectingSink sink;
  auto r = importRows(reader, schema, sink);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "balikan_header_invalid");
  EXPECT_THAT(r.error().message, HasSubstr("kolom ke-2 tidak dikenal; kolom ke-3 tidak dikenal"));
  EXPECT_TRUE(sink.records.empty());
  EXPECT_TRUE(sink.errors.empty());
}

TEST(Import, BrokenFileIsAnErrorAfterTheRowsBeforeIt) {
  std::istringstream in(
      "nik;nomor_register\r\n3313015708950007;AK1-3313-250101-000101\r\n\"unterminated\r\n");
  CsvReader reader(in);
  auto schema = Schema::compile(test::karanganyarPolicy()).value();
  CollectingSink sink;
  auto r = importRows(reader, schema, sink);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "balikan_file_invalid");
  EXPECT_THAT(r.error().message, HasSubstr("baris 3"));
  EXPECT_EQ(sink.records.size(), 1u);
}

TEST(Import, PluginHookRunsOnSchemaValidRowsOnly) {
  std::istringstream in(
      "nik;nomor_register;class_usaha;jenis_usaha\r\n"
      "3313015708950007;AK1-3313-250101-000101;besar;\r\n"
      "3313015708950007;AK1-3313-250101-000102;besar;Pabrik\r\n"
      "33;AK1-3313-250101-000103;besar;\r\n");
  CsvReader reader(in);
  auto schema = Schema::compile(test::karanganyarPolicy()).value();
  CollectingSink sink;
  int calls = 0;
  CrossFieldHook hook = [&](const std::vector<std::pair<std::string, std::string>>& f) {
    ++calls;
    if (f[4].second == "besar" && f[3].second.empty()) {
      return Status(Error{"balikan_invalid", "usaha besar wajib mengisi Jenis Usaha", {}});
    }
    return Status::Ok();
  };
  auto r = importRows(reader, schema, sink, hook);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(r->valid, 1u);
  EXPECT_EQ(r->invalid, 2u);
  ASSERT_EQ(sink.errors.size(), 2u);
  EXPECT_EQ(sink.errors[0].message(), "baris 2: usaha besar wajib mengisi Jenis Usaha");
  EXPECT_EQ(sink.errors[1].field, "nik");
}

TEST(Import, InvalidUtf8RowIsReportedNotDropped) {
  std::istringstream in(
      "nik;nomor_register;jenis_usaha\n3313015708950007;AK1-3313-250101-000101;"
      "Caf\xE9\n");
  CsvReader reader(in);
  auto schema = Schema::compile(test::karanganyarPolicy()).value();
  CollectingSink sink;
  auto r = importRows(reader, schema, sink);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->invalid, 1u);
  ASSERT_EQ(sink.errors.size(), 1u);
  EXPECT_THAT(sink.errors[0].message(),
              HasSubstr("baris 2, kolom \"Jenis Usaha\": bukan teks UTF-8 yang sah (byte ke-"));
}

}  // namespace
}  // namespace gerbang::balikan
