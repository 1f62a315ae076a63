// Exports of balikan records in the upload layout, for the Excel/CSV upload method and the
// storage-media hand-over: header row = the schema's field names, one record per row, so an
// exported file can be uploaded again as it is.
//
// Formula injection: a cell that begins with '=', '+', '-', '@', a tab or CR would be read
// as a formula (or a DDE call) when someone opens the file in Excel or LibreOffice, so it is
// written with a leading apostrophe ("'=1+1"), the spreadsheet convention for "this is
// text". Plain numbers such as "-7" are left alone. The apostrophe stays part of the value
// if the file is uploaded again.
#pragma once

#include "core/balikan/schema.hpp"
#include "core/common/clock.hpp"

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace gerbang::balikan {

// `value`, with a leading apostrophe when it would start a formula (see above).
std::string neutraliseFormula(std::string_view value);

// Writes CSV: UTF-8 with BOM (Excel then reads it as UTF-8), CRLF line ends, ';' by default
// (Excel in the Indonesian locale splits on ';'), RFC 4180 quoting. Streams: each add()
// writes one line.
class CsvExportWriter {
 public:
  CsvExportWriter(std::ostream& out, const Schema& schema, char separator = ';');
  void add(const Record& record);
  std::uint64_t rows() const { return rows_; }

 private:
  std::ostream& out_;
  const Schema& schema_;
  char sep_;
  std::string line_;
  std::uint64_t rows_ = 0;
};

// Builds a minimal valid XLSX workbook ([Content_Types].xml, _rels/.rels, xl/workbook.xml,
// xl/_rels/workbook.xml.rels, xl/styles.xml, one sheet with inline strings) in memory and
// zips it with Poco::Zip. Text cells use the Text number format ("@") so that Excel keeps a
// NIK as text if someone edits it; integer fields are numeric cells. Memory: the sheet XML
// (about 70 bytes per cell) is held until finish(); exports are per agreement and period,
// not bulk uploads.
class XlsxExportWriter {
 public:
  explicit XlsxExportWriter(const Schema& schema, std::string sheetName = "Balikan");
  void add(const Record& record);
  // Writes the workbook to `out` (seekable: a file or string stream). Zip entry times are
  // `modified`. Throws std::runtime_error if the stream fails (exports are operator actions,
  // not the request path of a lookup).
  void finish(std::ostream& out, TimePoint modified);
  std::uint64_t rows() const { return rows_; }

 private:
  void addRow(const std::vector<std::string>& values, std::uint64_t number, bool header);
  const Schema& schema_;
  std::string sheetName_;
  std::string sheet_;  // <sheetData> content so far
  std::uint64_t rows_ = 0;
};

// Appends `s` to `out` escaped for XML text or attribute content; characters XML 1.0 cannot
// carry (control characters other than tab, LF, CR) become U+FFFD, CR becomes "&#13;" and
// text shaped like an OOXML escape gets its '_' escaped ("_x005F_").
void appendXmlEscaped(std::string& out, std::string_view s);

// True when `s` starts with an OOXML character escape "_xHHHH_" (ECMA-376 22.9.2.19), which
// spreadsheet producers use for characters XML cannot carry, e.g. "_x000D_" for CR.
bool isOoxmlEscape(std::string_view s);

// Replaces every OOXML escape in `s` by the character it stands for (in place).
void decodeOoxmlEscapes(std::string& s);

}  // namespace gerbang::balikan
