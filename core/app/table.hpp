// Plain-text tables for command output (operators read these in a terminal).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace gerbang::app {

class Table {
 public:
  explicit Table(std::vector<std::string> headers) : rows_{std::move(headers)} {}
  // A row with as many cells as there are headers (missing cells print empty).
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  size_t size() const { return rows_.size() - 1; }
  // Left-aligned columns two spaces apart, a rule under the header. Widths count UTF-8
  // code points, not bytes.
  void print(std::ostream& out) const {
    std::vector<size_t> width(rows_[0].size(), 0);
    for (const auto& r : rows_)
      for (size_t i = 0; i < r.size() && i < width.size(); ++i)
        width[i] = std::max(width[i], columns(r[i]));
    auto line = [&](const std::vector<std::string>& r) {
      std::string s;
      for (size_t i = 0; i < width.size(); ++i) {
        const std::string cell = i < r.size() ? r[i] : "";
        s += cell;
        if (i + 1 < width.size()) s += std::string(width[i] - columns(cell) + 2, ' ');
      }
      s.erase(s.find_last_not_of(' ') + 1);
      out << s << "\n";
    };
    line(rows_[0]);
    std::vector<std::string> rule;
    for (size_t w : width) rule.push_back(std::string(w, '-'));
    line(rule);
    for (size_t i = 1; i < rows_.size(); ++i) line(rows_[i]);
  }

 private:
  static size_t columns(const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s)
      if ((c & 0xC0) != 0x80) ++n;
    return n;
  }
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace gerbang::app
