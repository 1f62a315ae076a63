#include "core/outbox/backoff.hpp"

#include <gtest/gtest.h>

using namespace std::chrono;

namespace gerbang::outbox {
namespace {

TEST(BackoffTest, FullJitterScalesTheExponentialCeiling) {
  BackoffPolicy p{milliseconds{100}, seconds{10}};
  auto half = [] { return 0.5; };
  EXPECT_EQ(backoffDelay(p, 1, half), milliseconds{50});
  EXPECT_EQ(backoffDelay(p, 2, half), milliseconds{100});
  EXPECT_EQ(backoffDelay(p, 3, half), milliseconds{200});
  EXPECT_EQ(backoffDelay(p, 0, half), milliseconds{50});  // below 1 counts as the first
  auto zero = [] { return 0.0; };
  EXPECT_EQ(backoffDelay(p, 5, zero), microseconds{0});
}

TEST(BackoffTest, NeverReachesTheCeilingOrExceedsTheCap) {
  BackoffPolicy p{milliseconds{100}, seconds{10}};
  auto almostOne = [] { return 0.9999999; };
  EXPECT_LT(backoffDelay(p, 3, almostOne), milliseconds{400});
  EXPECT_GT(backoffDelay(p, 3, almostOne), milliseconds{399});
  EXPECT_LT(backoffDelay(p, 40, almostOne), seconds{10});
  EXPECT_LT(backoffDelay(p, 1000, [] { return 1.0; }), seconds{10});
}

TEST(BackoffTest, SystemRandomSpreadsRetriesOverTheWholeInterval) {
  BackoffPolicy p{seconds{1}, seconds{1}};
  UniformRandom r = systemRandom();
  microseconds lo = seconds{1}, hi{0};
  for (int i = 0; i < 2000; ++i) {
    microseconds d = backoffDelay(p, 1, r);
    ASSERT_GE(d, microseconds{0});
    ASSERT_LT(d, seconds{1});
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  // 2000 uniform draws: the extremes land in the outer 1% with overwhelming probability
  // (failure chance about 2e-9).
  EXPECT_LT(lo, milliseconds{10});
  EXPECT_GT(hi, milliseconds{990});
}

}  // namespace
}  // namespace gerbang::outbox
