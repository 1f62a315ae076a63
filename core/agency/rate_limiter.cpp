#include "core/agency/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace gerbang::agency {

RateLimiter::RateLimiter(const Clock& clock, int perMinute) : clock_(clock), perMinute_(perMinute) {
  if (perMinute < 1) throw std::invalid_argument("rate limit: per_minute must be at least 1");
}

std::optional<int> RateLimiter::take(const std::string& key) {
  const TimePoint now = clock_.now();
  const double perSecond = perMinute_ / 60.0;
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{double(perMinute_), now});
  Bucket& b = it->second;
  if (!fresh && now > b.at) {
    const double elapsed = std::chrono::duration<double>(now - b.at).count();
    b.tokens = std::min(double(perMinute_), b.tokens + elapsed * perSecond);
  }
  if (now > b.at) b.at = now;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return std::nullopt;
  }
  return std::max(1, int(std::ceil((1.0 - b.tokens) / perSecond)));
}

}  // namespace gerbang::agency
