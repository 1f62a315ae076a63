// Streaming XLSX reader for balikan uploads (Office Open XML spreadsheets, Excel 2007+).
//
// Reads the zip with Poco::Zip and each XML part with Poco's SAX parser, so a sheet is never
// held in memory: workbook.xml names the sheets (the first, or the one asked for), the
// workbook's relationships locate the sheet part, sharedStrings.xml and styles.xml are read
// first. Cells: shared strings, inline strings (rich text runs joined, phonetic runs left
// out), numbers (kNumber, as stored), booleans ("TRUE"/"FALSE"), errors (kError), formula
// results, ISO dates (t="d"), and date-styled numbers converted to dd-mm-yyyy (kDate) with
// the 1900 or 1904 date system of the workbook. Missing cells in a row are "". Rows keep the
// sheet's row numbers; the first row present is the header.
//
// Limits stop zip bombs and oversized content before they cost memory: sizes per part and in
// total (declared and counted while inflating), the compression ratio, bytes per cell,
// columns, rows, and the shared-string table.
#pragma once

#include "core/balikan/row.hpp"

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace gerbang::balikan {

struct XlsxOptions {
  std::string sheet;                         // sheet name; empty = the first
  std::uint64_t maxPartBytes = 1ull << 30;   // one part, uncompressed
  std::uint64_t maxTotalBytes = 2ull << 30;  // all parts read, uncompressed
  double maxRatio = 200;                     // inflated / compressed, parts > 1 MiB
  std::size_t maxCellBytes = 32767;          // Excel's own limit per cell
  std::size_t maxColumns = 256;
  std::uint64_t maxRows = 1048576;                    // Excel's own sheet limit
  std::uint64_t maxSharedStringBytes = 256ull << 20;  // the table: text + 16 bytes/entry
  std::uint64_t maxTagGap = 1ull << 20;               // bytes between two '>' in any part
};

class XlsxReader final : public RowSource {
 public:
  // Reads from `in`, which must be seekable (an upload kept in memory, or a file) and outlive
  // the reader.
  explicit XlsxReader(std::istream& in, XlsxOptions options = {});

  // See RowSource::read. Errors (code "balikan_file_invalid") name the part, the row and
  // the cell reference ("lembar \"Data\", sel C5: ..."). Can be called once.
  Status read(RowVisitor& visitor) override;

  // The workbook's sheet names, in order (filled by read()).
  const std::vector<std::string>& sheetNames() const { return sheetNames_; }

 private:
  std::istream& in_;
  XlsxOptions opt_;
  std::vector<std::string> sheetNames_;
};

}  // namespace gerbang::balikan
