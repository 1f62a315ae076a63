// Anti-enumeration guard (issue 4 item 5).
//
// Every juknis of the three agreements says NIK entry "tidak boleh dilakukan dengan cara
// berurutan, berpola, dan dalam waktu yang berdekatan" (not sequential, not patterned, not
// in quick succession; DOMAIN.md rule 4). The guard refuses a lookup that would:
//   pattern_sequential   share the first 12 digits (region + birth date) with a recent
//                        lookup and have a serial within serialDistance of it;
//   pattern_progression  complete an arithmetic progression of progressionLength NIKs
//                        (as numbers, consecutive lookups, non-zero step);
//   pattern_prefix_walk  be the prefixRunLength-th distinct NIK of the window sharing the
//                        first prefixLength digits (walking one district + birth day);
//   pattern_rapid        come less than minIntervalSeconds after the operator's previous
//                        lookup;
//   pattern_burst        be more than burstPerMinute lookups of the operator in 60 s.
// The first three are checked over two windows (the operator's last `window` lookups, and
// the agreement's, so several operators splitting an enumeration are caught too); the time
// rules per operator. It also flags, without refusing, the same person looked up
// repeatedly or by several operators within one Jakarta day.
//
// What it remembers, and only in memory (nothing here is ever persisted): per operator and
// per agreement the numeric NIK values and times of at most `window` allowed lookups, and
// per agreement and Jakarta day a count per NIK *HMAC* (cleared when the day changes).
#pragma once

#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/plugin/manifest.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gerbang::compliance {

// One lookup attempt as the guard sees it. The views must outlive the call.
struct Attempt {
  std::string_view agreementId;  // the plugin's agency id
  std::string_view operatorId;   // the operator's local user id
  std::string_view nik;          // 16 digits that already passed NikFormat
  std::string_view nikHmac;      // HMAC of the NIK under the agreement's key (identity)
  TimePoint time;                // from the caller's Clock
};

// Codes of the flags (not refusals) a Decision may carry.
inline constexpr std::string_view kFlagRepeatSamePerson = "same_person_repeated";
inline constexpr std::string_view kFlagManyOperatorsSamePerson = "same_person_many_operators";

struct Decision {
  bool allowed = true;
  // Empty when allowed outright; otherwise the rule that matched ("pattern_sequential",
  // "pattern_progression", "pattern_prefix_walk", "pattern_rapid", "pattern_burst").
  // Still set when a supervisor's release let the lookup through (released == true), so
  // the audit says what was overridden.
  std::string code;
  std::string message;             // Indonesian, quoting the juknis rule; no NIK
  std::string detail;              // for logs: which window and threshold; no NIK
  std::vector<std::string> flags;  // kFlag... codes; never refuse on their own
  bool released = false;
  std::string releasedBy;     // the supervisor's id when released
  std::string releaseReason;  // their written reason

  // Error{code, message, detail} when refused; ok otherwise.
  Status status() const;
};

class PatternGuard {
 public:
  PatternGuard() = default;
  PatternGuard(const PatternGuard&) = delete;
  PatternGuard& operator=(const PatternGuard&) = delete;

  // Thresholds for one agreement (from its manifest). Agreements never set use the
  // host defaults (a default-constructed PatternGuardPolicy). Values below 1 disable the
  // rule they govern (window < 1 disables the three window rules).
  void setPolicy(std::string agreementId, const plugin::PatternGuardPolicy& policy);

  // Decides one attempt against what record() has seen. Does not remember the attempt,
  // except that a refusal overridden by release() consumes that release. Thread-safe.
  // A NIK that is not 16 digits is refused with "invalid_nik" (fail closed).
  Decision check(const Attempt& a);

  // Remembers an attempt that check() allowed and that went on to the registry (or was
  // otherwise let through). Thread-safe.
  void record(const Attempt& a);

  // A supervisor lets `operatorId`'s next refused lookup through, once. The caller has
  // checked the supervisor's role and audits the release. Refuses with "release_invalid"
  // when the reason is blank or the supervisor is the operator. A second release before
  // the first is used replaces it.
  Status release(std::string_view operatorId, std::string_view supervisorId,
                 std::string_view reason);

 private:
  struct Entry {
    std::uint64_t value;  // the NIK as a number
    TimePoint time;
  };
  struct Window {
    std::deque<Entry> entries;  // oldest first, at most policy.window
  };
  struct OperatorState {
    Window window;
    std::deque<TimePoint> lastMinute;  // times of lookups within the last 60 s
    bool hasLast = false;
    TimePoint last;
  };
  struct Release {
    std::string supervisorId;
    std::string reason;
  };
  struct PersonDay {
    int count = 0;
    std::vector<std::string> operators;  // distinct, small
  };
  struct AgreementState {
    plugin::PatternGuardPolicy policy;
    Window window;
    Date day;                                            // the Jakarta day `persons` counts
    std::unordered_map<std::string, PersonDay> persons;  // by NIK HMAC
  };

  AgreementState& agreement(std::string_view id);
  static const char* windowRules(const Window& w, std::uint64_t value,
                                 const plugin::PatternGuardPolicy& p, std::string& detail);

  std::mutex mu_;
  std::map<std::string, AgreementState, std::less<>> agreements_;
  std::map<std::string, OperatorState, std::less<>> operators_;
  std::map<std::string, Release, std::less<>> releases_;
};

}  // namespace gerbang::compliance
