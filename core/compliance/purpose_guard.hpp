// Purpose reference check (issue 4 item 3).
//
// Rule 1 of every agreement: access only for the agreement's stated purpose. Each lookup
// therefore carries the service reference the plugin declares (e.g. the AK-I register
// number in Karanganyar, the training participant number in Purbalingga), and it must
// match the manifest's pattern as a whole. The reference goes into the audit, so it is
// also length-capped and free of control characters.
#pragma once

#include "core/common/result.hpp"
#include "core/plugin/manifest.hpp"

#include <cstddef>
#include <regex>
#include <string>
#include <string_view>

namespace gerbang::compliance {

class PurposeGuard {
 public:
  static constexpr std::size_t kDefaultMaxLength = 64;

  // Compiles the agreement's pattern once (build one guard per agreement at startup).
  // Throws std::invalid_argument naming the problem when the label or pattern is empty,
  // the pattern is longer than plugin::kMaxPatternLength or is not a valid ECMAScript
  // regex, or the manifest's example does not pass this guard.
  explicit PurposeGuard(const plugin::PurposeReference& reference,
                        std::size_t maxLength = kDefaultMaxLength);

  // Ok, or Error{code "purpose_invalid", Indonesian message naming the expected reference
  // (label, example), detail naming the rule that failed}. Never echoes the reference
  // itself (an operator may have typed personal data into it). Thread-safe.
  Status check(std::string_view reference) const;

  const std::string& label() const { return label_; }

 private:
  std::string label_;
  std::string example_;
  std::size_t maxLength_;
  std::regex regex_;
};

}  // namespace gerbang::compliance
