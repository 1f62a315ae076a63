#include "core/balikan/import.hpp"

#include <optional>
#include <span>

namespace gerbang::balikan {
namespace {

bool blank(const RawRow& row) {
  for (auto c : row.cells) {
    for (char ch : c) {
      if (ch != ' ' && ch != '\t') return false;
    }
  }
  return row.problem.empty();
}

class Importer final : public RowVisitor {
 public:
  Importer(const Schema& schema, ImportSink& sink, const CrossFieldHook& hook)
      : schema_(schema), sink_(sink), hook_(hook) {}

  bool onHeader(const RawRow& header) override {
    if (!header.problem.empty()) {
      headerError_ = Error{"balikan_header_invalid", "baris 1: " + header.problem, {}};
      return false;
    }
    auto map = schema_.mapHeader(std::span<const std::string_view>(header.cells));
    if (!map.ok()) {
      headerError_ = map.error();
      return false;
    }
    map_ = std::move(map).value();
    summary.missingOptional = map_.missingOptional;
    return true;
  }

  bool onRow(const RawRow& row) override {
    if (blank(row)) {
      ++summary.blank;
      return true;
    }
    ++summary.rowsRead;
    errors_.clear();
    bool ok = schema_.validateRow(row, map_, record_, errors_);
    if (ok && hook_) {
      Status st = hook_(schema_.pairs(record_));
      if (!st.ok()) {
        errors_.push_back({row.number, {}, {}, st.error().message});
        ok = false;
      }
    }
    if (ok) {
      ++summary.valid;
      sink_.onValid(record_);
    } else {
      ++summary.invalid;
      sink_.onInvalid(row.number, errors_);
    }
    return true;
  }

  ImportSummary summary;
  std::optional<Error> headerError_;

 private:
  const Schema& schema_;
  ImportSink& sink_;
  const CrossFieldHook& hook_;
  ColumnMap map_;
  Record record_;
  std::vector<RowError> errors_;
};

}  // namespace

Result<ImportSummary> importRows(RowSource& source, const Schema& schema, ImportSink& sink,
                                 const CrossFieldHook& hook) {
  Importer importer(schema, sink, hook);
  Status st = source.read(importer);
  if (importer.headerError_) return *importer.headerError_;
  if (!st.ok()) return st.error();
  return importer.summary;
}

void appendCsvField(std::string& out, std::string_view value, char separator) {
  bool quote = !value.empty() && (value.front() == ' ' || value.back() == ' ');
  for (char c : value) {
    if (c == separator || c == '"' || c == '\n' || c == '\r') {
      quote = true;
      break;
    }
  }
  if (!quote) {
    out.append(value);
    return;
  }
  out += '"';
  for (char c : value) {
    out += c;
    if (c == '"') out += '"';
  }
  out += '"';
}

ErrorReportWriter::ErrorReportWriter(std::ostream& out, char separator)
    : out_(out), sep_(separator) {
  out_ << "\xEF\xBB\xBF"
       << "baris" << sep_ << "kolom" << sep_ << "alasan\r\n";
}

void ErrorReportWriter::write(const RowError& e) {
  line_.clear();
  line_ += e.row > 0 ? std::to_string(e.row) : std::string();
  line_ += sep_;
  appendCsvField(line_, e.label.empty() ? e.field : e.label, sep_);
  line_ += sep_;
  appendCsvField(line_, e.reason, sep_);
  line_ += "\r\n";
  out_ << line_;
  ++lines_;
}

void CollectingSink::onInvalid(std::uint64_t, const std::vector<RowError>& errs) {
  for (const auto& e : errs) {
    if (report_ != nullptr) {
      report_->write(e);
    } else {
      errors.push_back(e);
    }
  }
}

}  // namespace gerbang::balikan
