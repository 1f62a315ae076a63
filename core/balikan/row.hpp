// The row stream shared by every balikan input (CSV, XLSX): readers turn a file into raw
// rows; the Schema turns raw rows into records. A reader knows nothing of the schema.
#pragma once

#include "core/common/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gerbang::balikan {

// How a cell was stored in its file. CSV cells are always kText.
enum class CellKind : std::uint8_t {
  kText,     // a string as typed
  kNumber,   // a spreadsheet number, in its stored decimal form ("12", "1.5", "3.2E+15")
  kDate,     // a date-styled spreadsheet number, already converted to "dd-mm-yyyy"
  kBoolean,  // "TRUE" / "FALSE"
  kError,    // a spreadsheet error value such as "#N/A"
};

// One row as read from an upload, before any schema check.
//
// Views in `cells` are valid only during the RowVisitor call that receives the row.
struct RawRow {
  // The row number a spreadsheet shows: the header is row 1. For CSV this counts records,
  // so a quoted field spanning two lines still makes one row.
  std::uint64_t number = 0;
  // Byte offset of the row's first byte in the file (CSV); 0 when unknown (XLSX).
  std::uint64_t byteOffset = 0;
  std::vector<std::string_view> cells;  // in file column order; missing XLSX cells are ""
  std::vector<CellKind> kinds;          // empty = every cell kText; else one per cell
  // A problem the reader found in this row that does not stop reading (e.g. invalid UTF-8),
  // in Indonesian and without any cell content. Empty = none. problemCell is the 0-based
  // file column it concerns, or -1 for the whole row.
  std::string problem;
  int problemCell = -1;

  CellKind kind(std::size_t i) const { return kinds.empty() ? CellKind::kText : kinds[i]; }
};

// Receives the rows of one file, in order.
class RowVisitor {
 public:
  virtual ~RowVisitor() = default;
  // Called once with the first row. Return false to stop reading.
  virtual bool onHeader(const RawRow& header) = 0;
  // Called for every later row, blank ones included. Return false to stop reading.
  virtual bool onRow(const RawRow& row) = 0;
};

// A file that can be read as rows.
class RowSource {
 public:
  virtual ~RowSource() = default;
  // Reads the whole input, calling visitor.onHeader once and then onRow per row. Returns ok
  // at end of input or when the visitor stopped; an Error with code "balikan_file_invalid"
  // and an Indonesian message naming the row and byte or cell when the file is structurally
  // broken or exceeds a limit. Rows delivered before the error stay delivered; callers
  // treat the whole upload as refused. Never throws.
  virtual Status read(RowVisitor& visitor) = 0;
};

// The error every reader returns for a broken file.
inline Error fileError(std::string message, std::string detail = {}) {
  return Error{"balikan_file_invalid", std::move(message), std::move(detail)};
}

}  // namespace gerbang::balikan
