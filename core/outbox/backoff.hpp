// Retry delays for balikan delivery: exponential backoff with full jitter (AWS Architecture
// Blog, "Exponential Backoff And Jitter"): the n-th retry waits a uniformly random time in
// [0, min(cap, base * 2^(n-1))). Full jitter spreads the retries of many hosts (every agency
// behind one registry office) instead of making them arrive together after an outage.
#pragma once

#include <chrono>
#include <functional>

namespace gerbang::outbox {

struct BackoffPolicy {
  std::chrono::milliseconds base{2000};
  std::chrono::milliseconds cap{std::chrono::minutes{30}};
};

// A source of uniform random numbers in [0, 1). Injectable so tests fix the sequence.
using UniformRandom = std::function<double()>;

// The default source: a std::mt19937_64 seeded from std::random_device, thread-safe.
UniformRandom systemRandom();

// The delay before retry number `attempt` (1 = the first retry): uniform in
// [0, min(cap, base * 2^(attempt-1))). attempt < 1 counts as 1. Never negative, never above
// the cap.
std::chrono::microseconds backoffDelay(const BackoffPolicy& policy, int attempt,
                                       const UniformRandom& random);

}  // namespace gerbang::outbox
