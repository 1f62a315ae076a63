// Importing a balikan upload: rows from a RowSource, checked by the Schema and the plugin's
// cross-field hook, handed to a sink. Valid rows are kept; every invalid row reaches the sink
// with its reasons, never silently dropped.
#pragma once

#include "core/balikan/row.hpp"
#include "core/balikan/schema.hpp"
#include "core/common/result.hpp"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace gerbang::balikan {

struct ImportSummary {
  std::uint64_t rowsRead = 0;  // data rows with at least one non-empty cell
  std::uint64_t valid = 0;
  std::uint64_t invalid = 0;
  std::uint64_t blank = 0;  // rows whose cells are all empty (Excel pads ranges): skipped
  std::vector<std::string> missingOptional;  // optional fields the file has no column for
};

// Where import results go. Called in row order from the importing thread.
class ImportSink {
 public:
  virtual ~ImportSink() = default;
  virtual void onValid(const Record& record) = 0;
  // Every reason for one invalid row (at least one).
  virtual void onInvalid(std::uint64_t row, const std::vector<RowError>& errors) = 0;
};

// Reads `source` to the end, validating each non-blank data row with `schema`, then `hook`
// (when set) on rows the schema accepted. Returns the summary, or:
//  - "balikan_header_invalid" when the header does not match the schema (nothing imported);
//  - "balikan_file_invalid" when the file is broken or over a limit; rows before the break
//    have reached the sink, and the caller refuses the whole upload.
// Never throws (a throwing sink aside).
Result<ImportSummary> importRows(RowSource& source, const Schema& schema, ImportSink& sink,
                                 const CrossFieldHook& hook = {});

// Writes the row-level error report as CSV (UTF-8 with BOM, so Excel opens it as UTF-8):
// header "baris<sep>kolom<sep>alasan", one line per error. The reasons carry no cell values,
// so the report holds no personal data. ';' is the default separator because Excel in the
// Indonesian locale opens such files into columns.
class ErrorReportWriter {
 public:
  explicit ErrorReportWriter(std::ostream& out, char separator = ';');
  void write(const RowError& error);
  std::uint64_t lines() const { return lines_; }

 private:
  std::ostream& out_;
  char sep_;
  std::uint64_t lines_ = 0;
  std::string line_;
};

// A sink that keeps valid records in memory and writes errors to an ErrorReportWriter (or
// keeps them, when none is given). For forms and uploads of bounded size; a 10M-row import
// uses its own sink that streams records onward.
class CollectingSink final : public ImportSink {
 public:
  explicit CollectingSink(ErrorReportWriter* report = nullptr) : report_(report) {}
  void onValid(const Record& record) override { records.push_back(record); }
  void onInvalid(std::uint64_t row, const std::vector<RowError>& errs) override;

  std::vector<Record> records;
  std::vector<RowError> errors;  // only when no report writer was given

 private:
  ErrorReportWriter* report_;
};

// Appends `value` to `out` as one CSV field: quoted when it contains the separator, a quote,
// CR or LF, or leading/trailing spaces; quotes doubled.
void appendCsvField(std::string& out, std::string_view value, char separator);

}  // namespace gerbang::balikan
