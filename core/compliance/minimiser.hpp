// Data minimisation (issue 4 item 7).
//
// Rule 1 of every agreement: access only to the listed data elements. The registry's
// answer carries more than any agreement permits (AGAMA, NAMA_LGKP_IBU, GOL_DARAH,
// PDDK_AKH, ...); the Minimiser projects it onto the agreement's elements and address
// parts, after any Adendum, before it reaches a plugin, a log, the caller or the audit.
// Purbalingga's PKS 400.12/2430/2025 lists 8 elements without Nomor KK, so it never sees
// NO_KK; no agreement lists AGAMA, so nobody sees it.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace gerbang::compliance {

// A registry record: registry field name (e.g. "NAMA_LGKP") -> value. Population data:
// memory only.
using RegistryRecord = std::map<std::string, std::string>;

struct Minimised {
  RegistryRecord record;                // only permitted fields
  std::vector<std::string> keptFields;  // their names, sorted (for the audit; no values)
};

class Minimiser {
 public:
  // `elements` from plugin::kElements and `addressParts` from plugin::kAddressParts: the
  // agreement's effective lists (manifest adjusted by any Adendum). Address parts count only
  // when ALAMAT is among the elements. The registry's street field is itself named ALAMAT:
  // it is kept when "ALAMAT" is listed as an address part, or when ALAMAT is permitted with
  // no parts itemised (the narrowest reading of "alamat", as the card reader's minimise()
  // does). Throws std::invalid_argument (startup) naming an unknown element or part.
  Minimiser(const std::vector<std::string>& elements, const std::vector<std::string>& addressParts);

  // The permitted subset of `record`; every other field is dropped. Never throws except
  // std::bad_alloc. Thread-safe.
  Minimised project(const RegistryRecord& record) const;
  // The same, moving values out of `record` (which is cleared) so the unpermitted values
  // are destroyed here and only one copy of the permitted ones exists.
  Minimised project(RegistryRecord&& record) const;

  // The registry field names this agreement may receive, sorted.
  const std::set<std::string>& permittedFields() const { return permitted_; }

 private:
  std::set<std::string> permitted_;
};

}  // namespace gerbang::compliance
