// Card then registry: where the data read from a KTP-el and the registry's answer for the
// same NIK disagree. The 2025 juknis flow: the officer checks the NIK (typed or read from
// the KTP-el); if the data does not match, the applicant corrects the documents.
#pragma once

#include "core/reader/card_read.hpp"

#include <map>
#include <string>
#include <vector>

namespace gerbang::reader {

struct FieldDifference {
  enum class Kind {
    kDiffers,            // both have the element, the values differ after normalisation
    kMissingInRegistry,  // the card has it, the registry's answer does not
  };
  std::string element;  // registry element name (NAMA_LGKP, TGL_LHR, ...)
  Kind kind = Kind::kDiffers;
  // The two values as given (personal data: for the operator's screen only, never logged).
  std::string cardValue;
  std::string registryValue;
};

// Compares every element of `card.fields` with `registryFields` (the portal's record keys,
// already minimised for the same agreement). Values are compared after normalisation:
// ASCII upper case, surrounding and repeated spaces removed; NO_RT/NO_RW without leading
// zeros ("003" = "3"); TGL_LHR as a date (DD-MM-YYYY or YYYY-MM-DD). Ordered by element
// name; empty when the card and the registry agree.
std::vector<FieldDifference> compareCardWithRegistry(
    const CardRead& card, const std::map<std::string, std::string>& registryFields);

}  // namespace gerbang::reader
