#include "core/balikan/xlsx_reader.hpp"

#include "core/balikan/import.hpp"
#include "tests/balikan/row_collector.hpp"
#include "tests/balikan/test_schemas.hpp"
#include "tests/balikan/zip_builder.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

namespace gerbang::balikan {
namespace {

using ::testing::HasSubstr;
using K = CellKind;
using Rows = std::vector<std::vector<std::string>>;

const std::string kDataSheet =
    "<row r=\"1\" spans=\"1:6\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
    "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c><c r=\"E1\" "
    "t=\"s\"><v>4</v></c>"
    "<c r=\"F1\" t=\"s\"><v>5</v></c></row>"
    "<row r=\"2\" spans=\"1:6\"><c r=\"A2\" s=\"3\" t=\"s\"><v>6</v></c><c r=\"B2\" "
    "t=\"s\"><v>7</v></c>"
    "<c r=\"C2\"><v>12</v></c><c r=\"D2\" s=\"1\"><v>45886</v></c><c r=\"E2\" t=\"s\"><v>8</v></c>"
    "<c r=\"F2\" t=\"s\"><v>9</v></c></row>"
    // row 3 absent; B4 and E4 absent
    "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>3313011708950007</t></is></c>"
    "<c r=\"C4\" s=\"4\"><v>7</v></c><c r=\"D4\" s=\"2\"><v>45658</v></c>"
    "<c r=\"F4\" t=\"str\"><f>CONCAT(\"SRT-\",\"0002\")</f><v>SRT-0002</v></c></row>"
    "<row r=\"5\"><c r=\"A5\" t=\"b\"><v>1</v></c><c r=\"B5\" t=\"e\"><v>#N/A</v></c>"
    "<c r=\"E5\" t=\"d\"><v>2025-08-17T00:00:00</v></c></row>"
    "<row r=\"6\" spans=\"1:6\"/>";

struct Read {
  Status status;
  test::RowCollector rows;
  std::vector<std::string> sheets;
};

Read readXlsx(const std::string& bytes, XlsxOptions opt = {}) {
  std::istringstream in(bytes);
  XlsxReader reader(in, opt);
  Read r;
  r.status = reader.read(r.rows);
  r.sheets = reader.sheetNames();
  return r;
}

std::string workbook(const std::string& sheet = kDataSheet) {
  return test::zipOf(test::excelLikeWorkbook(sheet));
}

std::string replaced(test::Parts parts, const std::string& name, const std::string& body) {
  for (auto& p : parts) {
    if (p.first == name) p.second = body;
  }
  return test::zipOf(parts);
}

TEST(XlsxReader, ReadsTheFirstSheetAsExcelWritesIt) {
  auto r = readXlsx(workbook());
  ASSERT_TRUE(r.status.ok()) << r.status.error().message;
  EXPECT_EQ(r.sheets, (std::vector<std::string>{"Petunjuk", "Data", "Arsip"}));
  // The first sheet in the workbook is "Petunjuk" (instructions).
  EXPECT_EQ(r.rows.cells(), (Rows{{"Isi lembar Data"}}));
}

TEST(XlsxReader, ReadsANamedSheetWithEveryCellKind) {
  XlsxOptions opt;
  opt.sheet = "data";  // sheet names are case-insensitive, as in Excel
  auto r = readXlsx(workbook(), opt);
  ASSERT_TRUE(r.status.ok()) << r.status.error().message;
  ASSERT_EQ(r.rows.rows.size(), 5u);
  EXPECT_EQ(r.rows.cells(),
            (Rows{{"NIK", "Nama Usaha", "Jumlah Pekerja", "Tanggal Penempatan", "Status",
                   "Nomor Sertifikat"},
                  {"3313015708950007", "Toko ", "12", "17-08-2025", "diterima", "SRT-0001"},
                  {"3313011708950007", "", "7", "01-01-2025", "", "SRT-0002"},
                  {"TRUE", "#N/A", "", "", "17-08-2025"},
                  {}}));
  std::vector<std::uint64_t> numbers;
  for (const auto& row : r.rows.rows) numbers.push_back(row.number);
  EXPECT_EQ(numbers, (std::vector<std::uint64_t>{1, 2, 4, 5, 6}));
  EXPECT_EQ(r.rows.rows[1].kinds,
            (std::vector<K>{K::kText, K::kText, K::kNumber, K::kDate, K::kText, K::kText}));
  // Style 165 ("[Red]0.00;\"day\"") is not a date even though its text says "day".
  EXPECT_EQ(r.rows.rows[2].kinds[2], K::kNumber);
  EXPECT_EQ(r.rows.rows[3].kinds,
            (std::vector<K>{K::kBoolean, K::kError, K::kText, K::kText, K::kDate}));
}

TEST(XlsxReader, FeedsTheSameValidationAsCsv) {
  XlsxOptions opt;
  opt.sheet = "Data";
  std::istringstream in(workbook());
  XlsxReader reader(in, opt);
  auto schema = Schema::compile(test::allTypesPolicy()).value();
  CollectingSink sink;
  auto summary = importRows(reader, schema, sink);
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_EQ(summary->rowsRead, 3u);
  EXPECT_EQ(summary->valid, 2u);
  EXPECT_EQ(summary->invalid, 1u);
  EXPECT_EQ(summary->blank, 1u);
  ASSERT_EQ(sink.records.size(), 2u);
  EXPECT_EQ(sink.records[0].values,
            (std::vector<std::string>{"3313015708950007", "Toko", "12", "17-08-2025", "DITERIMA",
                                      "SRT-0001"}));
  EXPECT_EQ(sink.records[1].row, 4u);
  EXPECT_EQ(sink.records[1].values[3], "01-01-2025");
  ASSERT_EQ(sink.errors.size(), 3u);
  EXPECT_EQ(sink.errors[0].message(), "baris 5, kolom \"NIK\": NIK harus 16 angka");
  EXPECT_EQ(sink.errors[1].message(), "baris 5, kolom \"Nama Usaha\": sel berisi galat Excel");
  EXPECT_THAT(sink.errors[2].message(), HasSubstr("baris 5, kolom \"Status\": bukan salah satu"));
}

TEST(XlsxReader, Uses1904DateSystemWhenTheWorkbookSaysSo) {
  auto parts = test::excelLikeWorkbook("<row r=\"1\"><c r=\"A1\" s=\"1\"><v>44424</v></c></row>");
  for (auto& p : parts) {
    if (p.first == "xl/workbook.xml") {
      auto at = p.second.find("<workbookPr ");
      p.second.insert(at + 12, "date1904=\"1\" ");
    }
  }
  XlsxOptions opt;
  opt.sheet = "Data";
  auto r = readXlsx(test::zipOf(parts), opt);
  ASSERT_TRUE(r.status.ok()) << r.status.error().message;
  EXPECT_EQ(r.rows.cells(), (Rows{{"17-08-2025"}}));
}

TEST(XlsxReader, DecodesOoxmlEscapesAsExcelWritesLineBreaks) {
  XlsxOptions opt;
  opt.sheet = "Data";
  auto r = readXlsx(workbook("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Jasa_x000D_\n"
                             "jahit _x005F_x0041_ _xZZZZ_</t></is></c></row>"),
                    opt);
  ASSERT_TRUE(r.status.ok()) << r.status.error().message;
  EXPECT_EQ(r.rows.cells(), (Rows{{"Jasa\r\njahit _x0041_ _xZZZZ_"}}));
}

TEST(XlsxReader, RefusesWhatIsNotAWorkbook) {
  EXPECT_THAT(readXlsx("nik;nama\r\n").status.error().message, HasSubstr("bukan arsip zip"));
  EXPECT_THAT(readXlsx(test::zipOf({{"hello.txt", "hi"}})).status.error().message,
              HasSubstr("bukan buku kerja Excel"));
  XlsxOptions opt;
  opt.sheet = "Tidak Ada";
  EXPECT_EQ(readXlsx(workbook(), opt).status.error().message,
            "Lembar \"Tidak Ada\" tidak ada; lembar yang ada: \"Petunjuk\", \"Data\", \"Arsip\"");
  opt.sheet = "Arsip";
  EXPECT_EQ(readXlsx(workbook(), opt).status.error().message,
            "Lembar \"Arsip\" kosong: tidak ada baris judul");
}

TEST(XlsxReader, RefusesBrokenSheetsSayingWhere) {
  XlsxOptions opt;
  opt.sheet = "Data";
  auto parts = test::excelLikeWorkbook("");
  auto err = [&](const std::string& sheet, XlsxOptions o) {
    auto r = readXlsx(replaced(parts, "xl/worksheets/sheet1.xml",
                               std::string(test::kHead) + "<worksheet " + test::kMain +
                                   "><sheetData>" + sheet + "</sheetData></worksheet>"),
                      o);
    EXPECT_FALSE(r.status.ok());
    return r.status.ok() ? std::string() : r.status.error().message;
  };
  EXPECT_THAT(err("<row r=\"1\"><c r=\"A1\"><v>1</v></row>", opt),
              HasSubstr("bagian xl/worksheets/sheet1.xml bukan XML yang sah"));
  EXPECT_EQ(err("<row r=\"3\"><c><v>1</v></c></row><row r=\"2\"/>", opt),
            "lembar \"Data\": baris 2 muncul setelah baris 3");
  EXPECT_EQ(err("<row r=\"1\"><c r=\"B1\" t=\"s\"><v>99</v></c></row>", opt),
            "lembar \"Data\", sel B1: rujukan ke tabel teks (sharedStrings) tidak sah");
  EXPECT_EQ(err("<row r=\"1\"><c r=\"B1\"><v>1</v></c><c r=\"A1\"><v>1</v></c></row>", opt),
            "lembar \"Data\", sel A1: sel tidak berurutan dalam baris");
  EXPECT_EQ(err("<row r=\"1\"><c r=\"A1\" t=\"zz\"><v>1</v></c></row>", opt),
            "lembar \"Data\", sel A1: jenis sel tidak dikenal");

  XlsxOptions small = opt;
  small.maxCellBytes = 20;
  EXPECT_EQ(err("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\" "
                "t=\"inlineStr\"><is><t>123456789012345678901</t></is></c></row>",
                small),
            "lembar \"Data\", sel A2: isi sel lebih dari 20 byte");
  small = opt;
  small.maxColumns = 3;
  EXPECT_EQ(err("<row r=\"1\"><c r=\"D1\"><v>1</v></c></row>", small),
            "lembar \"Data\", sel D1: lebih dari 3 kolom");
  small = opt;
  small.maxColumns = 2;  // nested cells cannot grow a row past the limit either
  EXPECT_EQ(err("<row r=\"1\"><c r=\"A1\"><c r=\"B1\"><v>1</v></c></c></row>", small),
            "lembar \"Data\", sel B1: lebih dari 2 kolom");
  small = opt;
  small.maxRows = 2;
  EXPECT_EQ(err("<row r=\"1\"/><row r=\"2\"/><row r=\"3\"/>", small),
            "lembar \"Data\": lebih dari 2 baris");
}

TEST(XlsxReader, RefusesZipBombsBeforeInflatingThem) {
  XlsxOptions opt;
  opt.sheet = "Data";
  // 8 MiB of whitespace deflates about 1000 times: far beyond any real spreadsheet.
  std::string bomb = "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>" + std::string(8 << 20, ' ');
  auto r = readXlsx(workbook(bomb), opt);
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.error().message,
            "bagian xl/worksheets/sheet1.xml dipadatkan lebih dari 200 kali (batas terhadap bom "
            "zip)");
  EXPECT_TRUE(r.rows.rows.empty());

  opt.maxRatio = 0;  // ratio check off: the size limits still hold
  opt.maxPartBytes = 1 << 20;
  r = readXlsx(workbook(bomb), opt);
  ASSERT_FALSE(r.status.ok());
  EXPECT_THAT(r.status.error().message, HasSubstr("bagian xl/worksheets/sheet1.xml berukuran 838"));

  opt.maxPartBytes = 1ull << 30;
  opt.maxTotalBytes = 4096;  // every part counts towards the total
  r = readXlsx(workbook(), opt);
  ASSERT_FALSE(r.status.ok());
  EXPECT_THAT(r.status.error().message, HasSubstr("isi berkas lebih dari 4096 byte"));
}

TEST(XlsxReader, RefusesGiganticTagsAndSharedStringTables) {
  XlsxOptions opt;
  opt.sheet = "Data";
  opt.maxTagGap = 1000;
  std::string attr(2000, 'a');
  auto r =
      readXlsx(workbook("<row r=\"1\" x=\"" + attr + "\"><c r=\"A1\"><v>1</v></c></row>"), opt);
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.error().message,
            "bagian xl/worksheets/sheet1.xml: lebih dari 1000 byte tanpa penutup tag XML (isi "
            "tidak wajar)");
  // The same sheet with a short attribute is fine.
  EXPECT_TRUE(
      readXlsx(workbook("<row r=\"1\" x=\"a\"><c r=\"A1\"><v>1</v></c></row>"), opt).status.ok());

  opt = {};
  opt.sheet = "Data";
  opt.maxSharedStringBytes = 250;  // the fixture's table: 104 bytes of text + 10 x 16
  EXPECT_EQ(readXlsx(workbook(), opt).status.error().message,
            "sharedStrings.xml: tabel teks lebih dari 250 byte");
}

TEST(XlsxReader, VisitorCanStopEarly) {
  XlsxOptions opt;
  opt.sheet = "Data";
  std::istringstream in(workbook());
  XlsxReader reader(in, opt);
  test::RowCollector rows;
  rows.stopAfter = 2;
  EXPECT_TRUE(reader.read(rows).ok());
  EXPECT_EQ(rows.rows.size(), 2u);
}

}  // namespace
}  // namespace gerbang::balikan
