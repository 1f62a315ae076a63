#include "core/obligation/obligation_repository.hpp"

#include "core/audit/nik_hmac.hpp"
#include "tests/support/support.hpp"

#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

using namespace std::chrono;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

namespace gerbang::obligation {
namespace {

constexpr const char* kPbg = "purbalingga-dinnaker";

class ObligationTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  // Synthetic NIKs become HMACs before they reach the repository, as in the host.
  std::string person(int n) {
    return *hasher_.hash(kPbg, "33030155059900" + std::to_string(10 + n));
  }
  gerbang::testing::TempDir dir_;
  gerbang::testing::TestDatabase tdb_{GetParam(), dir_.path()};
  FixedClock clock_{Date(2026, 11, 23)};
  audit::NikHasher hasher_{std::string(32, '\x17')};
};

TEST_P(ObligationTest, OpensOncePerPersonAndKeepsTheEarliest) {
  store::Database db(tdb_.config());
  ObligationRepository repo(db);
  auto first = repo.open(kPbg, person(1), Source::kLookup, clock_.now(), 30);
  ASSERT_TRUE(first.ok()) << first.error().detail;
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->due, Date(2026, 12, 23));
  EXPECT_EQ(first->status, ObligationStatus::kOpen);

  clock_.advance(hours{24 * 3});
  auto again = repo.open(kPbg, person(1), Source::kCard, clock_.now(), 30);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(again->due, Date(2026, 12, 23));  // the earliest due date stands
  EXPECT_EQ(again->source, Source::kLookup);
  EXPECT_EQ(repo.counts(kPbg, clock_.today())->open, 1);
}

TEST_P(ObligationTest, DueDayIsAJakartaDayPlusThePluginsDueDays) {
  store::Database db(tdb_.config());
  ObligationRepository repo(db);
  // 17:30 UTC on the 23rd is 00:30 WIB on the 24th.
  TimePoint late =
      time_point_cast<microseconds>(sys_days{year{2026} / 11 / 23} + hours{17} + minutes{30});
  auto o = repo.open(kPbg, person(2), Source::kCard, late, 14);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->due, Date(2026, 12, 8));
  EXPECT_EQ(o->source, Source::kCard);
  EXPECT_EQ(o->openedAt, late);
}

TEST_P(ObligationTest, CloseNeedsAnAccessedPerson) {
  store::Database db(tdb_.config());
  ObligationRepository repo(db);
  EXPECT_FALSE(*repo.exists(kPbg, person(3)));
  Status never = repo.close(kPbg, person(3), "blk-1", clock_.now());
  ASSERT_FALSE(never.ok());
  EXPECT_EQ(never.error().code, "obligation_not_found");

  ASSERT_TRUE(repo.open(kPbg, person(3), Source::kLookup, clock_.now(), 30).ok());
  EXPECT_TRUE(*repo.exists(kPbg, person(3)));
  EXPECT_FALSE(*repo.exists("karanganyar-ak1", person(3)));  // per agreement
  ASSERT_TRUE(repo.close(kPbg, person(3), "blk-1", clock_.now()).ok());
  Status twice = repo.close(kPbg, person(3), "blk-2", clock_.now());
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, "obligation_not_open");
  EXPECT_TRUE(*repo.exists(kPbg, person(3)));  // still accessed, for later balikan checks
}

TEST_P(ObligationTest, AccessAfterFulfilmentOpensANewObligation) {
  store::Database db(tdb_.config());
  ObligationRepository repo(db);
  auto a = *repo.open(kPbg, person(4), Source::kLookup, clock_.now(), 30);
  ASSERT_TRUE(repo.close(kPbg, person(4), "blk-4", clock_.now()).ok());
  clock_.advance(hours{24 * 40});
  auto b = repo.open(kPbg, person(4), Source::kLookup, clock_.now(), 30);
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->created);
  EXPECT_NE(b->id, a.id);
  auto c = *repo.counts(kPbg, clock_.today());
  EXPECT_EQ(c.open, 1);
  EXPECT_EQ(c.fulfilled, 1);
}

TEST_P(ObligationTest, CountsOpenOverdueFulfilledDelivered) {
  store::Database db(tdb_.config());
  ObligationRepository repo(db);
  const Date day0 = clock_.today();
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(repo.open(kPbg, person(10 + i), Source::kLookup, clock_.now(), 30).ok());
  ASSERT_TRUE(repo.open("jabar-disnakertrans", person(10), Source::kLookup, clock_.now(), 30).ok());
  ASSERT_TRUE(repo.close(kPbg, person(10), "blk-a", clock_.now()).ok());
  ASSERT_TRUE(repo.close(kPbg, person(11), "blk-b", clock_.now()).ok());
  ASSERT_TRUE(repo.markDelivered(kPbg, "blk-a", clock_.now()).ok());
  EXPECT_EQ(repo.markDelivered(kPbg, "blk-a", clock_.now()).error().code, "obligation_not_found");

  auto onDue = *repo.counts(kPbg, day0.addDays(30));  // due today: not overdue yet
  EXPECT_EQ(onDue.open, 3);
  EXPECT_EQ(onDue.overdue, 0);
  EXPECT_EQ(onDue.fulfilled, 1);
  EXPECT_EQ(onDue.delivered, 1);
  auto after = *repo.counts(kPbg, day0.addDays(31));
  EXPECT_EQ(after.overdue, 3);
  EXPECT_EQ(repo.counts("jabar-disnakertrans", day0)->open, 1);

  ObligationQuery overdue{kPbg, std::nullopt, day0.addDays(31), 100};
  auto list = *repo.list(overdue);
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].nikHmac, person(12));
  ObligationQuery delivered{kPbg, ObligationStatus::kDelivered, std::nullopt, 100};
  auto d = *repo.list(delivered);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].balikanRecordId, "blk-a");
  EXPECT_EQ(repo.list(ObligationQuery{kPbg, std::nullopt, std::nullopt, 0}).error().code,
            "invalid_query");
}

// Several hosts opening the same person at once still leave one open obligation.
TEST_P(ObligationTest, ConcurrentOpensFromTwoHostsKeepOne) {
  store::Database dbA(tdb_.config());
  ObligationRepository repoA(dbA);
  store::Database dbB(tdb_.config());
  ObligationRepository repoB(dbB);
  std::atomic<int> created{0}, failed{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < 8; ++t)
    ts.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        auto r =
            (t % 2 ? repoA : repoB).open(kPbg, person(20 + i), Source::kLookup, clock_.now(), 30);
        if (!r.ok())
          ++failed;
        else if (r->created)
          ++created;
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(created.load(), 10);
  EXPECT_EQ(repoA.counts(kPbg, clock_.today())->open, 10);
}

TEST_P(ObligationTest, RefusesAnythingButTheHmac) {
  store::Database db(tdb_.config());
  ObligationRepository repo(db);
  auto r = repo.open(kPbg, "3303015505990011", Source::kLookup, clock_.now(), 30);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "invalid_nik_hmac");
  EXPECT_EQ(r.error().detail.find("3303015505990011"), std::string::npos);
  EXPECT_EQ(repo.exists(kPbg, "3303015505990011").error().code, "invalid_nik_hmac");
  EXPECT_EQ(repo.open("", person(1), Source::kLookup, clock_.now(), 30).error().code,
            "invalid_obligation");
  EXPECT_EQ(repo.open(kPbg, person(1), Source::kLookup, clock_.now(), -1).error().code,
            "invalid_obligation");
  EXPECT_EQ(repo.close(kPbg, person(1), "", clock_.now()).error().code, "invalid_obligation");
  auto s = db.session();
  int n = -1;
  s << "SELECT COUNT(*) FROM obligation", into(n), now;
  EXPECT_EQ(n, 0);
}

TEST_P(ObligationTest, SurvivesRestart) {
  {
    store::Database db(tdb_.config());
    ObligationRepository repo(db);
    ASSERT_TRUE(repo.open(kPbg, person(5), Source::kLookup, clock_.now(), 30).ok());
  }
  store::Database db(tdb_.config());
  ObligationRepository repo(db);
  EXPECT_TRUE(*repo.exists(kPbg, person(5)));
  EXPECT_FALSE(repo.open(kPbg, person(5), Source::kLookup, clock_.now(), 30)->created);
}

TEST_P(ObligationTest, StoreFailureIsReported) {
  store::Database db(tdb_.config());
  ObligationRepository repo(db);
  {
    auto s = db.session();
    s << "DROP TABLE obligation", now;
  }
  auto r = repo.open(kPbg, person(6), Source::kLookup, clock_.now(), 30);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "store_unavailable");
  EXPECT_EQ(repo.exists(kPbg, person(6)).error().code, "store_unavailable");
}

INSTANTIATE_TEST_SUITE_P(Backends, ObligationTest,
                         ::testing::ValuesIn(gerbang::testing::storeBackends()),
                         [](const auto& info) {
                           return gerbang::testing::backendName(info.param);
                         });

}  // namespace
}  // namespace gerbang::obligation
