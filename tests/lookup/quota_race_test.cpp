// Issue 4 "Done when": 16 threads x 200 attempts against a quota of 75 send exactly 75
// requests to the stand-in; after a restart the count is still 75; at 00:00 WIB it resets.
#include "tests/lookup/lookup_fixture.hpp"

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

namespace gerbang::lookup::testing {
namespace {

using sim::Resident;

class QuotaRaceTest : public LookupFixture {
 protected:
  // The race is about the quota, not the pattern guard: switch the guard's rules off for
  // Jawa Barat (values below 1 disable them) so every attempt reaches the quota step.
  void relaxGuard() {
    plugin::PatternGuardPolicy off;
    off.window = 0;
    off.minIntervalSeconds = 0;
    off.burstPerMinute = 0;
    off.repeatSamePersonPerDay = 0;
    off.operatorsSamePersonPerDay = 0;
    host_->service().patternGuard().setPolicy(kJabar, off);
  }
};

TEST_P(QuotaRaceTest, SixteenThreadsSendExactlyTheQuotaThenRestartThenReset) {
  relaxGuard();
  const auto niks = population().sample(Resident::Kind::kFound, 400);
  constexpr int kThreads = 16, kPerThread = 200;
  std::mutex mu;
  std::map<std::string, int> outcomes;
  std::atomic<int> minRemaining{1000};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      std::map<std::string, int> mine;
      for (int i = 0; i < kPerThread; ++i) {
        LookupAnswer a = lookup(kJabar, "op-jabar", niks[size_t(t * 25 + i) % niks.size()]);
        ++mine[a.outcome];
        if (a.outcome != "found" && a.outcome != "quota_exhausted") ++mine["why: " + a.detail];
        if (a.quotaRemaining) {
          int cur = minRemaining.load();
          while (*a.quotaRemaining < cur && !minRemaining.compare_exchange_weak(cur, *a.quotaRemaining)) {
          }
        }
      }
      std::lock_guard lock(mu);
      for (const auto& [k, v] : mine) outcomes[k] += v;
    });
  for (auto& t : threads) t.join();

  EXPECT_EQ(outcomes["found"], 75);
  EXPECT_EQ(outcomes["quota_exhausted"], kThreads * kPerThread - 75);
  std::string seen;
  for (const auto& [k, v] : outcomes) seen += k + "=" + std::to_string(v) + " ";
  EXPECT_EQ(outcomes.size(), 2u) << "unexpected outcomes: " << seen;
  EXPECT_EQ(minRemaining.load(), 0);
  EXPECT_EQ(simRequests("jabar-disnakertrans-01"), 75);
  EXPECT_EQ(simHits("jabar-disnakertrans-01"), 75);
  // Every attempt audited.
  auto head = host_->audit().head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, kThreads * kPerThread);

  // Restart: new Database, ledger, service (process-like). The count is still 75.
  build();
  relaxGuard();
  LookupAnswer after = lookup(kJabar, "op-jabar", niks[0]);
  EXPECT_EQ(after.outcome, "quota_exhausted");
  EXPECT_EQ(simRequests("jabar-disnakertrans-01"), 75);

  // 23:59:59 WIB is still the same day.
  clock_.set(Date(2026, 11, 24).jakartaStart() - std::chrono::seconds{1});
  EXPECT_EQ(lookup(kJabar, "op-jabar", niks[1]).outcome, "quota_exhausted");
  // 00:00 WIB = 17:00 UTC: a new quota day, here and at the stand-in.
  clock_.set(Date(2026, 11, 24).jakartaStart());
  sim_->post("/sim/clock", R"({"today":"2026-11-24"})");
  LookupAnswer next = lookup(kJabar, "op-jabar", niks[2]);
  EXPECT_EQ(next.outcome, "found") << next.message;
  EXPECT_EQ(next.quotaRemaining, std::optional<int>(74));
  EXPECT_EQ(simRequests("jabar-disnakertrans-01"), 76);
  auto verify = host_->audit().verify();
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok) << verify->message;
}

INSTANTIATE_TEST_SUITE_P(Backends, QuotaRaceTest,
                         ::testing::ValuesIn(gerbang::testing::storeBackends()),
                         [](const auto& i) { return gerbang::testing::backendName(i.param); });

}  // namespace
}  // namespace gerbang::lookup::testing
