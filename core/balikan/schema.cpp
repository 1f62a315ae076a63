#include "core/balikan/schema.hpp"

#include "core/balikan/utf8.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace gerbang::balikan {
namespace {

using Type = plugin::BalikanField::Type;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool allDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

int two(std::string_view s, std::size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

bool realDate(int y, int m, int d) {
  if (m < 1 || m > 12 || d < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max = kDays[m - 1];
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) max = 29;
  return d <= max;
}

char lowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lowerAscii(a[i]) != lowerAscii(b[i])) return false;
  }
  return true;
}

// "3.27301E+15", "3,27301E+15": what Excel writes for a long number it treated as a number.
bool looksScientific(std::string_view s) {
  bool digit = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c == 'E' || c == 'e') {
      return digit;
    } else if (c != '.' && c != ',' && c != '+' && c != '-') {
      return false;
    }
  }
  return false;
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

}  // namespace

std::string RowError::message() const {
  std::string out;
  if (row > 0) out = "baris " + std::to_string(row);
  if (!field.empty()) {
    if (!out.empty()) out += ", ";
    out += "kolom " + quoted(label.empty() ? field : label);
  }
  if (!out.empty()) out += ": ";
  return out + reason;
}

std::string headerKey(std::string_view s) {
  s = trim(s);
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (c == '_' || c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += lowerAscii(c);
  }
  return out;
}

std::string nikProblem(std::string_view nik) {
  if (nik.size() != 16 || !allDigits(nik)) {
    if (looksScientific(nik)) {
      return "NIK tertulis sebagai angka ilmiah (Excel); format kolom NIK sebagai Teks lalu "
             "ketik ulang";
    }
    return "NIK harus 16 angka";
  }
  // Province codes of Permendagri on region codes (11 Aceh .. 96 Papua Barat Daya).
  static constexpr int kProvinces[] = {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33,
                                       34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65, 71, 72,
                                       73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96};
  int prov = two(nik, 0);
  if (std::find(std::begin(kProvinces), std::end(kProvinces), prov) == std::end(kProvinces)) {
    return "NIK: kode provinsi (2 angka pertama) tidak dikenal";
  }
  if (two(nik, 2) == 0) return "NIK: kode kabupaten/kota (angka ke-3 dan ke-4) tidak boleh 00";
  if (two(nik, 4) == 0) return "NIK: kode kecamatan (angka ke-5 dan ke-6) tidak boleh 00";
  int day = two(nik, 6);
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) {
    return "NIK: tanggal lahir (angka ke-7 dan ke-8) harus 01-31 atau 41-71";
  }
  int month = two(nik, 8);
  if (month < 1 || month > 12) return "NIK: bulan lahir (angka ke-9 dan ke-10) harus 01-12";
  if (nik.substr(12) == "0000") return "NIK: nomor urut (4 angka terakhir) tidak boleh 0000";
  return {};
}

std::optional<std::string> serialToDmy(std::string_view serial, bool date1904) {
  serial = trim(serial);
  double v = 0;
  auto [p, ec] = std::from_chars(serial.data(), serial.data() + serial.size(), v);
  if (ec != std::errc() || p != serial.data() + serial.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  if (v < 0 || v >= 2958466) return std::nullopt;  // 2958465 = 31-12-9999
  auto days = static_cast<long>(std::floor(v));
  std::chrono::sys_days base;
  using namespace std::chrono;
  if (date1904) {
    base = sys_days{year{1904} / January / 1};
  } else {
    if (days < 1 || days == 60) return std::nullopt;  // 0 is "00-01-1900"; 60 never existed
    // Excel counts 29-02-1900 (Lotus 1-2-3 compatibility): serials from 61 are one too high.
    base = days < 60 ? sys_days{year{1899} / December / 31} : sys_days{year{1899} / December / 30};
  }
  year_month_day ymd{base + std::chrono::days{days}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u-%02u-%04d", unsigned(ymd.day()), unsigned(ymd.month()),
                int(ymd.year()));
  return std::string(buf);
}

Result<Schema> Schema::compile(const plugin::BalikanPolicy& policy, bool fastPatterns) {
  auto bad = [](const std::string& field, std::string why) {
    return Error{"balikan_schema_invalid", "Skema data balikan tidak sah: " + why,
                 "field " + field + ": " + why};
  };
  Schema s;
  s.fields_ = policy.fields;
  if (s.fields_.empty()) return bad("-", "tidak ada kolom");
  for (const auto& f : s.fields_) {
    if (f.name.empty()) return bad("-", "nama kolom kosong");
    if (f.type == Type::kEnum && f.values.empty()) return bad(f.name, "enum tanpa pilihan");
    std::shared_ptr<const std::regex> re;
    if (!f.pattern.empty()) {
      try {
        re = std::make_shared<const std::regex>(f.pattern, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        return bad(f.name, std::string("pola bukan regex ECMAScript yang sah (") + e.what() + ")");
      }
    }
    s.fast_.push_back(re && fastPatterns ? SimplePattern::compile(f.pattern) : std::nullopt);
    s.patterns_.push_back(std::move(re));
    s.headerKeys_.push_back(headerKey(f.name));
    s.headerKeys_.push_back(headerKey(f.label.empty() ? f.name : f.label));
  }
  // A header cell must identify exactly one field.
  for (std::size_t i = 0; i < s.headerKeys_.size(); ++i) {
    for (std::size_t j = i + 1; j < s.headerKeys_.size(); ++j) {
      if (i / 2 != j / 2 && s.headerKeys_[i] == s.headerKeys_[j]) {
        return bad(s.fields_[j / 2].name,
                   "nama atau label sama dengan kolom " + s.fields_[i / 2].name);
      }
    }
  }
  return s;
}

Result<ColumnMap> Schema::mapHeader(std::span<const std::string_view> header) const {
  ColumnMap map;
  map.fieldOfColumn.assign(header.size(), -1);
  map.columnOfField.assign(fields_.size(), -1);
  std::vector<std::string> problems;
  std::size_t unknown = 0;
  for (std::size_t c = 0; c < header.size(); ++c) {
    std::string key = headerKey(header[c]);
    std::string shown = "kolom ke-" + std::to_string(c + 1);
    if (key.empty()) {
      problems.push_back(shown + " tidak berjudul");
      continue;
    }
    int found = -1;
    for (std::size_t k = 0; k < headerKeys_.size(); ++k) {
      if (headerKeys_[k] == key) {
        found = int(k / 2);
        break;
      }
    }
    // An unknown header cell is not quoted back: when the header row is missing, "row 1" is
    // a person's record (NIK, name). Known titles are named by the schema's own words.
    if (found < 0) {
      ++unknown;
      problems.push_back(shown + " tidak dikenal");
    } else if (map.columnOfField[found] >= 0) {
      problems.push_back(shown + " " + quoted(fields_[std::size_t(found)].name) +
                         " ganda (sudah ada di kolom ke-" +
                         std::to_string(map.columnOfField[found] + 1) + ")");
    } else {
      map.columnOfField[found] = int(c);
      map.fieldOfColumn[c] = found;
    }
  }
  for (std::size_t f = 0; f < fields_.size(); ++f) {
    if (map.columnOfField[f] >= 0) continue;
    if (fields_[f].required) {
      problems.push_back("kolom wajib " + quoted(fields_[f].name) + " (" + fields_[f].label +
                         ") tidak ada");
    } else {
      map.missingOptional.push_back(fields_[f].name);
    }
  }
  if (!problems.empty()) {
    std::string msg = "Baris judul (baris 1) tidak sesuai skema: ";
    if (unknown == header.size()) msg += "baris 1 harus berisi judul kolom, bukan data; ";
    for (std::size_t i = 0; i < problems.size(); ++i) msg += (i ? "; " : "") + problems[i];
    std::string expected;
    for (const auto& f : fields_) expected += (expected.empty() ? "" : ", ") + f.name;
    if (unknown > 0) msg += ". Judul yang dikenal: " + expected + " (atau labelnya)";
    return Error{"balikan_header_invalid", msg, "expected columns: " + expected};
  }
  return map;
}

bool Schema::checkValue(std::size_t i, std::string_view value, CellKind kind, std::string& out,
                        std::string& reason) const {
  const auto& f = fields_[i];
  value = trim(value);
  if (kind == CellKind::kError) {
    reason = "sel berisi galat Excel";
    return false;
  }
  if (value.empty()) {
    if (f.required) {
      reason = "wajib diisi";
      return false;
    }
    out.clear();
    return true;
  }
  switch (f.type) {
    case Type::kNik: {
      if (kind == CellKind::kNumber) {
        // Excel stores numbers as doubles with 15 significant digits: a NIK typed into a
        // Number cell has already lost its last digit, so it cannot be trusted.
        reason =
            "NIK disimpan sebagai angka oleh Excel (angka ke-16 hilang); format kolom NIK "
            "sebagai Teks lalu ketik ulang";
        return false;
      }
      reason = nikProblem(value);
      if (!reason.empty()) return false;
      out.assign(value);
      break;
    }
    case Type::kDate: {
      if (kind == CellKind::kNumber) {
        auto d = serialToDmy(value);
        if (!d) {
          reason = "bukan tanggal yang sah (nomor seri tanggal Excel di luar jangkauan)";
          return false;
        }
        out = *d;
        break;
      }
      bool shape = value.size() == 10 && (value[2] == '-' || value[2] == '/') &&
                   value[5] == value[2] && allDigits(value.substr(0, 2)) &&
                   allDigits(value.substr(3, 2)) && allDigits(value.substr(6, 4));
      if (!shape) {
        reason = "bukan tanggal dengan format dd-mm-yyyy";
        return false;
      }
      int d = two(value, 0), m = two(value, 3), y = two(value, 6) * 100 + two(value, 8);
      if (y < 1900 || y > 2100 || !realDate(y, m, d)) {
        reason = "tanggal tidak ada di kalender (format dd-mm-yyyy, tahun 1900-2100)";
        return false;
      }
      out.assign(value);
      out[2] = out[5] = '-';
      break;
    }
    case Type::kInteger: {
      std::string_view digits = value;
      if (digits.front() == '-') digits.remove_prefix(1);
      if (kind == CellKind::kNumber) {
        // Spreadsheets may store 12 as "12.0".
        auto dot = digits.find('.');
        if (dot != std::string_view::npos &&
            digits.find_first_not_of('0', dot + 1) == std::string_view::npos) {
          digits = digits.substr(0, dot);
        }
      }
      if (!allDigits(digits) || digits.size() > 18) {
        reason =
            "bukan bilangan bulat (hanya angka, tanpa titik atau koma, paling banyak 18 angka)";
        return false;
      }
      out.assign(value.substr(0, std::size_t(digits.data() - value.data()) + digits.size()));
      break;
    }
    case Type::kEnum: {
      const std::string* match = nullptr;
      for (const auto& v : f.values) {
        if (equalsIgnoreCase(v, value)) {
          match = &v;
          break;
        }
      }
      if (match == nullptr) {
        std::string opts;
        for (const auto& v : f.values) opts += (opts.empty() ? "" : ", ") + v;
        reason = "bukan salah satu pilihan: " + opts;
        return false;
      }
      out = *match;
      break;
    }
    case Type::kString:
      // Control characters are never typed by people: they mark a binary or mis-decoded file,
      // and some (NUL) would break the registry's side.
      for (char c : value) {
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          reason = "berisi karakter kendali yang tidak tercetak";
          return false;
        }
      }
      out.assign(value);
      break;
  }
  if (f.maxLength > 0 && utf8Length(out) > std::size_t(f.maxLength)) {
    reason = "lebih dari " + std::to_string(f.maxLength) + " karakter (ada " +
             std::to_string(utf8Length(out)) + ")";
    return false;
  }
  bool matched = fast_[i] ? fast_[i]->matches(out)
                          : !patterns_[i] || std::regex_match(out.data(), out.data() + out.size(),
                                                              *patterns_[i]);
  if (!matched) {
    reason = "tidak sesuai pola " + f.pattern;
    return false;
  }
  return true;
}

bool Schema::validateRow(const RawRow& row, const ColumnMap& map, Record& record,
                         std::vector<RowError>& errors) const {
  record.row = row.number;
  record.values.resize(fields_.size());
  bool ok = true;
  std::string reason;
  if (!row.problem.empty()) {
    RowError e{row.number, {}, {}, row.problem};
    if (row.problemCell >= 0 && std::size_t(row.problemCell) < map.fieldOfColumn.size()) {
      int f = map.fieldOfColumn[std::size_t(row.problemCell)];
      e.field = fields_[std::size_t(f)].name;
      e.label = fields_[std::size_t(f)].label;
    }
    errors.push_back(std::move(e));
    return false;
  }
  if (row.cells.size() > map.fieldOfColumn.size()) {
    // Cells beyond the header are tolerated only when empty (Excel pads ragged ranges).
    for (std::size_t c = map.fieldOfColumn.size(); c < row.cells.size(); ++c) {
      if (!trim(row.cells[c]).empty()) {
        errors.push_back({row.number,
                          {},
                          {},
                          "ada isian di kolom ke-" + std::to_string(c + 1) +
                              " yang tidak berjudul (baris judul punya " +
                              std::to_string(map.fieldOfColumn.size()) + " kolom)"});
        return false;
      }
    }
  }
  for (std::size_t f = 0; f < fields_.size(); ++f) {
    int c = map.columnOfField[f];
    std::string_view v;
    CellKind kind = CellKind::kText;
    if (c >= 0 && std::size_t(c) < row.cells.size()) {
      v = row.cells[std::size_t(c)];
      kind = row.kind(std::size_t(c));
    }
    if (!checkValue(f, v, kind, record.values[f], reason)) {
      errors.push_back({row.number, fields_[f].name, fields_[f].label, reason});
      ok = false;
    }
  }
  return ok;
}

bool Schema::validateFields(const std::vector<std::pair<std::string, std::string>>& given,
                            const CrossFieldHook& hook, Record& record,
                            std::vector<RowError>& errors) const {
  record.row = 0;
  record.values.assign(fields_.size(), {});
  std::vector<int> source(fields_.size(), -1);
  bool ok = true;
  for (std::size_t g = 0; g < given.size(); ++g) {
    auto it = std::find_if(fields_.begin(), fields_.end(),
                           [&](const auto& f) { return f.name == given[g].first; });
    if (it == fields_.end()) {
      errors.push_back({0, {}, {}, "kolom " + quoted(given[g].first) + " tidak dikenal"});
      ok = false;
      continue;
    }
    auto f = std::size_t(it - fields_.begin());
    if (source[f] >= 0) {
      errors.push_back({0, it->name, it->label, "diisi lebih dari sekali"});
      ok = false;
      continue;
    }
    source[f] = int(g);
  }
  std::string reason;
  for (std::size_t f = 0; f < fields_.size(); ++f) {
    std::string_view v = source[f] >= 0 ? std::string_view(given[std::size_t(source[f])].second)
                                        : std::string_view();
    if (firstInvalidUtf8(v) != std::string_view::npos) {
      errors.push_back({0, fields_[f].name, fields_[f].label, "bukan teks UTF-8 yang sah"});
      ok = false;
      continue;
    }
    if (!checkValue(f, v, CellKind::kText, record.values[f], reason)) {
      errors.push_back({0, fields_[f].name, fields_[f].label, reason});
      ok = false;
    }
  }
  if (ok && hook) {
    Status st = hook(pairs(record));
    if (!st.ok()) {
      errors.push_back({0, {}, {}, st.error().message});
      ok = false;
    }
  }
  return ok;
}

std::vector<std::pair<std::string, std::string>> Schema::pairs(const Record& record) const {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(fields_.size());
  for (std::size_t f = 0; f < fields_.size() && f < record.values.size(); ++f) {
    out.emplace_back(fields_[f].name, record.values[f]);
  }
  return out;
}

}  // namespace gerbang::balikan
