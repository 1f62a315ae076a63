// The data-balikan schema of one agreement, compiled for validation.
//
// Rules (docs/balikan.md has the operator's version):
//  - every value is trimmed of surrounding spaces/tabs first; an empty value in a required
//    field is an error, in an optional field it is accepted as "";
//  - string: at most maxLength characters (UTF-8 code points), no control characters other
//    than tab and line breaks, and the whole value matches the pattern when there is one
//    (ECMAScript, compiled once per schema);
//  - integer: an optional '-' and 1..18 digits (no thousands separators);
//  - date: dd-mm-yyyy and a real date, years 1900..2100; dd/mm/yyyy (what Excel in the
//    Indonesian locale writes) is accepted and normalised to dd-mm-yyyy; spreadsheet serial
//    numbers are converted;
//  - enum: one of the values, compared case-insensitively (ASCII) and normalised to the
//    manifest's spelling, because operators type "laki-laki" as often as "LAKI-LAKI";
//  - nik: 16 digits with a known province code, non-zero regency and district, a birth day
//    01-31 or 41-71 (women +40), month 01-12 and a non-zero serial; a NIK that Excel turned
//    into a number is refused (Excel keeps 15 significant digits, so the 16th is lost).
// Error reasons never repeat a cell's value: an error report must not carry personal data.
#pragma once

#include "core/balikan/row.hpp"
#include "core/balikan/simple_pattern.hpp"
#include "core/common/result.hpp"
#include "core/plugin/manifest.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <regex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gerbang::balikan {

// A validation failure of one cell, or of a whole row when `field` is empty. Never holds a
// cell's value.
struct RowError {
  std::uint64_t row = 0;  // 0 = not from a file (online form)
  std::string field;      // schema field name
  std::string label;      // its Indonesian label
  std::string reason;     // Indonesian
  // "baris 12, kolom \"Nomor Register\": tidak sesuai pola ..." (or without the row/column
  // parts when they are unknown).
  std::string message() const;
};

// A record that passed the schema (and the plugin's hook): values in schema field order,
// normalised (trimmed, dates dd-mm-yyyy, enums in the manifest's spelling).
struct Record {
  std::uint64_t row = 0;
  std::vector<std::string> values;
};

// The plugin's cross-field rule (LoadedPlugin::validateBalikan): called with (field name,
// value) pairs in schema order after the schema passed. A non-ok Status makes the row
// invalid with the Status message as the reason.
using CrossFieldHook =
    std::function<Status(const std::vector<std::pair<std::string, std::string>>&)>;

// Which file column feeds which schema field, from a header row.
struct ColumnMap {
  std::vector<int> fieldOfColumn;  // per file column: schema field index
  std::vector<int> columnOfField;  // per schema field: file column, or -1 (optional, absent)
  std::vector<std::string> missingOptional;  // names of optional fields without a column
};

class Schema {
 public:
  // Compiles a policy. Error "balikan_schema_invalid" (detail names the field) when a
  // pattern is not a valid ECMAScript regex, an enum has no values, a name is empty or two
  // fields share a name or label. Never throws. Patterns inside SimplePattern's subset are
  // matched without std::regex unless `fastPatterns` is false (kept for measurements).
  static Result<Schema> compile(const plugin::BalikanPolicy& policy, bool fastPatterns = true);

  const std::vector<plugin::BalikanField>& fields() const { return fields_; }

  // Matches header cells to fields by name or Indonesian label: case-insensitive (ASCII),
  // trimmed, '_' equal to ' ', runs of spaces equal to one. Error "balikan_header_invalid"
  // listing every unknown, duplicate and missing required column (message in Indonesian).
  // Unknown cells are named by position only, never quoted: without a header row, row 1 is
  // a person's record.
  Result<ColumnMap> mapHeader(std::span<const std::string_view> header) const;

  // Checks one value of field `i`. On success writes the normalised value into `out` and
  // returns true; otherwise writes an Indonesian reason (without the value) into `reason`.
  bool checkValue(std::size_t i, std::string_view value, CellKind kind, std::string& out,
                  std::string& reason) const;

  // Validates one mapped row: on success fills `record` (reusing its storage) and returns
  // true; otherwise appends one RowError per bad cell (and for a reader problem) to `errors`.
  // The hook is not called here (see importRows).
  bool validateRow(const RawRow& row, const ColumnMap& map, Record& record,
                   std::vector<RowError>& errors) const;

  // Validates one record given as (field name, value) pairs, e.g. from the online form or
  // JSON. Unknown or repeated names are errors; absent optional fields are "". Calls the
  // hook when the schema passes and it is set. Returns true and fills `record`, or false and
  // appends the errors (row 0).
  bool validateFields(const std::vector<std::pair<std::string, std::string>>& fields,
                      const CrossFieldHook& hook, Record& record,
                      std::vector<RowError>& errors) const;

  // (name, value) pairs of a record in schema order, as the plugin hook and the delivery
  // payload want them.
  std::vector<std::pair<std::string, std::string>> pairs(const Record& record) const;

 private:
  std::vector<plugin::BalikanField> fields_;
  std::vector<std::shared_ptr<const std::regex>> patterns_;  // per field, null = none
  std::vector<std::optional<SimplePattern>> fast_;           // per field, when it applies
  std::vector<std::string> headerKeys_;                      // normalised name, label pairs
};

// Normalises a header cell for matching (trim, ASCII lower case, '_' → ' ', collapse spaces).
std::string headerKey(std::string_view s);

// Basic NIK format check (see the file comment). Returns an empty string when `nik` is
// acceptable, else the Indonesian reason. Never includes the NIK.
std::string nikProblem(std::string_view nik);

// A spreadsheet date serial converted to dd-mm-yyyy: the 1900 system (serial 1 = 01-01-1900,
// with Lotus's phantom 29-02-1900 at serial 60, which is refused) or, when `date1904`, the
// 1904 system (serial 0 = 01-01-1904). The fraction (time of day) is ignored. nullopt for
// serials outside 01-01-1900..31-12-9999 or not a number.
std::optional<std::string> serialToDmy(std::string_view serial, bool date1904 = false);

}  // namespace gerbang::balikan
