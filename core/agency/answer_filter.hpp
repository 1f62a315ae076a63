// Minimisation of a plugin route's answer (rule 1 of every PKS: only the listed data
// elements). A plugin may only hold what the host gave it, but the host does not trust
// that: before the answer reaches the caller, every object member (at any depth) whose name
// is a registry field the agreement does not permit is removed.
#pragma once

#include "core/common/result.hpp"

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace gerbang::agency {

// Every registry field name the host knows (the elements and address parts an agreement
// may list, and the fields no agreement lists: AGAMA, NAMA_LGKP_IBU, GOL_DARAH, ...).
const std::set<std::string>& registryFieldNames();

struct FilteredAnswer {
  std::string json;                  // the answer without the removed members, compact
  std::vector<std::string> dropped;  // the removed member names (upper case), sorted, unique
};

// Parses `body` as JSON and removes every member whose name, compared without regard to
// case, is in registryFieldNames() but not in `permitted` (upper-case registry names).
// Error "plugin_bad_answer" when the body is not one JSON value (or nests deeper than 64).
Result<FilteredAnswer> minimiseAnswer(std::string_view body, const std::set<std::string>& permitted);

}  // namespace gerbang::agency
