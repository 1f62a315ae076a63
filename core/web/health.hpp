// /healthz: named checks registered by the modules (store, clock here; audit chain head,
// portal reachable, readers, agreements valid by their owners), run on each request.
#pragma once

#include "core/common/clock.hpp"
#include "core/store/database.hpp"

#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace gerbang::web {

enum class HealthState { kOk, kDegraded, kFail };
const char* healthStateName(HealthState s);  // "ok", "degraded", "fail"

// One check's answer. `detail` is for operators and monitoring: short, never a secret or
// personal data.
struct HealthResult {
  HealthState state = HealthState::kOk;
  std::string detail;
};

// A check must be quick and thread-safe; an exception counts as kFail with its message.
using HealthCheck = std::function<HealthResult()>;

class HealthRegistry {
 public:
  // Registers a check. Throws std::invalid_argument if the name is taken or not
  // [a-z0-9_]+.
  void add(const std::string& name, HealthCheck check);

  struct Report {
    HealthState overall = HealthState::kOk;                    // the worst of the checks
    std::vector<std::pair<std::string, HealthResult>> checks;  // in registration order
  };
  Report run() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<std::string, HealthCheck>> checks_;
};

// The store answers a trivial query.
HealthCheck storeHealthCheck(store::Database& db);

// The clock the host runs on is plausible: kFail before `floor` (agreement days and quota
// days would be wrong), kDegraded when it differs from `reference` (the system clock in
// production) by more than `tolerance`, as in a demo with a fixed "today".
HealthCheck clockHealthCheck(const Clock& clock, const Clock& reference, Date floor,
                             std::chrono::seconds tolerance = std::chrono::seconds{300});

}  // namespace gerbang::web
