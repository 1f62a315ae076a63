// Card then registry through the real `gerbang` binary (issue 5 items 4-7): pcscd with the
// vpcd driver, the virtual KTP-el and SAM (sim/vcard's engine, in this process, speaking
// the vpcd protocol to pcscd exactly as gerbang-vcard does), gerbang-portal-sim as the
// registry, and `gerbang reader|sam` as an operator runs them. In CI (CI=true) a missing
// pcscd or vpcd fails these tests; elsewhere they are skipped with the reason.
#include "core/audit/nik_hmac.hpp"
#include "core/obligation/obligation_repository.hpp"
#include "core/reader/pcsc.hpp"
#include "sim/population/population.hpp"
#include "sim/vcard/vcard.hpp"
#include "tests/portal/sim_process.hpp"
#include "tests/support/support.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <Poco/Util/PropertyFileConfiguration.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <thread>

namespace gerbang::cardflow {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using gerbang::testing::inCi;
using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr const char* kCardSlot = "Virtual PCD 00 00";
constexpr const char* kSamSlot = "Virtual PCD 00 01";
constexpr const char* kSamUid = "5A4D000100000001";  // vcard.sam.uid in test-sam.properties
constexpr const char* kPurbalingga = "purbalingga-dinnaker";
constexpr const char* kJabar = "jabar-disnakertrans";
constexpr const char* kPurpose = "PLT-3303-2026-00017";
constexpr size_t kPopulation = 2000;
// An upper bound for pcscd to notice a card (it polls vpcd); the tests wait for the state.
constexpr auto kWait = 30s;

fs::path sourceDir() { return GERBANG_CARDFLOW_SOURCE_DIR; }

const sim::Population& population() {
  static const sim::Population p(sim::Wilayah::loadDefault(), sim::Population::kDefaultSeed,
                                 kPopulation);
  return p;
}

// The first resident of `kind` (the same generator and size as the portal stand-in).
size_t residentOfKind(sim::Resident::Kind kind) {
  for (size_t i = 10; i < population().size(); ++i)
    if (population().kindAt(i) == kind) return i;
  throw std::runtime_error("no resident of that kind");
}

struct CliRun {
  int exitCode = -1;
  std::string out;
  std::string err;
};

CliRun runGerbang(const fs::path& dir, const std::vector<std::string>& args) {
  Poco::Pipe outPipe, errPipe;
  Poco::ProcessHandle ph =
      Poco::Process::launch(GERBANG_EXE, args, dir.string(), nullptr, &outPipe, &errPipe);
  CliRun r;
  std::thread errReader([&] {
    Poco::PipeInputStream in(errPipe);
    Poco::StreamCopier::copyToString(in, r.err);
  });
  Poco::PipeInputStream in(outPipe);
  Poco::StreamCopier::copyToString(in, r.out);
  errReader.join();
  r.exitCode = ph.wait();
  return r;
}

Object::Ptr parseObject(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

class CardflowCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string cmd =
        "bash '" + (sourceDir() / "scripts" / "services.sh").string() + "' pcscd >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) {
      why_ = "scripts/services.sh pcscd failed (is pcscd installed?)";
      return;
    }
    reader::PcscService probe;
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
    // The previous test's virtual card must have left both slots.
    ASSERT_TRUE(waitCard(kCardSlot, false)) << "card slot still occupied";
    ASSERT_TRUE(waitCard(kSamSlot, false)) << "SAM slot still occupied";
    Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> cfg =
        new Poco::Util::PropertyFileConfiguration(
            (sourceDir() / "sim" / "vcard" / "test-sam.properties").string());
    vcard_ = std::make_unique<vcard::VirtualKtpel>(vcard::VcardConfig::fromConfiguration(*cfg),
                                                   population(), 0);
    ASSERT_TRUE(waitCard(kSamSlot, true)) << "virtual SAM not seen by pcscd";

    sim_ = std::make_unique<gerbang::testing::PortalSimProcess>(
        std::vector<std::string>{"--population", std::to_string(kPopulation), "--today",
                                 "2026-11-23"},
        simLog_ / "portal-sim.log");

    audit::NikHasher::createKeyFile(dir_ / "audit.key");
    config_ = dir_ / "gerbang.properties";
    std::ofstream f(config_);
    f << "plugins.dir = " << GERBANG_TEST_PLUGIN_DIR << "\n"
      << "store.uri = sqlite:" << (dir_ / "gerbang.db").string() << "\n"
      << "log.dir = " << (dir_ / "log").string() << "\n"
      << "log.level = debug\n"
      << "clock.today = 2026-11-23\n"
      << "audit.key_file = " << (dir_ / "audit.key").string() << "\n"
      << "portal.url = " << sim_->baseUrl() << "\n"
      << "portal.client_ip = 127.0.0.1\n"
      << "agreement.purbalingga-dinnaker.portal.user_id = purbalingga-dinnaker-01\n"
      << "agreement.purbalingga-dinnaker.portal.password = sim-purbalingga-rahasia\n"
      << "agreement.purbalingga-dinnaker.portal.dialect.lembaga = DINNAKER_PURBALINGGA\n"
      << "agreement.jabar-disnakertrans.portal.user_id = jabar-disnakertrans-01\n"
      << "agreement.jabar-disnakertrans.portal.password = sim-jabar-rahasia\n"
      << "agreement.jabar-disnakertrans.portal.dialect.lembaga = DISNAKERTRANS_JABAR\n"
      << "reader.preset = vpcd\n"
      << "reader.sam.adapter = stand-in\n"
      << "reader.sam.pcid = " << cfg->getString("reader.sam.pcid") << "\n"
      << "reader.sam.conf = " << cfg->getString("reader.sam.conf") << "\n";
    f.close();

    ok({"sptjm", "add", "--agreement", kPurbalingga, "--number", "UJI/SPTJM/PBG/1", "--date",
        "2025-09-20", "--name", "Kepala Dinas Uji", "--position", "Kepala Dinas"});
    ok({"sptjm", "add", "--agreement", kJabar, "--number", "UJI/SPTJM/JABAR/1", "--date",
        "2021-06-20", "--name", "Kepala Dinas Uji", "--position", "Kepala Dinas"});
    ok({"operators", "add", "--operator", "op-uji-01", "--name", "Operator Uji Satu",
        "--agreements", std::string(kPurbalingga) + "," + kJabar, "--nda-number", "UJI/NDA/1",
        "--nda-date", "2025-09-21"});
    ok({"operators", "add", "--operator", "op-uji-02", "--name", "Operator Uji Dua",
        "--agreements", kPurbalingga});
  }

  void TearDown() override {
    vcard_.reset();
    sim_.reset();
  }

  bool waitCard(const char* slot, bool present) {
    auto r = pcsc_.waitForCard(slot, present, kWait);
    return r && *r;
  }

  CliRun gerbang(std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", config_.string()});
    return runGerbang(dir_.path(), args);
  }
  void ok(const std::vector<std::string>& args) {
    CliRun r = gerbang(args);
    ASSERT_EQ(r.exitCode, 0) << args[0] << ": " << r.err << r.out;
  }

  // Puts the resident at `index` on the reader and waits until pcscd sees the card.
  sim::Resident present(size_t index) {
    EXPECT_TRUE(vcard_->selectResident(index));
    vcard_->insertCard();
    EXPECT_TRUE(waitCard(kCardSlot, true));
    return population().at(index);
  }

  CliRun readCard(const std::string& agreement, const std::string& op, bool consent,
                  const std::string& format = "json") {
    std::vector<std::string> args = {"reader",   "read",    "--agreement", agreement,
                                     "--operator", op,       "--purpose",   agreement == kJabar
                                                                              ? "AK1-3273-2026-000123"
                                                                              : kPurpose,
                                     "--format", format};
    if (consent) args.push_back("--consent");
    return gerbang(args);
  }

  std::vector<obligation::Obligation> obligations(const std::string& agreement) {
    store::DatabaseConfig c;
    c.backend = store::Backend::kSqlite;
    c.sqlitePath = (dir_ / "gerbang.db").string();
    store::Database db(c);
    obligation::ObligationRepository repo(db);
    obligation::ObligationQuery q;
    q.agreement = agreement;
    auto list = repo.list(q);
    EXPECT_TRUE(list.ok());
    return list.ok() ? *list : std::vector<obligation::Obligation>{};
  }

  // The resident's population data as it could land on disk.
  static std::vector<std::string> needles(const sim::Resident& r) {
    return {r.nik, r.nama, r.tanggalLahir.dmy(), r.tanggalLahir.iso()};
  }

  static inline std::string why_ = "not initialised";
  gerbang::testing::TempDir dir_;     // everything the host writes
  gerbang::testing::TempDir simLog_;  // the stand-in registry's log (not the host's)
  fs::path config_;
  reader::PcscService pcsc_{reader::PcscOptions{1000ms, 200ms, 5000ms, 5000ms}};
  std::unique_ptr<vcard::VirtualKtpel> vcard_;
  std::unique_ptr<gerbang::testing::PortalSimProcess> sim_;
};

TEST_F(CardflowCliTest, ReaderListShowsTheVpcdSlotsTheirPairAndCardPresence) {
  CliRun before = gerbang({"reader", "list", "--format", "json"});
  ASSERT_EQ(before.exitCode, 0) << before.err;
  Object::Ptr o = parseObject(before.out);
  Array::Ptr readers = o->getArray("readers");
  std::map<std::string, Object::Ptr> byName;
  for (size_t i = 0; i < readers->size(); ++i) {
    Object::Ptr r = readers->getObject(unsigned(i));
    byName[r->getValue<std::string>("name")] = r;
  }
  ASSERT_TRUE(byName.count(kCardSlot)) << before.out;
  ASSERT_TRUE(byName.count(kSamSlot)) << before.out;
  EXPECT_EQ(byName[kCardSlot]->getValue<std::string>("role"), "card");
  EXPECT_EQ(byName[kSamSlot]->getValue<std::string>("role"), "sam");
  EXPECT_FALSE(byName[kCardSlot]->getValue<bool>("card_present"));
  EXPECT_TRUE(byName[kSamSlot]->getValue<bool>("card_present"));
  EXPECT_EQ(o->getObject("pair")->getValue<std::string>("card"), kCardSlot);
  EXPECT_EQ(o->getObject("pair")->getValue<std::string>("sam"), kSamSlot);

  present(residentOfKind(sim::Resident::Kind::kFound));
  CliRun after = gerbang({"reader", "list"});
  ASSERT_EQ(after.exitCode, 0) << after.err;
  EXPECT_NE(after.out.find(std::string(kCardSlot) + "\tkartu\tkartu ada"), std::string::npos)
      << after.out;
  EXPECT_NE(after.out.find("Pasangan: kartu 'Virtual PCD 00 00' + SAM 'Virtual PCD 00 01'"),
            std::string::npos)
      << after.out;
}

TEST_F(CardflowCliTest, ReaderWatchPrintsCardsAsTheyComeAndGo) {
  // The watch runs while the card arrives and leaves; each event is one line, as it happens.
  Poco::Pipe outPipe, errPipe;
  std::vector<std::string> args = {"--config", config_.string(), "reader", "watch", "--count",
                                   "5"};
  Poco::ProcessHandle ph =
      Poco::Process::launch(GERBANG_EXE, args, dir_.path().string(), nullptr, &outPipe, &errPipe);
  std::string err;
  std::thread errReader([&] {
    Poco::PipeInputStream in(errPipe);
    Poco::StreamCopier::copyToString(in, err);
  });
  Poco::PipeInputStream in(outPipe);
  std::vector<std::string> lines;
  auto next = [&] {
    std::string line;
    if (std::getline(in, line)) lines.push_back(line);
    return line;
  };
  // Five events: the two slots and the SAM already in its slot (in whatever order pcscd
  // lists them), then the card arriving and leaving.
  for (int i = 0; i < 3; ++i) next();
  auto has = [&](const std::string& l) {
    return std::find(lines.begin(), lines.end(), l) != lines.end();
  };
  EXPECT_TRUE(has(std::string("reader_added\t") + kCardSlot));
  EXPECT_TRUE(has(std::string("reader_added\t") + kSamSlot));
  // Then the card comes (only now: the watch saw an empty card slot) and goes.
  vcard_->insertCard();
  std::string inserted = next();
  while (inserted.rfind("card_inserted\t" + std::string(kSamSlot), 0) == 0) inserted = next();
  EXPECT_EQ(inserted.rfind(std::string("card_inserted\t") + kCardSlot + "\tATR 3B", 0), 0u)
      << inserted;
  vcard_->removeCard();
  std::string removed = next();
  while (!removed.empty() && removed.rfind("card_removed", 0) != 0) removed = next();
  EXPECT_EQ(removed, std::string("card_removed\t") + kCardSlot);
  std::string rest;
  Poco::StreamCopier::copyToString(in, rest);
  errReader.join();
  EXPECT_EQ(ph.wait(), 0) << err;
  EXPECT_EQ(lines.size() + size_t(std::count(rest.begin(), rest.end(), '\n')), 5u)
      << "--count 5 prints exactly five events";
}

TEST_F(CardflowCliTest, CardThenRegistryFoundWithoutConsentStoresNothing) {
  ok({"sam", "activate", "--agreement", kPurbalingga, "--uid", kSamUid, "--date", "2025-10-01"});
  const sim::Resident who = present(residentOfKind(sim::Resident::Kind::kFound));

  CliRun r = readCard(kPurbalingga, "op-uji-01", false);
  ASSERT_EQ(r.exitCode, 0) << r.err << r.out;
  Object::Ptr o = parseObject(r.out);
  EXPECT_EQ(o->getValue<std::string>("code"), "ok");
  EXPECT_EQ(o->getObject("registry")->getValue<std::string>("outcome"), "found");
  EXPECT_TRUE(o->getValue<bool>("matches"));
  EXPECT_EQ(o->getArray("differences")->size(), 0u);
  Object::Ptr card = o->getObject("card");
  EXPECT_EQ(card->getValue<std::string>("sam_uid"), kSamUid);
  Object::Ptr fields = card->getObject("fields");
  EXPECT_EQ(fields->getValue<std::string>("NIK"), who.nik);
  EXPECT_EQ(fields->getValue<std::string>("NAMA_LGKP"), who.nama);
  // Purbalingga's PKS has no Nomor KK; nobody's has agama or golongan darah.
  EXPECT_FALSE(fields->has("NO_KK"));
  EXPECT_FALSE(fields->has("AGAMA"));
  EXPECT_FALSE(fields->has("GOL_DARAH"));
  EXPECT_EQ(r.out.find("NO_KK"), std::string::npos);
  EXPECT_EQ(r.out.find("AGAMA"), std::string::npos);
  EXPECT_EQ(r.out.find("GOL_DARAH"), std::string::npos);
  EXPECT_EQ(r.out.find("\"" + who.agama + "\""), std::string::npos) << "agama leaked";
  EXPECT_EQ(o->getValue<Poco::Int64>("consent_id"), 0);
  EXPECT_EQ(o->getValue<Poco::Int64>("stored_read_id"), 0);

  // Rule 5: the card use opened one balikan obligation, source card.
  auto obs = obligations(kPurbalingga);
  ASSERT_EQ(obs.size(), 1u);
  EXPECT_EQ(obs[0].source, obligation::Source::kCard);
  EXPECT_EQ(obs[0].id, o->getValue<Poco::Int64>("obligation_id"));

  // Without consent nothing from the card is on disk: not in the store, the WAL, the logs.
  auto hits = gerbang::testing::scanFiles(dir_.path(), needles(who));
  for (const auto& h : hits) ADD_FAILURE() << h.file << " holds population data";
  EXPECT_TRUE(hits.empty());
}

TEST_F(CardflowCliTest, TextOutputSaysCardAndRegistryAgree) {
  ok({"sam", "activate", "--agreement", kPurbalingga, "--uid", kSamUid});
  const sim::Resident who = present(residentOfKind(sim::Resident::Kind::kFound));
  CliRun r = readCard(kPurbalingga, "op-uji-01", false, "text");
  ASSERT_EQ(r.exitCode, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("  NIK: " + who.nik), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Dukcapil: found"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Data kartu sesuai dengan data Dukcapil."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(sumber: kartu)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("tidak ada data kartu yang disimpan"), std::string::npos) << r.out;
}

TEST_F(CardflowCliTest, ACardOfADeceasedResidentDisagreesWithTheRegistryAndStillOpensBalikan) {
  ok({"sam", "activate", "--agreement", kPurbalingga, "--uid", kSamUid});
  const sim::Resident who = present(residentOfKind(sim::Resident::Kind::kDeceased));
  CliRun r = readCard(kPurbalingga, "op-uji-01", false, "text");
  ASSERT_EQ(r.exitCode, 0) << r.err << r.out;
  // The card shows a living holder; the registry says deceased and gives no data.
  EXPECT_NE(r.out.find("  NAMA_LGKP: " + who.nama), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Dukcapil: deceased - Data Ditemukan, Meninggal Dunia"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("tidak dapat dicocokkan"), std::string::npos) << r.out;
  // "Card-reader use also requires balikan" (rule 5): opened although no registry data.
  auto obs = obligations(kPurbalingga);
  ASSERT_EQ(obs.size(), 1u);
  EXPECT_EQ(obs[0].source, obligation::Source::kCard);
  EXPECT_TRUE(gerbang::testing::scanFiles(dir_.path(), needles(who)).empty());
}

TEST_F(CardflowCliTest, WithConsentOnlyPermittedFieldsAreStoredAndTheScanFindsThem) {
  ok({"sam", "activate", "--agreement", kPurbalingga, "--uid", kSamUid});
  const sim::Resident who = present(residentOfKind(sim::Resident::Kind::kFound));
  CliRun r = readCard(kPurbalingga, "op-uji-01", true);
  ASSERT_EQ(r.exitCode, 0) << r.err << r.out;
  Object::Ptr o = parseObject(r.out);
  EXPECT_GT(o->getValue<Poco::Int64>("consent_id"), 0);
  EXPECT_GT(o->getValue<Poco::Int64>("stored_read_id"), 0);

  // The scan that found nothing above finds the consented read, and only in the store.
  auto hits = gerbang::testing::scanFiles(dir_.path(), needles(who));
  EXPECT_FALSE(hits.empty()) << "the consented read is not on disk: the scan cannot fail";
  bool nikFound = false, nameFound = false;
  for (const auto& h : hits) {
    EXPECT_EQ(h.file.filename().string().rfind("gerbang.db", 0), 0u)
        << h.file << " holds population data outside the store";
    nikFound |= h.needle == who.nik;
    nameFound |= h.needle == who.nama;
  }
  EXPECT_TRUE(nikFound);
  EXPECT_TRUE(nameFound);
  // Nothing outside the agreement was stored: the card's agama is nowhere on disk.
  EXPECT_TRUE(gerbang::testing::scanFiles(dir_.path(), {"\"" + who.agama + "\"", who.namaIbu})
                  .empty());
}

TEST_F(CardflowCliTest, AnEndedAgreementIsRefusedWithTheSamReturnDuty) {
  // Jawa Barat ended 2023-06-18; today is 2026-11-23.
  ok({"sam", "activate", "--agreement", kJabar, "--uid", kSamUid, "--date", "2021-07-01"});
  present(residentOfKind(sim::Resident::Kind::kFound));
  CliRun r = readCard(kJabar, "op-uji-01", true, "text");
  EXPECT_EQ(r.exitCode, 1) << r.out;
  EXPECT_NE(r.err.find("agreement_ended"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("kembalikan konfigurasi SAM"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nonaktifkan SAM"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_TRUE(obligations(kJabar).empty());

  // The handover data for returning the SAM configuration.
  CliRun bast = gerbang({"sam", "bast", "--uid", kSamUid});
  ASSERT_EQ(bast.exitCode, 0) << bast.err;
  Object::Ptr b = parseObject(bast.out);
  EXPECT_EQ(b->getValue<std::string>("sam_uid"), kSamUid);
  EXPECT_EQ(b->getValue<std::string>("agreement_id"), kJabar);
  EXPECT_EQ(b->getValue<std::string>("agreement_end"), "2023-06-18");
  EXPECT_EQ(b->getValue<std::string>("handover_date"), "2026-11-23");
  ok({"sam", "deactivate", "--uid", kSamUid, "--date", "2026-11-23"});
  CliRun list = gerbang({"sam", "list", "--format", "json"});
  ASSERT_EQ(list.exitCode, 0) << list.err;
  Array::Ptr arr = Poco::JSON::Parser().parse(list.out).extract<Array::Ptr>();
  ASSERT_EQ(arr->size(), 1u);
  EXPECT_EQ(arr->getObject(0)->getValue<std::string>("deactivated"), "2026-11-23");
}

TEST_F(CardflowCliTest, ASamNotActivatedForTheAgreementIsRefused) {
  const sim::Resident who = present(residentOfKind(sim::Resident::Kind::kFound));
  CliRun r = readCard(kPurbalingga, "op-uji-01", true);
  EXPECT_EQ(r.exitCode, 1) << r.out;
  EXPECT_EQ(parseObject(r.out)->getValue<std::string>("code"), "sam_not_activated");
  EXPECT_FALSE(parseObject(r.out)->has("card"));
  EXPECT_EQ(r.out.find(who.nik), std::string::npos);
  EXPECT_TRUE(obligations(kPurbalingga).empty());

  // Activated, then deactivated: refused again.
  ok({"sam", "activate", "--agreement", kPurbalingga, "--uid", kSamUid, "--date", "2025-10-01"});
  ok({"sam", "deactivate", "--uid", kSamUid, "--date", "2026-11-01"});
  CliRun again = readCard(kPurbalingga, "op-uji-01", false);
  EXPECT_EQ(again.exitCode, 1);
  EXPECT_EQ(parseObject(again.out)->getValue<std::string>("code"), "sam_deactivated");
  EXPECT_TRUE(gerbang::testing::scanFiles(dir_.path(), needles(who)).empty());
}

TEST_F(CardflowCliTest, AnOperatorWithoutNdaNeverGetsTheCardRead) {
  ok({"sam", "activate", "--agreement", kPurbalingga, "--uid", kSamUid});
  const sim::Resident who = present(residentOfKind(sim::Resident::Kind::kFound));
  CliRun r = readCard(kPurbalingga, "op-uji-02", true);
  EXPECT_EQ(r.exitCode, 1) << r.out;
  EXPECT_EQ(parseObject(r.out)->getValue<std::string>("code"), "no_nda");
  EXPECT_EQ(r.out.find(who.nik), std::string::npos);
  EXPECT_TRUE(obligations(kPurbalingga).empty());
  EXPECT_TRUE(gerbang::testing::scanFiles(dir_.path(), needles(who)).empty());
}

}  // namespace
}  // namespace gerbang::cardflow
