// A RowVisitor that copies every row, for reader tests.
#pragma once

#include "core/balikan/row.hpp"

#include <string>
#include <vector>

namespace gerbang::balikan::test {

struct CollectedRow {
  std::uint64_t number = 0;
  std::vector<std::string> cells;
  std::vector<CellKind> kinds;
  std::string problem;
  int problemCell = -1;
};

class RowCollector final : public RowVisitor {
 public:
  bool onHeader(const RawRow& r) override {
    rows.push_back(copy(r));
    return true;
  }
  bool onRow(const RawRow& r) override {
    rows.push_back(copy(r));
    return stopAfter == 0 || rows.size() < stopAfter;
  }
  std::vector<std::vector<std::string>> cells() const {
    std::vector<std::vector<std::string>> out;
    for (const auto& r : rows) out.push_back(r.cells);
    return out;
  }

  std::vector<CollectedRow> rows;
  std::size_t stopAfter = 0;

 private:
  static CollectedRow copy(const RawRow& r) {
    CollectedRow c;
    c.number = r.number;
    for (auto v : r.cells) c.cells.emplace_back(v);
    for (std::size_t i = 0; i < r.cells.size(); ++i) c.kinds.push_back(r.kind(i));
    c.problem = r.problem;
    c.problemCell = r.problemCell;
    return c;
  }
};

}  // namespace gerbang::balikan::test
