// Wilayah: Indonesia's region codes and names (Kepmendagri 2025), from data/wilayah.csv.
//
// Codes are dotted as in the Kepmendagri list: province "33", regency/city "33.03",
// district (kecamatan) "33.03.01", village (desa/kelurahan) "33.03.01.2001".
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gerbang::sim {

class Wilayah {
 public:
  // Reads a `kode,nama` CSV (header line first, RFC 4180 quotes allowed). Throws
  // std::runtime_error naming the file and line when the file is missing, a line is not
  // two fields, a code is not one of the four dotted shapes, a code repeats, or a region's
  // parent is absent.
  static Wilayah load(const std::filesystem::path& csv);
  // load(dataDir() / "wilayah.csv").
  static Wilayah loadDefault();

  // The name for a dotted code of any level ("33.03" -> "Kabupaten Purbalingga"), or nullopt.
  std::optional<std::string_view> name(std::string_view code) const;

  // All district (kecamatan) codes, sorted.
  const std::vector<std::string>& districts() const { return districts_; }
  // District codes that start with `prefix` ("32", "33.03"), sorted; empty when none.
  std::vector<std::string> districtsUnder(std::string_view prefix) const;
  // Village codes of one district, sorted; empty for an unknown district.
  const std::vector<std::string>& villagesOf(std::string_view districtCode) const;

  // "330301" (the first six digits of a NIK or KK) -> "33.03.01". Does not check that the
  // district exists; nullopt when the input is not six digits.
  static std::optional<std::string> dottedDistrict(std::string_view sixDigits);

  size_t size() const { return names_.size(); }

 private:
  std::unordered_map<std::string, std::string> names_;
  std::vector<std::string> districts_;
  std::unordered_map<std::string, std::vector<std::string>> villages_;
};

}  // namespace gerbang::sim
