// The "media" package: balikan for hand-over on storage media (the fallback method of the
// older juknis). One zip holding the data files, manifest.json and SHA256SUMS, so the
// registry office can check on receipt that nothing is missing or altered.
//
// Layout:
//   balikan.csv      the records in the upload layout (';', UTF-8 with BOM)
//   balikan.xlsx     the same records as a workbook
//   manifest.json    {"format":"gerbang-balikan-media/1","agreement":..,"created":..,
//                     "records":N,"files":[{"name":..,"bytes":..,"sha256":..},...]}
//   SHA256SUMS       "<hex>  <name>" per file above (sha256sum -c compatible once unzipped)
//
// SHA-256 sums detect damage and accidental edits, not a deliberate forgery (whoever edits
// a file can recompute its sum); the hand-over record (berita acara) covers the rest.
#pragma once

#include "core/balikan/schema.hpp"
#include "core/common/clock.hpp"
#include "core/common/result.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace gerbang::balikan {

struct PackageFile {
  std::string name;  // a plain file name, no directories
  std::string bytes;
};

// Writes a package to `out` (seekable) with the given files plus manifest.json and
// SHA256SUMS. `records` is the number of balikan records the files hold. Throws
// std::invalid_argument for an unsafe or duplicate file name, std::runtime_error when the
// stream fails.
void writePackage(std::ostream& out, const std::string& agreementId, std::uint64_t records,
                  const std::vector<PackageFile>& files, TimePoint created);

// Exports `records` as balikan.csv and balikan.xlsx and writes the package to `path`
// (created or replaced). Same errors as writePackage, plus std::runtime_error when the
// file cannot be written.
void writeMediaPackage(const std::filesystem::path& path, const std::string& agreementId,
                       const Schema& schema, const std::vector<Record>& records,
                       const Clock& clock);

// What verifyPackage found.
struct PackageCheck {
  bool ok() const {
    return missing.empty() && altered.empty() && unlisted.empty() && problems.empty();
  }
  std::string agreement;
  std::uint64_t records = 0;
  std::vector<std::string> files;     // names listed in SHA256SUMS
  std::vector<std::string> missing;   // listed but not in the zip
  std::vector<std::string> altered;   // in the zip, but the SHA-256 differs
  std::vector<std::string> unlisted;  // in the zip, but in no list
  std::vector<std::string> problems;  // manifest.json / SHA256SUMS inconsistencies (Indonesian)
  // One line per finding, Indonesian, for the CLI ("berkas balikan.csv diubah ...").
  std::vector<std::string> findings() const;
};

// Opens the package at `path` and checks every file against SHA256SUMS and manifest.json.
// Error "package_invalid" when the file is not a readable package at all (not a zip, no
// SHA256SUMS); otherwise the findings are in the PackageCheck. Never throws.
Result<PackageCheck> verifyPackage(const std::filesystem::path& path);

}  // namespace gerbang::balikan
