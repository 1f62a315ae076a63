// Fuzzes CsvReader and the schema: any input must end in rows or a clear error, never a
// crash, and the rows must not depend on the read buffer size (records straddling refills).
#include "core/balikan/csv_reader.hpp"
#include "core/balikan/import.hpp"
#include "fuzz/balikan/fuzz_schema.hpp"

#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

using namespace gerbang::balikan;

namespace {

struct Copy final : RowVisitor {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> problems;
  bool onHeader(const RawRow& r) override { return onRow(r); }
  bool onRow(const RawRow& r) override {
    rows.emplace_back(r.cells.begin(), r.cells.end());
    problems.push_back(r.problem);
    return true;
  }
};

struct Discard final : ImportSink {
  void onValid(const Record& r) override {
    if (r.values.size() != fuzz::schema().fields().size()) std::abort();
  }
  void onInvalid(std::uint64_t, const std::vector<RowError>& e) override {
    if (e.empty()) std::abort();  // an invalid row always says why
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  CsvOptions small;
  small.bufferBytes = 1 + (size > 0 ? data[0] % 32 : 0);
  small.maxRecordBytes = 4096;
  CsvOptions big;
  big.maxRecordBytes = 4096;
  big.bufferBytes = 64 * 1024;  // larger than any input the fuzzer makes, small to allocate

  std::istringstream a(text), b(text);
  CsvReader ra(a, small), rb(b, big);
  Copy ca, cb;
  auto sa = ra.read(ca), sb = rb.read(cb);
  if (sa.ok() != sb.ok() || ca.rows != cb.rows || ca.problems != cb.problems) std::abort();
  if (!sa.ok() && (sa.error().code != "balikan_file_invalid" || sa.error().message.empty())) {
    std::abort();
  }

  std::istringstream c(text);
  CsvReader rc(c, small);
  Discard sink;
  auto r = importRows(rc, fuzz::schema(), sink);
  if (r.ok() && r->valid + r->invalid != r->rowsRead) std::abort();
  return 0;
}
