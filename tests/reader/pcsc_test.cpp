// Reader tests against the real PC/SC stack: pcscd with the vpcd driver, and the virtual
// KTP-el (sim/vcard) in its two slots. They share one pcscd (RESOURCE_LOCK pcscd) and one
// of them kills and restarts it. In CI (CI=true) a missing pcscd or vpcd fails the tests;
// elsewhere they are skipped with the reason.
#include "core/reader/pcsc.hpp"
#include "core/reader/consent.hpp"
#include "core/reader/reader_service.hpp"
#include "core/reader/sam_registry.hpp"
#include "core/reader/test_sam_adapter.hpp"
#include "sim/population/population.hpp"
#include "sim/vcard/vcard.hpp"
#include "tests/support/support.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/Util/PropertyFileConfiguration.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <thread>

namespace gerbang::reader {
namespace {

namespace fs = std::filesystem;
using gerbang::testing::inCi;
using namespace std::chrono_literals;

fs::path sourceDir() { return GERBANG_READER_SOURCE_DIR; }

constexpr const char* kCardSlot = "Virtual PCD 00 00";
constexpr const char* kSamSlot = "Virtual PCD 00 01";
// Upper bound for pcscd to notice a change (it polls vpcd every 400 ms); a bound, not a
// timing assumption: the tests wait for the event itself.
constexpr auto kWait = 30s;
constexpr size_t kResident = 42;

bool startPcscd() {
  std::string cmd =
      "bash '" + (sourceDir() / "scripts" / "services.sh").string() + "' pcscd >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

std::optional<pid_t> pcscdPid() {
  std::ifstream in("/run/pcscd/pcscd.pid");
  long pid = 0;
  if (!(in >> pid) || pid <= 1) return std::nullopt;
  return pid_t(pid);
}

// Gone from the process table: a zombie still counts as running, because
// scripts/services.sh (pgrep -x pcscd) would then not start a new pcscd.
bool processGone(pid_t pid) { return !fs::exists("/proc/" + std::to_string(pid)); }

// Stops the pcscd the tests use (started by scripts/services.sh) and waits until it is gone.
bool stopPcscd() {
  auto pid = pcscdPid();
  if (!pid) return false;
  if (::kill(*pid, SIGTERM) != 0) return false;
  for (int i = 0; i < 300 && !processGone(*pid); ++i) std::this_thread::sleep_for(50ms);
  return processGone(*pid);
}

const sim::Population& population() {
  static const sim::Population p(sim::Wilayah::loadDefault(), sim::Population::kDefaultSeed, 2000);
  return p;
}

Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> testConfig() {
  return new Poco::Util::PropertyFileConfiguration(
      (sourceDir() / "sim" / "vcard" / "test-sam.properties").string());
}

PermittedFields purbalingga() {
  return {{"NIK", "NAMA_LGKP", "TMPT_LHR", "TGL_LHR", "JENIS_KLMIN", "STATUS_KAWIN", "JENIS_PKRJN",
           "ALAMAT"},
          {"ALAMAT", "NO_RT", "NO_RW", "KEC_NAME", "KEL_NAME", "KAB_NAME"}};
}

// Events from the watcher, waited for by predicate.
class EventLog {
 public:
  void push(const ReaderEvent& e) {
    std::lock_guard<std::mutex> lock(m_);
    events_.push_back(e);
    cv_.notify_all();
  }
  // Index of the first event at or after `from` of `type` (and `reader` when non-empty),
  // or -1 after kWait.
  int waitFor(ReaderEventType type, const std::string& reader, size_t from = 0) {
    std::unique_lock<std::mutex> lock(m_);
    int found = -1;
    cv_.wait_for(lock, kWait, [&] {
      for (size_t i = from; i < events_.size(); ++i)
        if (events_[i].type == type && (reader.empty() || events_[i].reader == reader)) {
          found = int(i);
          return true;
        }
      return false;
    });
    return found;
  }
  std::string dump() {
    std::lock_guard<std::mutex> lock(m_);
    std::string s;
    for (const auto& e : events_) s += std::string(toString(e.type)) + "(" + e.reader + ") ";
    return s;
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  std::vector<ReaderEvent> events_;
};

class PcscTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!startPcscd()) {
      why_ = "scripts/services.sh pcscd failed (is pcscd installed?)";
      return;
    }
    PcscService probe;
    auto names = probe.listReaders();
    if (!names) {
      why_ = "pcscd not reachable: " + names.error().detail;
      return;
    }
    auto has = [&](const char* n) {
      return std::find(names->begin(), names->end(), n) != names->end();
    };
    if (!has(kCardSlot) || !has(kSamSlot)) {
      why_ = "the vpcd slots are missing (install vsmartcard-vpcd; /etc/reader.conf.d/vpcd)";
      return;
    }
    why_.clear();
  }

  void SetUp() override {
    if (!why_.empty()) {
      if (inCi()) FAIL() << why_;
      GTEST_SKIP() << why_;
    }
    // A previous test's virtual card must have left both slots before this one's arrives,
    // or a stale "present" would be taken for the new card.
    ASSERT_TRUE(waitCard(kCardSlot, false)) << "card slot still occupied";
    ASSERT_TRUE(waitCard(kSamSlot, false)) << "SAM slot still occupied";
    auto cfg = testConfig();
    vcardConfig_ = vcard::VcardConfig::fromConfiguration(*cfg);
    readerConfig_ = ReaderConfig::fromConfiguration(*cfg);
    vcard_ = std::make_unique<vcard::VirtualKtpel>(vcardConfig_, population(), kResident);
    ASSERT_TRUE(waitCard(kSamSlot, true)) << "virtual SAM not seen by pcscd";
    service_ = std::make_unique<ReaderService>(pcsc_, adapter_, readerConfig_, clock_);
  }

  void TearDown() override {
    pcsc_.stopWatch();
    vcard_.reset();
  }

  bool waitCard(const char* slot, bool present, PcscService* svc = nullptr) {
    auto r = (svc ? *svc : pcsc_).waitForCard(slot, present, kWait);
    return r && *r;
  }

  void insertCard() {
    vcard_->insertCard();
    ASSERT_TRUE(waitCard(kCardSlot, true));
  }

  CardReadRequest request() const {
    return CardReadRequest{"purbalingga-dinnaker", purbalingga(),
                           AgreementTerm{Date(2027, 9, 16), true}};
  }

  void expectResidentFields(const CardRead& read) {
    sim::Resident r = population().at(kResident);
    EXPECT_EQ(read.fields.at("NIK"), r.nik);
    EXPECT_EQ(read.fields.at("NAMA_LGKP"), r.nama);
    EXPECT_EQ(read.fields.at("TGL_LHR"), r.tanggalLahir.dmy());
    EXPECT_EQ(read.fields.at("KEC_NAME"), r.kecName);
    EXPECT_EQ(read.fields.size(), 13u);
    for (const auto& [k, v] : read.fields) EXPECT_NE(v, r.agama) << k << " leaks agama";
  }

  static inline std::string why_ = "not initialised";
  vcard::VcardConfig vcardConfig_;
  ReaderConfig readerConfig_;
  std::unique_ptr<vcard::VirtualKtpel> vcard_;
  PcscService pcsc_{PcscOptions{1000ms, 200ms, 5000ms, 5000ms}};
  TestSamAdapter adapter_;
  FixedClock clock_{Date(2026, 11, 23)};
  std::unique_ptr<ReaderService> service_;
};

TEST_F(PcscTest, ListsTheTwoVpcdSlotsAndPairsThem) {
  auto names = pcsc_.listReaders();
  ASSERT_TRUE(names) << names.error().detail;
  EXPECT_NE(std::find(names->begin(), names->end(), kCardSlot), names->end());
  auto pair = service_->pair();
  ASSERT_TRUE(pair) << pair.error().detail;
  EXPECT_EQ(pair->contactless, kCardSlot);
  EXPECT_EQ(pair->sam, kSamSlot);
}

TEST_F(PcscTest, ReadsACardEndToEnd) {
  insertCard();
  auto read = service_->read(request());
  ASSERT_TRUE(read) << read.error().code << ": " << read.error().detail;
  expectResidentFields(*read);
  EXPECT_EQ(read->cardUid, toHex(vcard::uidFor(kResident)));
  EXPECT_EQ(read->samUid, "5A4D000100000001");
  // Another agreement, other permissions: only its elements.
  auto narrow = request();
  narrow.permitted = {{"NIK", "NAMA_LGKP"}, {}};
  auto read2 = service_->read(narrow);
  ASSERT_TRUE(read2) << read2.error().detail;
  EXPECT_EQ(read2->fields.size(), 2u);
  auto conn = pcsc_.connect(kCardSlot);
  ASSERT_TRUE(conn);
  EXPECT_EQ(toHex((*conn)->atr()), "3B80800101");
  EXPECT_EQ((*conn)->protocol(), Protocol::kT1);  // contactless ATR: T=1 as PC/SC part 3
  auto samConn = pcsc_.connect(kSamSlot);
  ASSERT_TRUE(samConn);
  EXPECT_EQ((*samConn)->protocol(), Protocol::kT0);  // the SAM's ATR offers T=0 only
}

TEST_F(PcscTest, CardRemovedMidReadIsTypedErrorAndReinsertReadsAgain) {
  insertCard();
  vcard_->removeCardAfter(6);  // during the protected READ BINARYs
  auto read = service_->read(request());
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, "card_removed") << read.error().detail;
  EXPECT_NE(read.error().message.find("Kartu diangkat"), std::string::npos);
  ASSERT_TRUE(waitCard(kCardSlot, false));
  insertCard();
  auto again = service_->read(request());
  ASSERT_TRUE(again) << again.error().code << ": " << again.error().detail;
  expectResidentFields(*again);
}

TEST_F(PcscTest, WrongSamIsAClearError) {
  insertCard();
  vcard_->removeSam();
  ASSERT_TRUE(waitCard(kSamSlot, false));
  vcard_->useWrongSam(true);
  vcard_->insertSam();
  ASSERT_TRUE(waitCard(kSamSlot, true));
  auto read = service_->read(request());
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, "sam_rejected");
  EXPECT_NE(read.error().message.find("PCID/CONF"), std::string::npos);
  EXPECT_EQ(vcard_->cardSlot().apdus(), 0);  // the chip is never touched
}

TEST_F(PcscTest, MissingSamAndMissingCardAreTypedErrors) {
  auto noCard = service_->read(request());
  ASSERT_FALSE(noCard);
  EXPECT_EQ(noCard.error().code, "card_absent");
  vcard_->removeSam();
  ASSERT_TRUE(waitCard(kSamSlot, false));
  insertCard();
  auto noSam = service_->read(request());
  ASSERT_FALSE(noSam);
  EXPECT_EQ(noSam.error().code, "sam_absent");
}

TEST_F(PcscTest, ReaderSlotAbsentIsTypedError) {
  ReaderConfig other = readerConfig_;
  other.pairing = ReaderPairing{"^Gerbang Test Missing Reader", "SAM"};
  ReaderService svc(pcsc_, adapter_, other, clock_);
  auto read = svc.read(request());
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, "reader_absent");
  other.pairing = ReaderPairing{"^Virtual PCD 00 00$", "^Gerbang Test Missing SAM"};
  ReaderService svc2(pcsc_, adapter_, other, clock_);
  EXPECT_EQ(svc2.read(request()).error().code, "sam_slot_absent");
  EXPECT_EQ(pcsc_.connect("Gerbang Test Missing Reader 00 00").error().code, "reader_absent");
  EXPECT_EQ(pcsc_.cardPresent("Gerbang Test Missing Reader 00 00").error().code, "reader_absent");
}

TEST_F(PcscTest, UnansweredApduTimesOut) {
  PcscService quick(PcscOptions{1000ms, 200ms, 1500ms, 2000ms});
  ReaderService svc(quick, adapter_, readerConfig_, clock_);
  insertCard();
  vcard_->hangCardAfter(2);
  auto read = svc.read(request());
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, "card_timeout");
  vcard_->removeCard();  // releases the abandoned exchange
  ASSERT_TRUE(waitCard(kCardSlot, false));
}

TEST_F(PcscTest, EndedAgreementRefusesBeforeTouchingTheCard) {
  gerbang::testing::TempDir dir;
  gerbang::testing::TestDatabase tdb(store::Backend::kSqlite, dir.path());
  store::Database db(tdb.config());
  SamRepository sams(db);
  ReaderService svc(pcsc_, adapter_, readerConfig_, clock_, &sams);
  insertCard();
  auto req = request();
  req.agreementId = "karanganyar-ak1";
  req.term = AgreementTerm{Date(2022, 11, 9), true};
  auto read = svc.read(req);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, "agreement_ended");
  EXPECT_NE(read.error().message.find("kembalikan konfigurasi SAM"), std::string::npos);
  EXPECT_EQ(vcard_->cardSlot().apdus(), 0);
  // Within the term but with no recorded activation: refused after reading the SAM UID.
  auto notActivated = svc.read(request());
  ASSERT_FALSE(notActivated);
  EXPECT_EQ(notActivated.error().code, "sam_not_activated");
  EXPECT_EQ(vcard_->cardSlot().apdus(), 0);
  ASSERT_TRUE(sams.activate("5A4D000100000001", "purbalingga-dinnaker", Date(2025, 10, 1)));
  EXPECT_TRUE(svc.read(request()));
}

// Rule 3 (Zero Sharing) and the 2025 juknis exception: without consent nothing read from
// the card is at rest.
TEST_F(PcscTest, WithoutConsentNothingFromTheCardIsOnDisk) {
  gerbang::testing::TempDir dir;
  gerbang::testing::TestDatabase tdb(store::Backend::kSqlite, dir.path());
  sim::Resident r = population().at(kResident);
  const std::vector<std::string> needles{r.nik, r.nama, r.tanggalLahir.dmy()};
  audit::NikHasher hasher("test-only-master-secret-0123456789abcdef");
  {
    store::Database db(tdb.config());
    SamRepository sams(db);
    ASSERT_TRUE(sams.activate("5A4D000100000001", "purbalingga-dinnaker", Date(2025, 10, 1)));
    ConsentRepository consents(db, hasher, clock_);
    ReaderService svc(pcsc_, adapter_, readerConfig_, clock_, &sams);
    insertCard();
    auto read = svc.read(request());
    ASSERT_TRUE(read) << read.error().detail;
    auto stored = consents.storeCardRead(*read, "op-1", "purbalingga-dinnaker", purbalingga());
    ASSERT_FALSE(stored);
    EXPECT_EQ(stored.error().code, "consent_required");
  }
  auto hits = gerbang::testing::scanFiles(dir.path(), needles);
  for (const auto& h : hits) ADD_FAILURE() << h.file << " holds card data";
  EXPECT_TRUE(hits.empty());

  // The same scan finds the data once the resident consents (so the scan can fail).
  {
    store::Database db(tdb.config());
    SamRepository sams(db);
    ConsentRepository consents(db, hasher, clock_);
    ReaderService svc(pcsc_, adapter_, readerConfig_, clock_, &sams);
    auto read = svc.read(request());
    ASSERT_TRUE(read) << read.error().detail;
    ASSERT_TRUE(consents.recordConsent(r.nik, "op-1", "purbalingga-dinnaker"));
    ASSERT_TRUE(consents.storeCardRead(*read, "op-1", "purbalingga-dinnaker", purbalingga()));
  }
  EXPECT_FALSE(gerbang::testing::scanFiles(dir.path(), {r.nik}).empty());
}

TEST_F(PcscTest, WatcherReportsReadersAndCardsComingAndGoing) {
  EventLog log;
  pcsc_.startWatch([&](const ReaderEvent& e) { log.push(e); });
  ASSERT_GE(log.waitFor(ReaderEventType::kReaderAdded, kCardSlot), 0) << log.dump();
  ASSERT_GE(log.waitFor(ReaderEventType::kReaderAdded, kSamSlot), 0) << log.dump();
  // The SAM was already in its slot when the watch started: reported as inserted.
  ASSERT_GE(log.waitFor(ReaderEventType::kCardInserted, kSamSlot), 0) << log.dump();
  insertCard();
  int in = log.waitFor(ReaderEventType::kCardInserted, kCardSlot);
  ASSERT_GE(in, 0) << log.dump();
  vcard_->removeCard();
  int out = log.waitFor(ReaderEventType::kCardRemoved, kCardSlot, size_t(in));
  ASSERT_GE(out, 0) << log.dump();
  insertCard();
  EXPECT_GE(log.waitFor(ReaderEventType::kCardInserted, kCardSlot, size_t(out)), 0) << log.dump();
  pcsc_.stopWatch();
  pcsc_.stopWatch();  // idempotent
}

TEST_F(PcscTest, WatcherRecoversWhenPcscdRestarts) {
  EventLog log;
  pcsc_.startWatch([&](const ReaderEvent& e) { log.push(e); });
  ASSERT_GE(log.waitFor(ReaderEventType::kReaderAdded, kCardSlot), 0) << log.dump();
  insertCard();
  int inserted = log.waitFor(ReaderEventType::kCardInserted, kCardSlot);
  ASSERT_GE(inserted, 0) << log.dump();

  ASSERT_TRUE(stopPcscd()) << "could not stop pcscd";
  int lost = log.waitFor(ReaderEventType::kServiceLost, "", size_t(inserted));
  ASSERT_GE(lost, 0) << log.dump();
  // The readers went with pcscd.
  EXPECT_GE(log.waitFor(ReaderEventType::kReaderRemoved, kCardSlot, size_t(inserted)), 0)
      << log.dump();
  ASSERT_TRUE(startPcscd()) << "could not restart pcscd";
  int restored = log.waitFor(ReaderEventType::kServiceRestored, "", size_t(lost));
  ASSERT_GE(restored, 0) << log.dump();
  EXPECT_GE(log.waitFor(ReaderEventType::kReaderAdded, kSamSlot, size_t(restored)), 0)
      << log.dump();
  // The virtual card reconnects to the new pcscd by itself; the watcher sees it again.
  ASSERT_GE(log.waitFor(ReaderEventType::kCardInserted, kCardSlot, size_t(restored)), 0)
      << log.dump();
  EXPECT_GE(pcsc_.reestablishCount(), 1);
  pcsc_.stopWatch();

  ASSERT_TRUE(waitCard(kSamSlot, true));
  auto read = service_->read(request());
  ASSERT_TRUE(read) << read.error().code << ": " << read.error().detail;
  expectResidentFields(*read);
}

TEST_F(PcscTest, VcardBinaryIsScriptableOverStdin) {
  vcard_.reset();  // the binary takes the vpcd slots
  ASSERT_TRUE(waitCard(kSamSlot, false));
  Poco::Pipe in, out;
  std::vector<std::string> args{
      "--config",   (sourceDir() / "sim" / "vcard" / "test-sam.properties").string(),
      "--size",     "2000",
      "--resident", "7"};
  Poco::ProcessHandle ph = Poco::Process::launch(GERBANG_VCARD_BIN, args, &in, &out, nullptr);
  // A failing assertion must not leave the binary holding the vpcd slots.
  struct Reaper {
    Poco::ProcessHandle& ph;
    ~Reaper() {
      if (Poco::Process::isRunning(ph)) {
        Poco::Process::kill(ph);
        ph.wait();
      }
    }
  } reaper{ph};
  Poco::PipeOutputStream toCard(in);
  Poco::PipeInputStream fromCard(out);
  std::string line;
  ASSERT_TRUE(std::getline(fromCard, line));
  EXPECT_EQ(line.rfind("ready", 0), 0u) << line;
  ASSERT_TRUE(waitCard(kCardSlot, true));
  ASSERT_TRUE(waitCard(kSamSlot, true));
  auto read = service_->read(request());
  ASSERT_TRUE(read) << read.error().code << ": " << read.error().detail;
  EXPECT_EQ(read->fields.at("NIK"), population().at(7).nik);

  toCard << "remove" << std::endl;
  ASSERT_TRUE(std::getline(fromCard, line));
  EXPECT_EQ(line, "ok remove");
  EXPECT_TRUE(waitCard(kCardSlot, false));
  toCard << "bogus" << std::endl;
  ASSERT_TRUE(std::getline(fromCard, line));
  EXPECT_EQ(line.rfind("error:", 0), 0u) << line;
  toCard << "quit" << std::endl;
  EXPECT_EQ(ph.wait(), 0);
}

}  // namespace
}  // namespace gerbang::reader
