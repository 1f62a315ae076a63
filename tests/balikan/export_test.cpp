#include "core/balikan/export.hpp"

#include "core/balikan/csv_reader.hpp"
#include "core/balikan/import.hpp"
#include "core/balikan/xlsx_reader.hpp"
#include "tests/balikan/test_schemas.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

namespace gerbang::balikan {
namespace {

using ::testing::HasSubstr;

TEST(Neutralise, PrefixesFormulaStartsButNotNumbers) {
  EXPECT_EQ(neutraliseFormula("=1+1"), "'=1+1");
  EXPECT_EQ(neutraliseFormula("+6281"), "'+6281");
  EXPECT_EQ(neutraliseFormula("-"), "'-");
  EXPECT_EQ(neutraliseFormula("-2+3"), "'-2+3");
  EXPECT_EQ(neutraliseFormula("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(neutraliseFormula("\tx"), "'\tx");
  EXPECT_EQ(neutraliseFormula("\rx"), "'\rx");
  EXPECT_EQ(neutraliseFormula("-7"), "-7");
  EXPECT_EQ(neutraliseFormula("-7.5"), "-7.5");
  EXPECT_EQ(neutraliseFormula("Toko"), "Toko");
  EXPECT_EQ(neutraliseFormula(""), "");
}

std::vector<Record> sampleRecords() {
  return {
      {2,
       {"3313015708950007", "3313-2025-000101", "AK1-3313-250101-000101",
        "Toko & Warung <Bu \"Sri\">; katering", "mikro"}},
      {3, {"3313011708950003", "", "AK1-3313-250102-000102", "Kopi \xC3\xA9 dua\r\nbaris", ""}},
      {4, {"3313024501000012", "", "AK1-3313-250103-000103", " spasi di tepi ", "besar"}},
      {5, {"3313024501000013", "", "AK1-3313-250103-000104", "kode _x0041_ tetap", ""}},
  };
}

template <class Reader>
std::vector<Record> importBack(const std::string& bytes, const Schema& schema) {
  std::istringstream in(bytes);
  Reader reader(in);
  CollectingSink sink;
  auto r = importRows(reader, schema, sink);
  EXPECT_TRUE(r.ok()) << r.error().message;
  for (const auto& e : sink.errors) ADD_FAILURE() << e.message();
  return sink.records;
}

void expectSameValues(const std::vector<Record>& got, const std::vector<Record>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    auto expected = want[i].values;
    // Values are trimmed on import.
    if (expected[3] == " spasi di tepi ") expected[3] = "spasi di tepi";
    EXPECT_EQ(got[i].values, expected) << "record " << i;
  }
}

TEST(CsvExport, RoundTripsThroughTheReaderInBothSeparators) {
  auto schema = Schema::compile(test::karanganyarPolicy()).value();
  for (char sep : {';', ','}) {
    std::ostringstream out;
    CsvExportWriter w(out, schema, sep);
    for (const auto& r : sampleRecords()) w.add(r);
    EXPECT_EQ(w.rows(), 4u);
    std::string s = out.str();
    EXPECT_TRUE(s.starts_with("\xEF\xBB\xBFnik" + std::string(1, sep)));
    expectSameValues(importBack<CsvReader>(s, schema), sampleRecords());
  }
}

TEST(CsvExport, NeutralisesFormulaCells) {
  auto schema = Schema::compile(test::karanganyarPolicy()).value();
  std::ostringstream out;
  CsvExportWriter w(out, schema);
  w.add({2, {"3313015708950007", "", "AK1-3313-250101-000101", "=HYPERLINK(\"x\")", ""}});
  EXPECT_THAT(out.str(), HasSubstr(";\"'=HYPERLINK(\"\"x\"\")\";"));
}

TEST(XlsxExport, RoundTripsThroughTheReader) {
  auto schema = Schema::compile(test::karanganyarPolicy()).value();
  XlsxExportWriter w(schema);
  for (const auto& r : sampleRecords()) w.add(r);
  std::ostringstream out;
  w.finish(out, FixedClock(Date(2025, 8, 17)).now());
  expectSameValues(importBack<XlsxReader>(out.str(), schema), sampleRecords());
}

TEST(XlsxExport, IntegersAreNumbersDatesAndFormulasAreText) {
  auto schema = Schema::compile(test::allTypesPolicy()).value();
  XlsxExportWriter w(schema, "Data & Arsip");
  w.add({2, {"3313015708950007", "=1+1", "-42", "17-08-2025", "DITERIMA", "SRT-0001"}});
  std::ostringstream out;
  w.finish(out, FixedClock(Date(2025, 8, 17)).now());
  std::istringstream in(out.str());
  XlsxOptions opt;
  opt.sheet = "Data & Arsip";
  XlsxReader reader(in, opt);
  struct Rows : RowVisitor {
    std::vector<std::string> cells;
    std::vector<CellKind> kinds;
    bool onHeader(const RawRow&) override { return true; }
    bool onRow(const RawRow& r) override {
      for (std::size_t i = 0; i < r.cells.size(); ++i) {
        cells.emplace_back(r.cells[i]);
        kinds.push_back(r.kind(i));
      }
      return true;
    }
  } rows;
  ASSERT_TRUE(reader.read(rows).ok());
  EXPECT_EQ(rows.cells, (std::vector<std::string>{"3313015708950007", "'=1+1", "-42", "17-08-2025",
                                                  "DITERIMA", "SRT-0001"}));
  EXPECT_EQ(rows.kinds[0], CellKind::kText);  // a NIK stays text
  EXPECT_EQ(rows.kinds[2], CellKind::kNumber);
}

}  // namespace
}  // namespace gerbang::balikan
