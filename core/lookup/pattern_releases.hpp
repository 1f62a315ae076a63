// Supervisor releases of the pattern guard, kept in the store (module "lookup").
//
// Juknis (every agreement): NIK entry must not be sequential, patterned or rapid. When the
// pattern guard refuses a lookup that is legitimate (a family registering together, a queue
// at the counter), a supervisor may let the operator's next refused lookup through, once,
// with a written reason. The release is recorded here by `gerbang pattern release` (or the
// web app) so that it reaches whichever process serves the operator's next lookup, and it
// is consumed by exactly one lookup (an atomic conditional update), then audited with it.
#pragma once

#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/store/database.hpp"

#include <Poco/Types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gerbang::lookup {

struct PatternRelease {
  Poco::Int64 id = 0;
  std::string operatorId;
  std::string supervisorId;
  std::string reason;
  TimePoint createdAt;
};

class PatternReleases {
 public:
  // Applies the "lookup" migrations. Throws std::runtime_error at startup when the store
  // cannot be migrated. `db` must outlive this object. Thread-safe.
  explicit PatternReleases(store::Database& db);

  // Records a pending release. A pending release of the same operator not yet used is
  // replaced (as PatternGuard::release does). The caller has checked the supervisor's role.
  // Errors: "release_invalid" (blank reason, over 500 characters, or supervisor ==
  // operator), "store_unavailable".
  Status add(std::string_view operatorId, std::string_view supervisorId, std::string_view reason,
             TimePoint at);

  // Takes (consumes) the operator's pending release, if any: at most one caller ever gets a
  // given release. nullopt when none is pending; "store_unavailable" on a store failure.
  Result<std::optional<PatternRelease>> take(std::string_view operatorId, TimePoint at);

  // Whether the operator has a release pending (for status displays).
  Result<bool> pending(std::string_view operatorId);

  // A recorded release and what became of it (the supervisor's list).
  struct Entry {
    enum class State { kPending, kUsed, kReplaced };  // replaced: a later release superseded it
    PatternRelease release;
    State state = State::kPending;
    std::optional<TimePoint> usedAt;  // when it was used or replaced
  };
  // Releases of the given operators, newest first, at most `limit` (1..1000); an empty
  // list of operators gives an empty answer. "store_unavailable" on a store failure.
  Result<std::vector<Entry>> list(const std::vector<std::string>& operatorIds, int limit) const;

 private:
  store::Database& db_;
};

}  // namespace gerbang::lookup
