// One balikan record sent as JSON: the online form and
// POST /api/v1/agreements/{id}/balikan send {"nik": "...", "nomor_register": "...", ...}.
#pragma once

#include "core/common/result.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gerbang::balikan {

// Parses a JSON object of field name → value into (name, value) pairs for
// Schema::validateFields. Values must be JSON strings (or null for "empty"): a number is
// refused because a 16-digit NIK does not survive JavaScript's doubles (2^53 is about
// 9.0e15, and NIKs of provinces 91-96 are above it). Error "balikan_json_invalid" with an
// Indonesian message naming the member (never its value) when the body is not such an
// object, has more than `maxMembers` members or is longer than `maxBytes`. Never throws.
Result<std::vector<std::pair<std::string, std::string>>> parseRecordJson(
    std::string_view json, std::size_t maxBytes = 64 * 1024, std::size_t maxMembers = 64);

}  // namespace gerbang::balikan
