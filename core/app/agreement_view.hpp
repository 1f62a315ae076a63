// How commands show agreements and adenda: JSON for scripts (stable keys, snake_case) and
// Indonesian words for tables.
#pragma once

#include "core/agreement/agreement.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace gerbang::app {

// One agreement on `today`: id, agency, short_name, pks_numbers, juknis_numbers, signed,
// start, end_date (after adenda), original_end, status, days_left, allows_access,
// quota_per_day (number, or null when unlimited), poc_passed, elements, address_parts,
// access_methods, balikan_fields (names), balikan_methods, balikan_due_days, adenda
// (numbers in force).
Poco::JSON::Object::Ptr agreementJson(const agreement::Agreement& a, Date today);

// One Adendum: number, date, new_end, quota_per_day, poc_passed, elements, address_parts
// (null when unchanged), recorded_by, recorded_at (UTC, ISO 8601).
Poco::JSON::Object::Ptr adendumJson(const agreement::Adendum& a);

// "aktif", "segera berakhir", "berakhir", "belum berlaku".
std::string phaseLabel(agreement::Phase p);
// "75" or "tanpa batas".
std::string quotaLabel(const std::optional<int>& perDay);
std::string joined(const std::vector<std::string>& items, const std::string& sep = ",");
Poco::JSON::Array::Ptr jsonArray(const std::vector<std::string>& items);
// Pretty-printed JSON and a newline.
void printJson(std::ostream& out, const Poco::Dynamic::Var& value);

}  // namespace gerbang::app
