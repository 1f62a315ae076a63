// libFuzzer target for the NIK format check: any bytes, never a crash, and validate(),
// check() and decode() agree; a NIK that passes re-encodes to exactly its own digits.
#include "core/compliance/nik_format.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

using gerbang::Date;
using gerbang::compliance::NikFormat;
using gerbang::compliance::Sex;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view nik(reinterpret_cast<const char*>(data), size);
  const Date today(2026, 11, 23);
  const NikFormat::Fault f = NikFormat::validate(nik, today);
  const auto status = NikFormat::check(nik, today);
  const auto parts = NikFormat::decode(nik, today);
  if (status.ok() != (f == NikFormat::Fault::kNone) || parts.ok() != status.ok()) std::abort();
  if (!status.ok()) {
    if (status.error().code != "invalid_nik" || status.error().message.empty()) std::abort();
    return 0;
  }
  const auto& p = *parts;
  if (p.birthDate > today || !NikFormat::isProvince(p.province)) std::abort();
  char again[32];
  const unsigned day = p.birthDate.day() + (p.sex == Sex::kFemale ? 40 : 0);
  std::snprintf(again, sizeof again, "%02d%02d%02d%02u%02u%02d%04d", p.province, p.regency,
                p.district, day, p.birthDate.month(), p.birthDate.year() % 100, p.serial);
  if (nik != again) std::abort();
  return 0;
}
