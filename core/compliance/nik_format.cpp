#include "core/compliance/nik_format.hpp"

#include <array>
#include <string>

namespace gerbang::compliance {
namespace {

// Kepmendagri No 300.2.2-2138 Tahun 2025 (shared/data/wilayah.csv, 2-digit codes). Kept as
// a compiled table because the hot path must not read files; tests/compliance checks it
// against the CSV.
constexpr std::array<bool, 100> kProvinces = [] {
  std::array<bool, 100> t{};
  for (int c : {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53,
                61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96})
    t[c] = true;
  return t;
}();

constexpr int two(std::string_view s, size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

// A real date on or before `today`, or nullopt.
std::optional<Date> pastDate(int year, int month, int day, Date today) {
  std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{unsigned(month)},
                                  std::chrono::day{unsigned(day)}};
  if (!ymd.ok()) return std::nullopt;
  Date d(ymd);
  if (d > today) return std::nullopt;
  return d;
}

struct Scan {
  NikFormat::Fault fault = NikFormat::Fault::kNone;
  NikParts parts;
};

// One pass shared by validate() and decode().
Scan scan(std::string_view nik, Date today) noexcept {
  using F = NikFormat::Fault;
  Scan r;
  if (nik.size() != 16) return {F::kLength, {}};
  for (char c : nik)
    if (c < '0' || c > '9') return {F::kNotDigits, {}};
  r.parts.province = two(nik, 0);
  if (!kProvinces[size_t(r.parts.province)]) return {F::kProvince, {}};
  r.parts.regency = two(nik, 2);
  if (r.parts.regency == 0) return {F::kRegency, {}};
  r.parts.district = two(nik, 4);
  if (r.parts.district == 0) return {F::kDistrict, {}};
  int day = two(nik, 6);
  if (day >= 41 && day <= 71) {
    r.parts.sex = Sex::kFemale;
    day -= 40;
  } else if (day < 1 || day > 31) {
    return {F::kBirthDay, {}};
  }
  const int month = two(nik, 8);
  if (month < 1 || month > 12) return {F::kBirthMonth, {}};
  const int yy = two(nik, 10);
  if (auto d = pastDate(2000 + yy, month, day, today)) {
    r.parts.birthDate = *d;
  } else if (auto d1900 = pastDate(1900 + yy, month, day, today)) {
    r.parts.birthDate = *d1900;
  } else {
    return {F::kBirthDate, {}};
  }
  r.parts.serial = two(nik, 12) * 100 + two(nik, 14);
  if (r.parts.serial == 0) return {F::kSerial, {}};
  return r;
}

// Digit positions (1-based) for the log detail; no digit values.
std::string_view where(NikFormat::Fault f) {
  using F = NikFormat::Fault;
  switch (f) {
    case F::kLength:
      return "length is not 16";
    case F::kNotDigits:
      return "a character is not a digit";
    case F::kProvince:
      return "digits 1-2 (province) are not an official province code";
    case F::kRegency:
      return "digits 3-4 (regency) are 00";
    case F::kDistrict:
      return "digits 5-6 (district) are 00";
    case F::kBirthDay:
      return "digits 7-8 (birth day) are not 01-31 or 41-71";
    case F::kBirthMonth:
      return "digits 9-10 (birth month) are not 01-12";
    case F::kBirthDate:
      return "digits 7-12 form no real past date in the 1900s or 2000s";
    case F::kSerial:
      return "digits 13-16 (serial) are 0000";
    case F::kNone:
      break;
  }
  return "";
}

Error errorFor(NikFormat::Fault f) {
  std::string message(NikFormat::kRegistryMessage);
  message += " (";
  message += NikFormat::describe(f);
  message += ")";
  return Error{std::string(NikFormat::kCode), std::move(message), std::string(where(f))};
}

}  // namespace

bool NikFormat::isProvince(int code) noexcept {
  return code >= 0 && code < 100 && kProvinces[size_t(code)];
}

NikFormat::Fault NikFormat::validate(std::string_view nik, Date today) noexcept {
  return scan(nik, today).fault;
}

Status NikFormat::check(std::string_view nik, Date today) {
  const Fault f = validate(nik, today);
  if (f == Fault::kNone) return Status::Ok();
  return errorFor(f);
}

Result<NikParts> NikFormat::decode(std::string_view nik, Date today) {
  Scan s = scan(nik, today);
  if (s.fault != Fault::kNone) return errorFor(s.fault);
  return s.parts;
}

std::string_view NikFormat::describe(Fault f) noexcept {
  switch (f) {
    case Fault::kLength:
      return "NIK harus 16 digit";
    case Fault::kNotDigits:
      return "NIK hanya boleh berisi angka";
    case Fault::kProvince:
      return "kode provinsi tidak dikenal";
    case Fault::kRegency:
      return "kode kabupaten/kota tidak boleh 00";
    case Fault::kDistrict:
      return "kode kecamatan tidak boleh 00";
    case Fault::kBirthDay:
      return "tanggal lahir harus 01-31 (laki-laki) atau 41-71 (perempuan)";
    case Fault::kBirthMonth:
      return "bulan lahir harus 01-12";
    case Fault::kBirthDate:
      return "tanggal lahir bukan tanggal yang valid";
    case Fault::kSerial:
      return "nomor urut tidak boleh 0000";
    case Fault::kNone:
      break;
  }
  return "";
}

}  // namespace gerbang::compliance
