// NIK format check, local and free of quota (issue 4 item 4).
//
// A NIK is 16 digits `PPKKCCDDMMYYSSSS`: province, regency and district of first
// registration, birth day (+40 for women), month, two-digit year, serial. The registry
// answers a malformed NIK with "Data tidak ditemukan, NIK tidak sesuai format Dukcapil"
// (2025 juknis, response list) and still counts the hit against the daily quota; checking
// here first means a typo never spends quota.
//
// Deliberately not checked: whether the regency or district code still exists in today's
// wilayah list. A NIK keeps the place where it was first issued, codes change, and the
// juknis obliges services to accept any KTP-el regardless of where it was issued (rule 10).
#pragma once

#include "core/common/clock.hpp"
#include "core/common/result.hpp"

#include <cstdint>
#include <string_view>

namespace gerbang::compliance {

// Jenis kelamin (sex) as the NIK encodes it: women's birth day is written +40.
enum class Sex { kMale, kFemale };

// The parts of a well-formed NIK. Population data: keep in memory only, never log.
struct NikParts {
  int province = 0;  // PP, e.g. 33 (Jawa Tengah)
  int regency = 0;   // KK within the province, e.g. 3 for 33.03
  int district = 0;  // CC within the regency, e.g. 1 for 33.03.01
  Date birthDate;    // the century chosen as described at NikFormat::decode()
  Sex sex = Sex::kMale;
  int serial = 0;  // SSSS, 1..9999
};

class NikFormat {
 public:
  // The first part of a NIK found wrong, in the order the digits are read.
  enum class Fault : std::uint8_t {
    kNone = 0,
    kLength,      // not exactly 16 characters
    kNotDigits,   // a character other than 0-9
    kProvince,    // digits 1-2 are not one of the official province codes
    kRegency,     // digits 3-4 are 00
    kDistrict,    // digits 5-6 are 00
    kBirthDay,    // digits 7-8 not in 01-31 or 41-71
    kBirthMonth,  // digits 9-10 not in 01-12
    kBirthDate,   // no real, non-future date in the 1900s or the 2000s
    kSerial,      // digits 13-16 are 0000
  };

  // The whole check. `today` is the Jakarta day from the caller's Clock: a birth date after
  // it is impossible. Never allocates, never throws; safe from any thread.
  static Fault validate(std::string_view nik, Date today) noexcept;

  // validate() as a request-path answer: ok, or Error{code "invalid_nik", message in the
  // registry's words plus which part is wrong, detail naming the digit positions}. Neither
  // text echoes the NIK. Allocates only when refusing.
  static Status check(std::string_view nik, Date today);
  static Status check(std::string_view nik, const Clock& clock) {
    return check(nik, clock.today());
  }

  // The parts of a NIK that passes validate(), or the same error as check(). When the
  // two-digit year gives a valid past date in both centuries the later one is chosen (a
  // NIK holder born in 1905 is far rarer than one born in 2005); otherwise the one that is
  // valid.
  static Result<NikParts> decode(std::string_view nik, Date today);

  // True for the 38 official province codes (Kepmendagri 2025: 11-19, 21, 31-36, 51-53,
  // 61-65, 71-76, 81-82, 91-96). 91 (Papua) and 92 (Papua Barat) also cover every NIK
  // issued in Papua before the 2022 split.
  static bool isProvince(int code) noexcept;

  // The Indonesian description of a fault ("kode provinsi tidak dikenal"); empty for kNone.
  static std::string_view describe(Fault f) noexcept;

  // The registry's own text for a malformed NIK.
  static constexpr std::string_view kRegistryMessage =
      "Data tidak ditemukan, NIK tidak sesuai format Dukcapil";
  static constexpr std::string_view kCode = "invalid_nik";
};

}  // namespace gerbang::compliance
