// Every agreement's real balikan schema (plugins/*/manifest.json) against files as Excel
// writes them: ';' with BOM and labels (Indonesian locale), ',' without BOM and field names
// (English locale), and XLSX. Valid records must pass; each kind of bad value in each field
// must be refused and named. A new agreement whose schema has a pattern field needs a valid
// example below, or this test fails and says so.
#include "core/balikan/csv_reader.hpp"
#include "core/balikan/export.hpp"
#include "core/balikan/import.hpp"
#include "core/balikan/xlsx_reader.hpp"
#include "core/plugin/manifest.hpp"
#include "tests/support/support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace gerbang::balikan {
namespace {

using Type = plugin::BalikanField::Type;

// Valid values for fields whose pattern cannot be guessed (synthetic register numbers).
const std::map<std::string, std::string> kExamples = {
    {"nomor_id_kartu_pencari_kerja", "3313-2025-000101"},
    {"nomor_register", "AK1-3313-250101-000101"},
    {"nomor_sertifikat_pelatihan", "SRT-3303-2025-00017"},
};

struct Agreement {
  std::string id;
  plugin::BalikanPolicy policy;
};

std::vector<Agreement> agreements() {
  std::vector<Agreement> out;
  auto dir = testing::sourceDir() / "plugins";
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    auto path = e.path() / "manifest.json";
    if (!std::filesystem::exists(path)) continue;
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    auto m = plugin::parseManifest(s.str());
    EXPECT_TRUE(m.ok()) << path << ": " << (m.ok() ? "" : m.error().detail);
    if (m.ok()) out.push_back({m->agencyId, m->balikan});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

std::string validValue(const plugin::BalikanField& f, int variant) {
  switch (f.type) {
    case Type::kNik:
      return variant == 0 ? "3313015708950007" : "3303014512010003";
    case Type::kDate:
      return variant == 0 ? "17-08-2025" : "29/02/2024";
    case Type::kInteger:
      return variant == 0 ? "12" : "0";
    case Type::kEnum:
      return variant == 0 ? f.values.front() : f.values.back();
    case Type::kString:
      break;
  }
  auto it = kExamples.find(f.name);
  if (it != kExamples.end()) return it->second;
  return variant == 0 ? "Pelatihan menjahit; angkatan \"II\"" : "Toko";
}

// Each kind of bad value this field's rules can catch: (value, words the reason contains).
std::vector<std::pair<std::string, std::string>> badValues(const plugin::BalikanField& f) {
  std::vector<std::pair<std::string, std::string>> out;
  if (f.required) out.emplace_back("", "wajib diisi");
  switch (f.type) {
    case Type::kNik:
      out.emplace_back("331301570895000", "16 angka");
      out.emplace_back("33130157089500A7", "16 angka");
      out.emplace_back("3,31302E+15", "angka ilmiah");
      out.emplace_back("9913015708950007", "kode provinsi");
      out.emplace_back("3313011713950007", "bulan lahir");
      break;
    case Type::kDate:
      out.emplace_back("31-02-2025", "kalender");
      out.emplace_back("2025-08-17", "dd-mm-yyyy");
      break;
    case Type::kInteger:
      out.emplace_back("1.200", "bilangan bulat");
      break;
    case Type::kEnum:
      out.emplace_back("tidak-ada", "pilihan");
      break;
    case Type::kString:
      break;
  }
  if (f.maxLength > 0 && f.type == Type::kString) {
    out.emplace_back(std::string(std::size_t(f.maxLength) - 1, 'x') + "\xC3\xA9\xC3\xA9",
                     "lebih dari " + std::to_string(f.maxLength) + " karakter");
  }
  if (!f.pattern.empty()) {
    std::string v = validValue(f, 0);
    v[0] = v[0] == 'X' ? 'Y' : 'X';  // same length, so only the pattern can catch it
    out.emplace_back(v, "tidak sesuai pola");
  }
  return out;
}

struct Case {
  std::vector<Record> rows;  // row numbers as the file will have them
  std::map<std::uint64_t, std::pair<std::string, std::string>> bad;  // row -> field, reason
};

Case buildCase(const plugin::BalikanPolicy& p) {
  Case c;
  std::uint64_t row = 2;
  std::vector<std::string> full, minimal;
  for (const auto& f : p.fields) {
    full.push_back(validValue(f, 0));
    minimal.push_back(f.required ? validValue(f, 1) : "");
  }
  c.rows.push_back({row++, full});
  c.rows.push_back({row++, minimal});
  for (std::size_t i = 0; i < p.fields.size(); ++i) {
    for (const auto& [value, reason] : badValues(p.fields[i])) {
      auto values = full;
      values[i] = value;
      c.bad[row] = {p.fields[i].name, reason};
      c.rows.push_back({row++, values});
    }
  }
  return c;
}

// The file as Excel's "CSV UTF-8" writes it: BOM, CRLF, quoting only where needed.
std::string csvOf(const plugin::BalikanPolicy& p, const Case& c, char sep, bool bom, bool labels) {
  std::string out = bom ? "\xEF\xBB\xBF" : "";
  for (std::size_t i = 0; i < p.fields.size(); ++i) {
    if (i) out += sep;
    appendCsvField(out, labels ? p.fields[i].label : p.fields[i].name, sep);
  }
  out += "\r\n";
  for (const auto& r : c.rows) {
    for (std::size_t i = 0; i < r.values.size(); ++i) {
      if (i) out += sep;
      appendCsvField(out, r.values[i], sep);
    }
    out += "\r\n";
  }
  return out;
}

void expectOutcome(const std::string& what, RowSource& source, const Schema& schema,
                   const Case& c) {
  SCOPED_TRACE(what);
  CollectingSink sink;
  auto r = importRows(source, schema, sink);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->valid, 2u);
  EXPECT_EQ(r->invalid, c.bad.size());
  ASSERT_EQ(sink.records.size(), 2u);
  EXPECT_EQ(sink.records[0].row, 2u);
  EXPECT_EQ(sink.records[1].row, 3u);
  std::map<std::uint64_t, std::vector<RowError>> byRow;
  for (const auto& e : sink.errors) byRow[e.row].push_back(e);
  for (const auto& [row, expect] : c.bad) {
    auto it = byRow.find(row);
    if (it == byRow.end()) {
      ADD_FAILURE() << "row " << row << " (" << expect.first << ": " << expect.second
                    << ") was accepted";
      continue;
    }
    bool named = false;
    for (const auto& e : it->second) {
      named =
          named || (e.field == expect.first && e.reason.find(expect.second) != std::string::npos);
    }
    EXPECT_TRUE(named) << "row " << row << " expected " << expect.first << ": " << expect.second
                       << ", got " << it->second.front().message();
  }
}

TEST(AgreementSchemas, EveryManifestSchemaCompilesWithFastPatterns) {
  auto all = agreements();
  ASSERT_GE(all.size(), 3u);
  for (const auto& a : all) {
    auto s = Schema::compile(a.policy);
    ASSERT_TRUE(s.ok()) << a.id << ": " << s.error().detail;
    for (const auto& f : a.policy.fields) {
      if (f.pattern.empty()) continue;
      EXPECT_TRUE(SimplePattern::compile(f.pattern).has_value())
          << a.id << "." << f.name << " falls back to std::regex (slower imports)";
      EXPECT_TRUE(kExamples.count(f.name)) << a.id << "." << f.name << " needs a valid example";
    }
  }
}

TEST(AgreementSchemas, AcceptValidAndRefuseEachKindOfBadRecordInEveryFileFormat) {
  for (const auto& a : agreements()) {
    SCOPED_TRACE(a.id);
    auto schema = Schema::compile(a.policy).value();
    Case c = buildCase(a.policy);
    ASSERT_GT(c.bad.size(), a.policy.fields.size() / 2);

    std::istringstream id(csvOf(a.policy, c, ';', true, true));
    CsvReader idReader(id);
    expectOutcome("Excel CSV UTF-8, Indonesian locale", idReader, schema, c);

    std::istringstream en(csvOf(a.policy, c, ',', false, false));
    CsvReader enReader(en);
    expectOutcome("Excel CSV, English locale", enReader, schema, c);

    XlsxExportWriter w(schema);
    for (const auto& r : c.rows) w.add(r);
    std::ostringstream xlsx;
    w.finish(xlsx, FixedClock(Date(2025, 8, 17)).now());
    std::istringstream xin(xlsx.str());
    XlsxReader xReader(xin);
    expectOutcome("XLSX", xReader, schema, c);
  }
}

}  // namespace
}  // namespace gerbang::balikan
