// Fuzzes XlsxReader. The first byte picks the mode:
//   even: the rest is a whole file (zip level: headers, deflate, sizes);
//   odd:  the rest is the sheet XML, wrapped into an otherwise valid workbook, so mutations
//         reach the SAX handlers instead of dying at the zip checksum.
// Any input must end in rows or a clear error, never a crash or unbounded memory.
#include "core/balikan/import.hpp"
#include "core/balikan/xlsx_reader.hpp"
#include "fuzz/balikan/fuzz_schema.hpp"

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>

#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

using namespace gerbang::balikan;

namespace {

std::string wrapSheet(const std::string& sheet) {
  static const char* kRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  const std::pair<std::string, std::string> parts[] = {
      {"xl/workbook.xml",
       std::string("<workbook xmlns:r=\"") + kRel +
           "\"><sheets><sheet name=\"Data\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       std::string("<Relationships><Relationship Id=\"rId1\" Type=\"") + kRel +
           "/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"" +
           kRel +
           "/sharedStrings\" Target=\"sharedStrings.xml\"/><Relationship Id=\"rId3\" "
           "Type=\"" +
           kRel + "/styles\" Target=\"styles.xml\"/></Relationships>"},
      {"xl/sharedStrings.xml",
       "<sst><si><t>NIK</t></si><si><t>nomor_register</t></si><si><t>3313015708950007</t></si>"
       "<si><r><t>AK1-3313-</t></r><r><t>250101-000101</t></r></si><si><t>_x000D_</t></si></sst>"},
      {"xl/styles.xml",
       "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"dd\\-mm\\-yyyy\"/></numFmts>"
       "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/></cellXfs>"
       "</styleSheet>"},
      {"xl/worksheets/sheet1.xml", sheet},
  };
  std::ostringstream out;
  Poco::Zip::Compress zip(out, true);
  for (const auto& [name, body] : parts) {
    std::istringstream in(body);
    zip.addFile(in, Poco::DateTime(2025, 8, 17), Poco::Path(name, Poco::Path::PATH_UNIX),
                Poco::Zip::ZipCommon::CM_STORE);
  }
  zip.close();
  return out.str();
}

struct Check final : ImportSink {
  void onValid(const Record& r) override {
    if (r.values.size() != fuzz::schema().fields().size()) std::abort();
  }
  void onInvalid(std::uint64_t, const std::vector<RowError>& e) override {
    if (e.empty()) std::abort();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string file = (data[0] & 1) ? wrapSheet(rest) : rest;
  std::istringstream in(file);
  XlsxOptions opt;
  opt.maxPartBytes = 4 << 20;
  opt.maxTotalBytes = 8 << 20;
  opt.maxColumns = 64;
  opt.maxRows = 10000;
  XlsxReader reader(in, opt);
  Check sink;
  auto r = importRows(reader, fuzz::schema(), sink);
  if (!r.ok() && r.error().message.empty()) std::abort();
  return 0;
}
