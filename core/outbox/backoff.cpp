#include "core/outbox/backoff.hpp"

#include <algorithm>
#include <memory>
#include <mutex>
#include <random>

namespace gerbang::outbox {

UniformRandom systemRandom() {
  struct State {
    std::mutex mu;
    std::mt19937_64 gen{std::random_device{}()};
  };
  auto state = std::make_shared<State>();
  return [state] {
    std::lock_guard lock(state->mu);
    return std::uniform_real_distribution<double>(0.0, 1.0)(state->gen);
  };
}

std::chrono::microseconds backoffDelay(const BackoffPolicy& policy, int attempt,
                                       const UniformRandom& random) {
  using std::chrono::microseconds;
  const double base = double(std::chrono::duration_cast<microseconds>(policy.base).count());
  const double cap = double(std::chrono::duration_cast<microseconds>(policy.cap).count());
  // 2^(attempt-1) overflows nothing here: the exponent is clamped long before a double
  // loses the cap.
  const int exponent = std::clamp(attempt, 1, 62) - 1;
  const double ceiling = std::min(cap, base * double(1ull << exponent));
  double r = random ? random() : 0.0;
  r = std::clamp(r, 0.0, 1.0);
  double d = r * ceiling;
  if (d >= ceiling && ceiling > 0) d = ceiling - 1;  // the interval is half-open
  return microseconds{static_cast<long long>(std::max(0.0, d))};
}

}  // namespace gerbang::outbox
