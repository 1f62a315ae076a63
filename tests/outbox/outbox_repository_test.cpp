// OutboxRepository on both store backends: idempotent enqueue, leases, the receipt that
// replaces the payload, retries and permanent failures.
#include "core/outbox/outbox_repository.hpp"

#include "tests/support/support.hpp"

#include <gtest/gtest.h>

using namespace std::chrono;

namespace gerbang::outbox {
namespace {

constexpr const char* kAg = "purbalingga-dinnaker";
// Synthetic NIK of an invented person (province 33), as it sits in a payload.
constexpr const char* kNik = "3303015708950007";

std::string key(int n) {
  std::string k = std::to_string(n);
  return std::string(64 - k.size(), 'a') + k;
}
std::string payload() {
  return std::string("{\"NIK\":\"") + kNik + "\",\"param\":[{\"jenis_pelatihan\":\"Menjahit\"}]}";
}

class OutboxRepositoryTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  gerbang::testing::TempDir dir_;
  gerbang::testing::TestDatabase tdb_{GetParam(), dir_.path()};
  FixedClock clock_{Date(2026, 11, 23)};
};

TEST_P(OutboxRepositoryTest, EnqueueIsIdempotentPerKey) {
  store::Database db(tdb_.config());
  OutboxRepository repo(db);
  auto a = repo.enqueue(kAg, key(1), payload(), clock_.now());
  ASSERT_TRUE(a.ok()) << a.error().detail;
  EXPECT_TRUE(a->created);
  EXPECT_EQ(a->item.status, ItemStatus::kPending);
  auto b = repo.enqueue(kAg, key(1), payload(), clock_.now());
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(b->created);
  EXPECT_EQ(b->item.id, a->item.id);
  EXPECT_EQ(repo.counts(kAg)->pending, 1);
}

TEST_P(OutboxRepositoryTest, RefusesAKeyThatIsNotADigestAndAnEmptyPayload) {
  store::Database db(tdb_.config());
  OutboxRepository repo(db);
  // A NIK must never become the key.
  auto r = repo.enqueue(kAg, kNik, payload(), clock_.now());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "invalid_outbox_item");
  EXPECT_EQ(r.error().message.find(kNik), std::string::npos);
  EXPECT_FALSE(repo.enqueue(kAg, key(2), "", clock_.now()).ok());
  EXPECT_FALSE(repo.enqueue("", key(3), payload(), clock_.now()).ok());
}

TEST_P(OutboxRepositoryTest, AClaimLeasesRowsSoASecondClaimGetsNothingUntilTheLeaseEnds) {
  store::Database db(tdb_.config());
  OutboxRepository repo(db);
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(repo.enqueue(kAg, key(i), payload(), clock_.now()).ok());
  auto first = repo.claim(kAg, 3, clock_.now(), seconds{60});
  ASSERT_TRUE(first.ok()) << first.error().detail;
  ASSERT_EQ(first->size(), 3u);
  EXPECT_EQ((*first)[0].key, key(1));
  EXPECT_EQ((*first)[0].payload, payload());
  EXPECT_EQ((*first)[0].attempts, 1);
  auto second = repo.claim(kAg, 10, clock_.now(), seconds{60});
  ASSERT_EQ(second->size(), 2u);  // only the two unclaimed ones
  EXPECT_TRUE(repo.claim(kAg, 10, clock_.now(), seconds{60})->empty());
  EXPECT_EQ(repo.counts(kAg)->sending, 5);

  // A crashed worker never settles its rows: after the lease they are claimed again.
  clock_.advance(seconds{61});
  auto again = repo.claim(kAg, 10, clock_.now(), seconds{60});
  ASSERT_EQ(again->size(), 5u);
  EXPECT_EQ((*again)[0].attempts, 2);
}

TEST_P(OutboxRepositoryTest, ClaimFiltersByAgreementOrTakesAll) {
  store::Database db(tdb_.config());
  OutboxRepository repo(db);
  ASSERT_TRUE(repo.enqueue(kAg, key(1), payload(), clock_.now()).ok());
  ASSERT_TRUE(repo.enqueue("karanganyar-ak1", key(2), payload(), clock_.now()).ok());
  EXPECT_EQ(*repo.agreementsWithWork(),
            (std::vector<std::string>{"karanganyar-ak1", "purbalingga-dinnaker"}));
  EXPECT_EQ(repo.claim("karanganyar-ak1", 10, clock_.now(), seconds{1})->size(), 1u);
  EXPECT_EQ(repo.claim("", 10, clock_.now(), seconds{1})->size(), 1u);
}

TEST_P(OutboxRepositoryTest, DeliveredKeepsAReceiptAndErasesThePayload) {
  store::Database db(tdb_.config());
  OutboxRepository repo(db);
  ASSERT_TRUE(repo.enqueue(kAg, key(1), payload(), clock_.now()).ok());
  auto c = repo.claim(kAg, 1, clock_.now(), seconds{60});
  ASSERT_EQ(c->size(), 1u);
  clock_.advance(seconds{2});
  auto done = repo.markDelivered({(*c)[0].id}, "Success", clock_.now());
  ASSERT_TRUE(done.ok()) << done.error().detail;
  EXPECT_EQ(done->size(), 1u);
  // Only a row still 'sending' changes: a second acknowledgement is a no-op.
  EXPECT_TRUE(repo.markDelivered({(*c)[0].id}, "Success", clock_.now())->empty());

  auto item = repo.findByKey(key(1));
  ASSERT_TRUE(item.ok() && item->has_value());
  EXPECT_EQ((*item)->status, ItemStatus::kDelivered);
  EXPECT_EQ((*item)->receipt, "Success");
  ASSERT_TRUE((*item)->deliveredAt.has_value());
  EXPECT_EQ(*(*item)->deliveredAt, clock_.now());
  EXPECT_EQ(repo.counts(kAg)->delivered, 1);

  // The payload column itself is empty: the NIK is gone from the table.
  Poco::Data::Session s = db.session();
  std::string stored;
  s << db.sql("SELECT payload FROM outbox WHERE idem_key = ?"), Poco::Data::Keywords::bind(key(1)),
      Poco::Data::Keywords::into(stored), Poco::Data::Keywords::now;
  EXPECT_EQ(stored, "");
  EXPECT_TRUE(repo.claim(kAg, 10, clock_.now() + hours{1}, seconds{60})->empty());
}

TEST_P(OutboxRepositoryTest, RetryMakesARowDueLaterAndFailedStopsIt) {
  store::Database db(tdb_.config());
  OutboxRepository repo(db);
  ASSERT_TRUE(repo.enqueue(kAg, key(1), payload(), clock_.now()).ok());
  ASSERT_TRUE(repo.enqueue(kAg, key(2), payload(), clock_.now()).ok());
  auto c = repo.claim(kAg, 2, clock_.now(), seconds{60});
  ASSERT_EQ(c->size(), 2u);
  ASSERT_TRUE(repo.markRetry((*c)[0].id, clock_.now() + seconds{30}, "HTTP 503").ok());
  ASSERT_TRUE(repo.markFailed((*c)[1].id, "Format data tidak valid").ok());
  EXPECT_TRUE(repo.claim(kAg, 10, clock_.now() + seconds{29}, seconds{60})->empty());
  auto later = repo.claim(kAg, 10, clock_.now() + seconds{30}, seconds{60});
  ASSERT_EQ(later->size(), 1u);
  EXPECT_EQ((*later)[0].key, key(1));
  EXPECT_EQ((*later)[0].attempts, 2);
  auto list = repo.list(kAg);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].lastError, "HTTP 503");
  EXPECT_EQ((*list)[1].status, ItemStatus::kFailedPermanent);
  EXPECT_EQ((*list)[1].lastError, "Format data tidak valid");
  EXPECT_TRUE((*list)[0].payload.empty());  // list() never returns payloads
  EXPECT_EQ(repo.counts(kAg)->failed, 1);
}

TEST_P(OutboxRepositoryTest, SurvivesReopeningTheStore) {
  {
    store::Database db(tdb_.config());
    OutboxRepository repo(db);
    ASSERT_TRUE(repo.enqueue(kAg, key(1), payload(), clock_.now()).ok());
    ASSERT_EQ(repo.claim(kAg, 1, clock_.now(), seconds{5})->size(), 1u);
  }
  store::Database db(tdb_.config());
  OutboxRepository repo(db);
  EXPECT_EQ(repo.counts(kAg)->sending, 1);
  auto c = repo.claim(kAg, 1, clock_.now() + seconds{5}, seconds{5});
  ASSERT_EQ(c->size(), 1u);
  EXPECT_EQ((*c)[0].payload, payload());
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxRepositoryTest,
                         ::testing::ValuesIn(gerbang::testing::storeBackends()),
                         [](const auto& info) { return gerbang::testing::backendName(info.param); });

}  // namespace
}  // namespace gerbang::outbox
