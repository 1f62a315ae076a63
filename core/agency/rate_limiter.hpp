// A token bucket per key (account + agreement for the agency routes): `perMinute` calls
// may burst at once, then one more every 60/perMinute seconds. Time comes from the Clock,
// so tests move it instead of sleeping.
#pragma once

#include "core/common/clock.hpp"

#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace gerbang::agency {

class RateLimiter {
 public:
  // perMinute must be at least 1. `clock` must outlive the limiter.
  RateLimiter(const Clock& clock, int perMinute);

  // Takes one token for `key`: nullopt when allowed, otherwise the whole seconds (>= 1) to
  // wait before the next call would be allowed (the Retry-After value). Thread-safe.
  std::optional<int> take(const std::string& key);

  int perMinute() const { return perMinute_; }

 private:
  struct Bucket {
    double tokens;
    TimePoint at;
  };
  const Clock& clock_;
  int perMinute_;
  std::mutex mu_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace gerbang::agency
