// Delivery from the outbox to the data-balikan stand-in (sim/portal/balikan_receiver) on
// loopback, on both store backends: success, the duplicate answer, 500 then success after
// the backoff, a reset, an answer lost after storing, gzip on/off/auto, a wrong token, a
// record the service refuses.
#include "core/outbox/deliverer.hpp"
#include "core/outbox/delivery_client.hpp"
#include "core/outbox/outbox_repository.hpp"
#include "sim/portal/balikan_receiver.hpp"
#include "tests/support/support.hpp"

#include <gtest/gtest.h>

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include <map>
#include <thread>

using namespace std::chrono;

namespace gerbang::outbox {
namespace {

constexpr const char* kAg = "karanganyar-ak1";
constexpr const char* kToken = "test-balikan-token-7f3a";

// Synthetic NIKs (province 33, invented people).
std::string nik(int n) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04d", n);
  return std::string("331301570895") + buf;
}
std::string payload(int n) {
  return "{\"NIK\":\"" + nik(n) + "\",\"param\":[{\"nomor_register\":\"AK1-3313-202501-" +
         std::to_string(100000 + n) + "\"}]}";
}
std::string key(int n) {
  std::string k = std::to_string(n);
  return std::string(64 - k.size(), 'b') + k;
}

class DeliveryTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override { port_ = receiver_.start(); }

  DeliveryConfig config(GzipMode gzip = GzipMode::kOff, int batch = 10) const {
    DeliveryConfig c;
    c.url = "http://127.0.0.1:" + std::to_string(port_) + "/balikan";
    c.token = kToken;
    c.idLembaga = "LMB-3313-AK1";
    c.namaLembaga = "Dinas Tenaga Kerja Kabupaten Karanganyar";
    c.gzip = gzip;
    c.batchSize = batch;
    c.readTimeoutMs = 5000;
    return c;
  }
  void enqueue(OutboxRepository& repo, int from, int to) {
    for (int i = from; i <= to; ++i)
      ASSERT_TRUE(repo.enqueue(kAg, key(i), payload(i), clock_.now()).ok());
  }
  Deliverer deliverer(OutboxRepository& repo, DeliveryClient& client) {
    DelivererOptions o;
    o.lease = seconds{30};
    o.backoff = {seconds{2}, minutes{10}};
    return Deliverer(
        repo, clock_, [&client](const std::string&) -> DeliveryClient& { return client; },
        [] { return 0.5; }, o,
        [this](const std::string&, const std::string& k) { acknowledged_.push_back(k); });
  }

  gerbang::testing::TempDir dir_;
  gerbang::testing::TestDatabase tdb_{GetParam(), dir_.path()};
  FixedClock clock_{Date(2026, 11, 23)};
  sim::portal::BalikanReceiver receiver_{kToken};
  int port_ = 0;
  std::vector<std::string> acknowledged_;
};

TEST_P(DeliveryTest, DeliversInBatchesAndKeepsReceipts) {
  store::Database db(tdb_.config());
  OutboxRepository repo(db);
  enqueue(repo, 1, 25);
  DeliveryClient client(config(GzipMode::kOff, 10));
  auto d = deliverer(repo, client);
  auto r = d.deliverDue();
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(r->delivered, 25u);
  EXPECT_EQ(r->requests, 3u);  // 10 + 10 + 5
  EXPECT_EQ(receiver_.counts().records, 25);
  EXPECT_EQ(receiver_.counts().perAgency.at("LMB-3313-AK1"), 25);
  EXPECT_EQ(repo.counts(kAg)->delivered, 25);
  EXPECT_EQ(acknowledged_.size(), 25u);
  auto item = repo.findByKey(key(7));
  EXPECT_EQ((*item)->receipt, "Success");
}

TEST_P(DeliveryTest, TheDuplicateAnswerCountsAsDelivered) {
  // The receiver already holds records 1..5 (sent by a process that died before recording
  // the acknowledgement).
  {
    DeliveryClient first(config());
    std::vector<std::string> p;
    for (int i = 1; i <= 5; ++i) p.push_back(payload(i));
    ASSERT_EQ(first.send(p).kind, SendOutcome::Kind::kDelivered);
  }
  store::Database db(tdb_.config());
  OutboxRepository repo(db);
  enqueue(repo, 1, 8);
  DeliveryClient client(config(GzipMode::kOff, 8));
  auto d = deliverer(repo, client);
  auto r = d.deliverDue();
  ASSERT_TRUE(r.ok());
  // The batch answer "Data sudah pernah dikirim" cannot say which records: each is settled
  // on its own, and every one ends delivered; the receiver holds each exactly once.
  EXPECT_EQ(r->delivered + r->duplicates, 8u);
  EXPECT_EQ(r->duplicates, 8u);  // the batch stored 6..8, so each alone is a duplicate
  EXPECT_EQ(repo.counts(kAg)->delivered, 8);
  EXPECT_EQ(receiver_.counts().records, 8);
  EXPECT_EQ((*repo.findByKey(key(1)))->receipt, "Data sudah pernah dikirim");
}

TEST_P(DeliveryTest, A500IsRetriedAfterTheBackoff) {
  store::Database db(tdb_.config());
  OutboxRepository repo(db);
  enqueue(repo, 1, 3);
  receiver_.addFault({sim::portal::BalikanFault::Kind::kHttp500, 1, 0});
  DeliveryClient client(config());
  auto d = deliverer(repo, client);
  auto r = d.deliverDue();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->retried, 3u);
  EXPECT_EQ(r->delivered, 0u);
  EXPECT_EQ(repo.counts(kAg)->pending, 3);
  EXPECT_EQ((*repo.list(kAg))[0].lastError, "Internal Server Error");
  // Full jitter with the injected 0.5: the first retry waits 0.5 * 2 s = 1 s.
  clock_.advance(milliseconds{999});
  EXPECT_EQ(d.deliverDue()->claimed, 0u);
  clock_.advance(milliseconds{1});
  r = d.deliverDue();
  EXPECT_EQ(r->delivered, 3u);
  EXPECT_EQ(receiver_.counts().records, 3);
  EXPECT_EQ((*repo.findByKey(key(1)))->attempts, 2);
}

TEST_P(DeliveryTest, AResetIsRetried) {
  store::Database db(tdb_.config());
  OutboxRepository repo(db);
  enqueue(repo, 1, 2);
  receiver_.addFault({sim::portal::BalikanFault::Kind::kReset, 1, 0});
  DeliveryClient client(config());
  auto d = deliverer(repo, client);
  EXPECT_EQ(d.deliverDue()->retried, 2u);
  EXPECT_EQ(receiver_.counts().records, 0);
  clock_.advance(seconds{1});
  EXPECT_EQ(d.deliverDue()->delivered, 2u);
  EXPECT_EQ(receiver_.counts().records, 2);
}

TEST_P(DeliveryTest, AnAnswerLostAfterStoringEndsAsDuplicateNotTwice) {
  store::Database db(tdb_.config());
  OutboxRepository repo(db);
  enqueue(repo, 1, 4);
  receiver_.addFault({sim::portal::BalikanFault::Kind::kDrop, 1, 0});
  DeliveryClient client(config());
  auto d = deliverer(repo, client);
  EXPECT_EQ(d.deliverDue()->retried, 4u);
  EXPECT_EQ(receiver_.counts().records, 4);  // stored, but the answer never came
  clock_.advance(seconds{1});
  auto r = d.deliverDue();
  EXPECT_EQ(r->duplicates, 4u);
  EXPECT_EQ(repo.counts(kAg)->delivered, 4);
  EXPECT_EQ(receiver_.counts().records, 4);
  EXPECT_EQ(receiver_.counts().duplicates, 4 + 4);  // the batch, then each record alone
}

TEST_P(DeliveryTest, GzipOnSendsCompressedBodiesThatAreSmaller) {
  store::Database db(tdb_.config());
  OutboxRepository repo(db);
  enqueue(repo, 1, 50);
  DeliveryClient client(config(GzipMode::kOn, 50));
  auto d = deliverer(repo, client);
  auto r = d.deliverDue();
  EXPECT_EQ(r->delivered, 50u);
  EXPECT_EQ(receiver_.counts().gzipRequests, 1);
  std::vector<std::string> all;
  for (int i = 1; i <= 50; ++i) all.push_back(payload(i));
  EXPECT_LT(r->bytesSent * 2, client.body(all).size());
}

TEST_P(DeliveryTest, GzipOffSendsPlainJson) {
  store::Database db(tdb_.config());
  OutboxRepository repo(db);
  enqueue(repo, 1, 5);
  DeliveryClient client(config(GzipMode::kOff, 5));
  auto d = deliverer(repo, client);
  auto r = d.deliverDue();
  EXPECT_EQ(r->delivered, 5u);
  EXPECT_EQ(receiver_.counts().gzipRequests, 0);
  std::vector<std::string> all;
  for (int i = 1; i <= 5; ++i) all.push_back(payload(i));
  EXPECT_EQ(r->bytesSent, client.body(all).size());
}

TEST_P(DeliveryTest, GzipAutoFallsBackWhenTheServiceAnswers415) {
  receiver_.setAcceptGzip(false);
  store::Database db(tdb_.config());
  OutboxRepository repo(db);
  enqueue(repo, 1, 6);
  DeliveryClient client(config(GzipMode::kAuto, 3));
  EXPECT_TRUE(client.compressing());
  auto d = deliverer(repo, client);
  auto r = d.deliverDue();
  EXPECT_EQ(r->delivered, 6u);
  EXPECT_FALSE(client.compressing());
  EXPECT_EQ(receiver_.counts().requests, 3);  // gzip refused once, then two plain batches
  EXPECT_EQ(receiver_.counts().records, 6);
}

TEST_P(DeliveryTest, AWrongTokenStoresNothingAndIsRetried) {
  store::Database db(tdb_.config());
  OutboxRepository repo(db);
  enqueue(repo, 1, 2);
  DeliveryConfig c = config();
  c.token = "wrong";
  DeliveryClient client(c);
  auto d = deliverer(repo, client);
  auto r = d.deliverDue();
  EXPECT_EQ(r->retried, 2u);
  EXPECT_EQ(receiver_.counts().records, 0);
  EXPECT_EQ(r->lastError, "Unauthorized");
  EXPECT_EQ(repo.counts(kAg)->pending, 2);
}

TEST_P(DeliveryTest, ARecordTheServiceRefusesFailsAloneAndTheOthersArrive) {
  store::Database db(tdb_.config());
  OutboxRepository repo(db);
  enqueue(repo, 1, 2);
  // A NIK of 15 digits: the service's schema check refuses it (the intake never queues such
  // a record; this stands for any record the service rejects).
  ASSERT_TRUE(repo.enqueue(kAg, key(3), "{\"NIK\":\"331301570895000\",\"param\":[{}]}",
                           clock_.now())
                  .ok());
  DeliveryClient client(config(GzipMode::kOff, 3));
  auto d = deliverer(repo, client);
  auto r = d.deliverDue();
  EXPECT_EQ(r->delivered, 2u);
  EXPECT_EQ(r->failed, 1u);
  auto bad = *repo.findByKey(key(3));
  EXPECT_EQ(bad->status, ItemStatus::kFailedPermanent);
  EXPECT_NE(bad->lastError.find("NIK harus 16 angka"), std::string::npos);
  EXPECT_EQ(receiver_.counts().records, 2);
}

TEST_P(DeliveryTest, TheWorkerDeliversWhenWoken) {
  store::Database db(tdb_.config());
  OutboxRepository repo(db);
  DeliveryClient client(config());
  auto d = deliverer(repo, client);
  DeliveryWorker worker(d, hours{1});
  worker.start();
  enqueue(repo, 1, 3);
  // Woken until it has delivered: each wake is one pass; no sleeping on the clock.
  for (int i = 0; i < 2000 && repo.counts(kAg)->delivered < 3; ++i) {
    worker.wake();
    std::this_thread::yield();
  }
  worker.stop();
  EXPECT_EQ(repo.counts(kAg)->delivered, 3);
  EXPECT_EQ(worker.totals().delivered, 3u);
}

TEST(DeliveryConfigTest, ReadsPerAgreementKeysWithGlobalFallbackAndRefusesGaps) {
  Poco::AutoPtr<Poco::Util::MapConfiguration> conf = new Poco::Util::MapConfiguration;
  EXPECT_THROW(DeliveryConfig::fromConfig(*conf, kAg, "X"), std::invalid_argument);
  conf->setString("balikan.url", "http://127.0.0.1:1/balikan");
  try {
    DeliveryConfig::fromConfig(*conf, kAg, "X");
    FAIL() << "no token accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("token"), std::string::npos);
  }
  conf->setString("balikan.token", "s3cret-token-value");
  conf->setString("agreement.karanganyar-ak1.balikan.batch_size", "250");
  conf->setString("agreement.karanganyar-ak1.balikan.id_lembaga", "LMB-1");
  auto c = DeliveryConfig::fromConfig(*conf, kAg, "Disnaker");
  EXPECT_EQ(c.batchSize, 250);
  EXPECT_EQ(c.idLembaga, "LMB-1");
  EXPECT_EQ(c.namaLembaga, "Disnaker");
  EXPECT_EQ(c.gzip, GzipMode::kAuto);
  conf->setString("balikan.gzip", "maybe");
  try {
    DeliveryConfig::fromConfig(*conf, kAg, "X");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).find("s3cret"), std::string::npos);
  }
  conf->setString("balikan.gzip", "off");
  conf->setString("balikan.url", "https://127.0.0.1:1/balikan");
  EXPECT_THROW(DeliveryClient{DeliveryConfig::fromConfig(*conf, kAg, "X")},
               std::invalid_argument);  // https without ca_file
}

TEST(RedactTest, LongDigitRunsAreRedacted) {
  EXPECT_EQ(redactDigits("NIK 3313015708950001 ditolak, kode 400"), "NIK [angka] ditolak, kode 400");
}

INSTANTIATE_TEST_SUITE_P(Backends, DeliveryTest,
                         ::testing::ValuesIn(gerbang::testing::storeBackends()),
                         [](const auto& info) { return gerbang::testing::backendName(info.param); });

}  // namespace
}  // namespace gerbang::outbox
