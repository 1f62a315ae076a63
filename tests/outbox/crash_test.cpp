// The crash test (issue 6, "nothing lost, nothing twice"): N records accepted through the
// real intake, then the real `gerbang balikan deliver --once` delivering them to the
// data-balikan stand-in, killed with SIGKILL several times at random (seeded) moments and
// restarted until the outbox is empty. The stand-in runs in this process across every
// restart and must then hold each record exactly once. Afterwards no NIK remains in the
// store: the SQLite files (database, -wal, -shm), the logs and the configuration are
// scanned byte for byte; on PostgreSQL every payload must be empty.
#include "core/audit/nik_hmac.hpp"
#include "core/balikan/intake.hpp"
#include "core/obligation/obligation_repository.hpp"
#include "core/outbox/outbox_repository.hpp"
#include "core/plugin/manifest.hpp"
#include "sim/portal/balikan_receiver.hpp"
#include "tests/support/support.hpp"

#include <Poco/Data/Session.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

using namespace std::chrono;
namespace fs = std::filesystem;

namespace gerbang::outbox {
namespace {

constexpr const char* kAg = "karanganyar-ak1";
constexpr const char* kToken = "crash-test-token-91c2";
constexpr int kRecords = 500;
constexpr int kKills = 6;

std::string nik(int n) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04d", n);
  return std::string("331301570895") + buf;  // synthetic: invented people of province 33
}

plugin::BalikanPolicy policyOf(const std::string& agreement) {
  std::ifstream in(gerbang::testing::sourceDir() / "plugins" / agreement / "manifest.json");
  std::stringstream s;
  s << in.rdbuf();
  auto m = plugin::parseManifest(s.str());
  EXPECT_TRUE(m.ok());
  return m->balikan;
}

class CrashTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    port_ = receiver_.start();
    keyFile_ = dir_ / "master.key";
    {
      std::ofstream k(keyFile_);
      k << std::string(64, 'c') << "\n";
    }
    ::chmod(keyFile_.c_str(), 0600);
    config_ = dir_ / "gerbang.properties";
    std::ofstream f(config_);
    f << "plugins.dir = " << GERBANG_TEST_PLUGIN_DIR << "\n"
      << "store.uri = " << tdb_.uri() << "\n"
      << "log.dir = " << (dir_ / "log").string() << "\n"
      << "log.level = debug\n"
      << "audit.key_file = " << keyFile_.string() << "\n"
      << "balikan.url = http://127.0.0.1:" << port_ << "/balikan\n"
      << "balikan.token = " << kToken << "\n"
      << "balikan.batch_size = 10\n"
      << "balikan.gzip = auto\n"
      // Short lease and backoff so rows left 'sending' by a killed run are taken again soon.
      << "balikan.lease_seconds = 1\n"
      << "balikan.backoff_base_ms = 20\n"
      << "balikan.backoff_cap_ms = 200\n";
  }

  Poco::ProcessHandle launchDeliver(Poco::Pipe& out, Poco::Pipe& err) {
    std::vector<std::string> args = {"--config", config_.string(), "balikan", "deliver",
                                     "--once"};
    return Poco::Process::launch(GERBANG_EXE, args, dir_.path().string(), nullptr, &out, &err);
  }

  gerbang::testing::TempDir dir_;
  gerbang::testing::TestDatabase tdb_{GetParam(), dir_.path()};
  sim::portal::BalikanReceiver receiver_{kToken};
  int port_ = 0;
  fs::path keyFile_, config_;
};

TEST_P(CrashTest, KilledDuringDeliveryTheReceiverHoldsEveryRecordExactlyOnce) {
  std::vector<std::string> niks;
  {
    store::Database db(tdb_.config());
    audit::NikHasher hasher = audit::NikHasher::fromKeyFile(keyFile_);
    obligation::ObligationRepository obligations(db);
    OutboxRepository outbox(db);
    SystemClock clock;
    balikan::IntakeService intake(obligations, outbox, hasher, clock);
    intake.addAgreement(kAg, policyOf(kAg));
    for (int i = 1; i <= kRecords; ++i) {
      niks.push_back(nik(i));
      ASSERT_TRUE(obligations
                      .open(kAg, *hasher.hash(kAg, nik(i)), obligation::Source::kLookup,
                            clock.now(), 30)
                      .ok());
      auto a = intake.acceptFields(
          kAg, {{"nik", nik(i)}, {"nomor_register", "AK1-3313-202501-" + std::to_string(100000 + i)},
                {"jenis_usaha", "Warung makan"}, {"class_usaha", "mikro"}});
      ASSERT_TRUE(a.ok()) << a.error().message;
    }
    ASSERT_EQ(outbox.counts(kAg)->pending, kRecords);
  }

  std::mt19937 rng(20261123u + unsigned(GetParam()));
  std::uniform_int_distribution<int> killAfterMs(0, 15);
  int kills = 0;
  int killsMidway = 0;  // kills that left records undelivered: the crash hit a delivery
  for (int run = 0; run < 200; ++run) {
    Poco::Pipe out, err;
    Poco::ProcessHandle ph = launchDeliver(out, err);
    std::string outText, errText;
    std::thread drainErr([&] {
      Poco::PipeInputStream in(err);
      Poco::StreamCopier::copyToString(in, errText);
    });
    std::thread drainOut([&] {
      Poco::PipeInputStream in(out);
      Poco::StreamCopier::copyToString(in, outText);
    });
    const bool kill = kills < kKills;
    if (kill) {
      // Kill while it delivers: once its first request reached the stand-in, after a
      // random further moment.
      const long before = receiver_.counts().requests;
      for (int i = 0; i < 20000 && receiver_.counts().requests == before; ++i)
        std::this_thread::sleep_for(microseconds(500));
      std::this_thread::sleep_for(milliseconds(killAfterMs(rng)));
      Poco::Process::kill(ph);  // SIGKILL: no destructor, no flush, no rollback by us
      ++kills;
    }
    int code = ph.wait();
    drainErr.join();
    drainOut.join();
    if (!kill && code != 0) {
      ADD_FAILURE() << "deliver exited " << code << ": " << errText;
      break;
    }
    store::Database db(tdb_.config());
    OutboxRepository outbox(db);
    auto c = outbox.counts(kAg);
    ASSERT_TRUE(c.ok());
    if (kill && c->delivered < kRecords) ++killsMidway;
    if (!kill && c->delivered == kRecords) break;
    // Rows a killed run left 'sending' wait for their lease (1 s) to end.
    if (!kill) std::this_thread::sleep_for(milliseconds(300));
  }
  // One more pass after everything is delivered: it must find nothing to send.
  {
    Poco::Pipe out, err;
    Poco::ProcessHandle ph = launchDeliver(out, err);
    std::string outText;
    std::thread drainErr([&] {
      Poco::PipeInputStream in(err);
      std::string ignored;
      Poco::StreamCopier::copyToString(in, ignored);
    });
    Poco::PipeInputStream in(out);
    Poco::StreamCopier::copyToString(in, outText);
    drainErr.join();
    EXPECT_EQ(ph.wait(), 0);
    EXPECT_NE(outText.find("Terkirim: 0,"), std::string::npos) << outText;
  }

  sim::portal::BalikanCounts held = receiver_.counts();
  EXPECT_EQ(kills, kKills);
  EXPECT_GE(killsMidway, kKills / 2) << "the kills must interrupt deliveries";
  EXPECT_EQ(held.records, kRecords) << "the receiver must hold each record exactly once";
  EXPECT_EQ(held.perAgency.size(), 1u);
  {
    store::Database db(tdb_.config());
    OutboxRepository outbox(db);
    auto c = outbox.counts(kAg);
    EXPECT_EQ(c->delivered, kRecords);
    EXPECT_EQ(c->pending + c->sending + c->failed, 0);
    obligation::ObligationRepository obligations(db);
    SystemClock clock;
    auto oc = obligations.counts(kAg, clock.today());
    EXPECT_EQ(oc->open, 0);
    // A kill between the outbox receipt and the obligation update can leave an obligation
    // "fulfilled"; every other one follows its record to "delivered".
    EXPECT_EQ(oc->fulfilled + oc->delivered, kRecords);
    EXPECT_GE(oc->delivered, kRecords - kKills * 20);

    // After acknowledgement no NIK remains in the outbox payloads.
    Poco::Data::Session s = db.session();
    std::vector<std::string> payloads;
    s << "SELECT payload FROM outbox", Poco::Data::Keywords::into(payloads),
        Poco::Data::Keywords::now;
    ASSERT_EQ(payloads.size(), size_t(kRecords));
    for (const std::string& p : payloads) ASSERT_EQ(p, "");
  }
  // ... nor anywhere in the files: the SQLite database and its -wal/-shm, logs, config.
  auto hits = gerbang::testing::scanFiles(dir_.path(), niks);
  for (const auto& h : hits) ADD_FAILURE() << h.file << " still holds a NIK";
}

INSTANTIATE_TEST_SUITE_P(Backends, CrashTest,
                         ::testing::ValuesIn(gerbang::testing::storeBackends()),
                         [](const auto& info) { return gerbang::testing::backendName(info.param); });

}  // namespace
}  // namespace gerbang::outbox
