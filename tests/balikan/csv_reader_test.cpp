#include "core/balikan/csv_reader.hpp"

#include "tests/balikan/row_collector.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

namespace gerbang::balikan {
namespace {

using ::testing::HasSubstr;
using Rows = std::vector<std::vector<std::string>>;

struct Read {
  Status status;
  test::RowCollector rows;
  char separator = 0;
};

Read readCsv(const std::string& text, CsvOptions opt = {}) {
  std::istringstream in(text);
  CsvReader reader(in, opt);
  Read r;
  r.status = reader.read(r.rows);
  r.separator = reader.separator();
  return r;
}

TEST(CsvReader, ReadsCommaSeparatedLf) {
  auto r = readCsv("nik,nomor\n1,a\n2,b\n");
  ASSERT_TRUE(r.status.ok()) << r.status.error().message;
  EXPECT_EQ(r.separator, ',');
  EXPECT_EQ(r.rows.cells(), (Rows{{"nik", "nomor"}, {"1", "a"}, {"2", "b"}}));
  EXPECT_EQ(r.rows.rows[2].number, 3u);
}

TEST(CsvReader, ReadsExcelIndonesianLocaleSemicolonBomCrlf) {
  auto r = readCsv("\xEF\xBB\xBFnik;jenis usaha\r\n1;Toko, Kelontong\r\n2;\r\n");
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.separator, ';');
  EXPECT_EQ(r.rows.cells(), (Rows{{"nik", "jenis usaha"}, {"1", "Toko, Kelontong"}, {"2", ""}}));
}

TEST(CsvReader, HandlesRfc4180Quoting) {
  auto r = readCsv(
      "a;b;c\r\n"
      "\"x;y\";\"say \"\"hi\"\"\";\"two\r\nlines\"\r\n"
      "\"\";plain;\"\"\"\"\r\n");
  ASSERT_TRUE(r.status.ok()) << r.status.error().message;
  EXPECT_EQ(r.rows.cells(),
            (Rows{{"a", "b", "c"}, {"x;y", "say \"hi\"", "two\r\nlines"}, {"", "plain", "\""}}));
  EXPECT_EQ(r.rows.rows[2].number, 3u);  // a record, not a physical line
}

TEST(CsvReader, LineEndingsAndEdges) {
  EXPECT_EQ(readCsv("a,b\r1,2\r3,4").rows.cells(), (Rows{{"a", "b"}, {"1", "2"}, {"3", "4"}}));
  EXPECT_EQ(readCsv("a,b\n1,").rows.cells(), (Rows{{"a", "b"}, {"1", ""}}));
  EXPECT_EQ(readCsv("a,b\n\n1,2\n").rows.cells(), (Rows{{"a", "b"}, {""}, {"1", "2"}}));
  EXPECT_EQ(readCsv("a\r\n\r\nb\r\n").rows.cells(), (Rows{{"a"}, {""}, {"b"}}));
  EXPECT_EQ(readCsv("a;b,c\n").rows.cells(), (Rows{{"a;b", "c"}}));  // a tie means ','
  EXPECT_EQ(readCsv("a;b;c,d\n").rows.cells(), (Rows{{"a", "b", "c,d"}}));
  CsvOptions semi;
  semi.separator = ';';
  EXPECT_EQ(readCsv("a,b\n1,2\n", semi).rows.cells(), (Rows{{"a,b"}, {"1,2"}}));
}

// Every buffer size must give the same rows: records straddle refills at every position.
TEST(CsvReader, SameRowsWhateverTheBufferSize) {
  const std::string text =
      "\xEF\xBB\xBF"
      "nik;\"ket\"\r\n\"a\"\"b\";\"x\r\ny\"\r\n\r\nlast;\"q\"\"\"\r\nend;";
  auto expected = readCsv(text).rows.cells();
  ASSERT_EQ(expected,
            (Rows{{"nik", "ket"}, {"a\"b", "x\r\ny"}, {""}, {"last", "q\""}, {"end", ""}}));
  for (std::size_t size = 1; size <= text.size() + 1; ++size) {
    CsvOptions opt;
    opt.bufferBytes = size;
    auto r = readCsv(text, opt);
    ASSERT_TRUE(r.status.ok()) << "buffer " << size;
    EXPECT_EQ(r.rows.cells(), expected) << "buffer " << size;
  }
}

TEST(CsvReader, InvalidUtf8IsARowProblemWithItsByteOffset) {
  // Windows-1252 "é" (0xE9): what "CSV (Comma delimited)" writes in a Western locale.
  auto r = readCsv("nik,nama\n1,ok\n2,Caf\xE9\n3,ok\n");
  ASSERT_TRUE(r.status.ok());
  ASSERT_EQ(r.rows.rows.size(), 4u);
  EXPECT_EQ(r.rows.rows[2].problem,
            "bukan teks UTF-8 yang sah (byte ke-20 dari awal berkas); simpan berkas sebagai "
            "\"CSV UTF-8\"");
  EXPECT_EQ(r.rows.rows[2].problemCell, 1);
  EXPECT_TRUE(r.rows.rows[3].problem.empty());
}

TEST(CsvReader, RefusesBrokenFilesSayingWhere) {
  auto r = readCsv("a,b\n1,\"open\n2,3\n");
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.error().code, "balikan_file_invalid");
  EXPECT_EQ(r.status.error().message,
            "baris 2 (byte ke-7): tanda kutip dibuka tetapi tidak pernah ditutup");

  r = readCsv("a,b\n\"x\"y,2\n");
  ASSERT_FALSE(r.status.ok());
  EXPECT_THAT(r.status.error().message, HasSubstr("baris 2 (byte ke-8): ada karakter setelah"));

  EXPECT_THAT(readCsv("").status.error().message, HasSubstr("Berkas kosong"));
  EXPECT_THAT(readCsv("\xEF\xBB\xBF").status.error().message, HasSubstr("Berkas kosong"));
  EXPECT_THAT(readCsv("\xFF\xFEn\0i\0k\0").status.error().message, HasSubstr("UTF-16"));
  EXPECT_THAT(readCsv(std::string("PK\x03\x04rest", 8)).status.error().message, HasSubstr("XLSX"));
}

TEST(CsvReader, EnforcesLimits) {
  CsvOptions opt;
  opt.maxColumns = 3;
  auto r = readCsv("a,b,c\n1,2,3,4\n", opt);
  ASSERT_FALSE(r.status.ok());
  EXPECT_THAT(r.status.error().message, HasSubstr("baris 2 (byte ke-13): lebih dari 3 kolom"));

  opt = {};
  opt.maxFieldBytes = 4;
  r = readCsv("a,b\n1,12345\n", opt);
  ASSERT_FALSE(r.status.ok());
  EXPECT_THAT(r.status.error().message, HasSubstr("isian kolom ke-2 lebih dari 4 byte"));

  opt = {};
  opt.maxRecordBytes = 64;
  opt.bufferBytes = 16;
  r = readCsv("a\n\"" + std::string(200, 'x') + "\"\n", opt);
  ASSERT_FALSE(r.status.ok());
  EXPECT_THAT(r.status.error().message, HasSubstr("satu baris lebih dari 64 byte"));
  EXPECT_EQ(r.rows.rows.size(), 1u);
}

TEST(CsvReader, VisitorCanStop) {
  std::istringstream in("h\n1\n2\n3\n");
  CsvReader reader(in);
  test::RowCollector rows;
  rows.stopAfter = 2;
  EXPECT_TRUE(reader.read(rows).ok());
  EXPECT_EQ(rows.rows.size(), 2u);
}

}  // namespace
}  // namespace gerbang::balikan
