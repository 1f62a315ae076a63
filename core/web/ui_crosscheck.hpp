// The juknis cross-check ("pencocokan"): the operator types what the applicant's documents
// say and sees, per field, whether it matches the registry. The comparison happens here,
// on the server, against the already-minimised record, so the page never receives the
// registry's values (rule 1: only the permitted elements, and in this mode not even those).
#pragma once

#include "core/compliance/minimiser.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace gerbang::web {

// Registry fields an operator may cross-check, in screen order, with their Indonesian
// labels. Only those among the agreement's permitted elements are offered.
struct CrossCheckField {
  std::string_view name;   // registry field, e.g. "NAMA_LGKP"
  std::string_view label;  // e.g. "Nama lengkap"
  bool isDate;             // the registry sends dd-mm-yyyy; the page may send yyyy-mm-dd
};
inline constexpr CrossCheckField kCrossCheckFields[] = {
    {"NAMA_LGKP", "Nama lengkap", false},       {"TMPT_LHR", "Tempat lahir", false},
    {"TGL_LHR", "Tanggal lahir", true},         {"JENIS_KLMIN", "Jenis kelamin", false},
    {"STATUS_KAWIN", "Status perkawinan", false}, {"JENIS_PKRJN", "Pekerjaan", false},
    {"NO_KK", "Nomor KK", false},
};

// Normalises one value for comparison: trimmed, runs of white space as one space, ASCII
// letters upper-cased; a date field written yyyy-mm-dd or dd/mm/yyyy becomes dd-mm-yyyy.
std::string normaliseForCheck(std::string_view value, bool isDate);

struct CheckResult {
  std::string field;  // registry field name
  std::string label;
  // "sesuai", "tidak_sesuai", or "tidak_tersedia" (the registry record has no such value).
  std::string result;
};

// Compares the operator's `entered` values (registry field name → typed text) with
// `record`. Only fields of kCrossCheckFields that are keys of `entered` are compared;
// `record` must already be minimised. The answer holds no registry value.
std::vector<CheckResult> crossCheck(const compliance::RegistryRecord& record,
                                    const std::map<std::string, std::string>& entered);

}  // namespace gerbang::web
