// The KTP-el biodata file (EF 6FF1): ASCII, 21 double-quoted, comma-separated fields.
// Known indices come from public integrations (no official specification is public):
//   0 NIK, 1 alamat, 2 RT, 3 RW, 4 tempat lahir, 5 kecamatan, 6 kelurahan/desa,
//   7 kabupaten/kota, 8 jenis kelamin, 9 golongan darah, 10 agama, 11 status perkawinan,
//   12 pekerjaan, 13 nama, 14 tanggal lahir (DD-MM-YYYY), 19 kewarganegaraan.
// Fields 15-18 and 20 are kept unparsed and never leave the reader service.
#pragma once

#include "core/common/result.hpp"

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace gerbang::reader {

inline constexpr size_t kBiodataFields = 21;
// Larger than any real biodata file; a file above this is refused before parsing.
inline constexpr size_t kBiodataMaxBytes = 2048;

enum BiodataField : size_t {
  kNik = 0,
  kAlamat = 1,
  kRt = 2,
  kRw = 3,
  kTempatLahir = 4,
  kKecamatan = 5,
  kKelurahan = 6,
  kKabupaten = 7,
  kJenisKelamin = 8,
  kGolonganDarah = 9,
  kAgama = 10,
  kStatusPerkawinan = 11,
  kPekerjaan = 12,
  kNama = 13,
  kTanggalLahir = 14,
  kKewarganegaraan = 19,
};

// The parsed file. Holds personal data: keep it in memory only, inside the reader service.
struct Biodata {
  std::array<std::string, kBiodataFields> fields;
  const std::string& operator[](size_t i) const { return fields[i]; }
  // Overwrites every field (see wipe() in bytes.hpp).
  void wipe();
};

// Parses the file strictly. Trailing 0x00/0xFF padding after the last field is allowed
// (card files are fixed-size); anything else outside the 21 quoted fields is refused.
// Each field is printable ASCII without '"'. Field 0 must be 16 digits, field 14 a real
// DD-MM-YYYY date, field 8 "LAKI-LAKI" or "PEREMPUAN", fields 2 and 3 one to three digits.
// On failure: code "biodata_invalid", the detail saying what and where ("field 14 (tanggal
// lahir) at byte 212: not a DD-MM-YYYY date") and never the field's content.
Result<Biodata> parseBiodata(std::string_view raw);

// Registry element names (core/plugin/manifest.hpp kElements / kAddressParts) and the
// biodata field each is read from. Anything not listed here (agama, golongan darah,
// kewarganegaraan, the unknown fields, the photo, fingerprints) is never released.
struct CardElement {
  std::string_view name;
  size_t field;
  bool addressPart;  // released only when ALAMAT is permitted and this part is listed
};
inline constexpr CardElement kCardElements[] = {
    {"NIK", kNik, false},
    {"NAMA_LGKP", kNama, false},
    {"TMPT_LHR", kTempatLahir, false},
    {"TGL_LHR", kTanggalLahir, false},
    {"JENIS_KLMIN", kJenisKelamin, false},
    {"STATUS_KAWIN", kStatusPerkawinan, false},
    {"JENIS_PKRJN", kPekerjaan, false},
    {"ALAMAT", kAlamat, false},
    {"NO_RT", kRt, true},
    {"NO_RW", kRw, true},
    {"KEC_NAME", kKecamatan, true},
    {"KEL_NAME", kKelurahan, true},
    {"KAB_NAME", kKabupaten, true},
};

// What an agreement permits, as in its manifest: `elements` from kElements, and
// `addressParts` from kAddressParts (meaningful only when ALAMAT is among the elements).
struct PermittedFields {
  std::vector<std::string> elements;
  std::vector<std::string> addressParts;
};

// Projects the biodata onto the permitted registry elements: only names in kCardElements
// that the agreement permits appear in the result. ALAMAT (the street line) is released
// when ALAMAT is permitted and addressParts is empty or lists "ALAMAT"; NO_RT, NO_RW,
// KEC_NAME, KEL_NAME, KAB_NAME when ALAMAT is permitted and the part is listed.
std::map<std::string, std::string> minimise(const Biodata& b, const PermittedFields& permitted);

}  // namespace gerbang::reader
