#include "sim/population/wilayah.hpp"

#include "sim/population/data_dir.hpp"

#include <algorithm>
#include <fstream>
#include <stdexcept>

namespace gerbang::sim {
namespace {

// Splits one CSV line into fields (RFC 4180: quoted fields may hold commas and "" escapes).
// Returns false on an unterminated quote or text after a closing quote.
bool splitCsv(std::string_view line, std::vector<std::string>& out) {
  out.clear();
  std::string cur;
  size_t i = 0;
  while (true) {
    cur.clear();
    if (i < line.size() && line[i] == '"') {
      ++i;
      bool closed = false;
      while (i < line.size()) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            cur += '"';
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        cur += line[i++];
      }
      if (!closed) return false;
      if (i < line.size() && line[i] != ',') return false;
    } else {
      while (i < line.size() && line[i] != ',') cur += line[i++];
    }
    out.push_back(cur);
    if (i >= line.size()) return true;
    ++i;  // the comma
  }
}

bool allDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// 1..4 for the four dotted shapes NN / NN.NN / NN.NN.NN / NN.NN.NN.NNNN, 0 otherwise.
int levelOf(std::string_view code) {
  static constexpr size_t kWidths[] = {2, 2, 2, 4};
  int level = 0;
  size_t pos = 0;
  while (level < 4) {
    size_t w = kWidths[level];
    if (pos + w > code.size() || !allDigits(code.substr(pos, w))) return 0;
    pos += w;
    ++level;
    if (pos == code.size()) return level;
    if (code[pos] != '.') return 0;
    ++pos;
  }
  return 0;
}

}  // namespace

Wilayah Wilayah::load(const std::filesystem::path& csv) {
  std::ifstream in(csv);
  if (!in) throw std::runtime_error("wilayah: cannot open " + csv.string());
  Wilayah w;
  std::string line;
  std::vector<std::string> fields;
  size_t lineNo = 0;
  auto fail = [&](const std::string& what) {
    throw std::runtime_error("wilayah: " + csv.string() + " line " + std::to_string(lineNo) +
                             ": " + what);
  };
  while (std::getline(in, line)) {
    ++lineNo;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (lineNo == 1) {
      if (line != "kode,nama") fail("expected header 'kode,nama'");
      continue;
    }
    if (line.empty()) continue;
    if (!splitCsv(line, fields)) fail("unbalanced quotes");
    if (fields.size() != 2) fail("expected 2 fields, found " + std::to_string(fields.size()));
    const std::string& code = fields[0];
    int level = levelOf(code);
    if (level == 0) fail("code '" + code + "' is not of the form 11, 11.01, 11.01.01 or 11.01.01.2001");
    if (fields[1].empty()) fail("empty name for code " + code);
    if (level > 1) {
      std::string parent = code.substr(0, code.rfind('.'));
      if (!w.names_.count(parent)) fail("code " + code + " appears before its parent " + parent);
    }
    if (!w.names_.emplace(code, fields[1]).second) fail("code " + code + " repeats");
    if (level == 3) {
      w.districts_.push_back(code);
    } else if (level == 4) {
      w.villages_[code.substr(0, 8)].push_back(code);
    }
  }
  if (lineNo == 0) throw std::runtime_error("wilayah: " + csv.string() + " is empty");
  std::sort(w.districts_.begin(), w.districts_.end());
  for (auto& [k, v] : w.villages_) std::sort(v.begin(), v.end());
  return w;
}

Wilayah Wilayah::loadDefault() { return load(dataDir() / "wilayah.csv"); }

std::optional<std::string_view> Wilayah::name(std::string_view code) const {
  auto it = names_.find(std::string(code));
  if (it == names_.end()) return std::nullopt;
  return std::string_view(it->second);
}

std::vector<std::string> Wilayah::districtsUnder(std::string_view prefix) const {
  std::vector<std::string> out;
  for (const auto& d : districts_)
    if (d.compare(0, prefix.size(), prefix) == 0 &&
        (d.size() == prefix.size() || d[prefix.size()] == '.'))
      out.push_back(d);
  return out;
}

const std::vector<std::string>& Wilayah::villagesOf(std::string_view districtCode) const {
  static const std::vector<std::string> kNone;
  auto it = villages_.find(std::string(districtCode));
  return it == villages_.end() ? kNone : it->second;
}

std::optional<std::string> Wilayah::dottedDistrict(std::string_view s) {
  if (s.size() != 6 || !allDigits(s)) return std::nullopt;
  std::string out;
  out.append(s.substr(0, 2)).append(".").append(s.substr(2, 2)).append(".").append(s.substr(4, 2));
  return out;
}

}  // namespace gerbang::sim
