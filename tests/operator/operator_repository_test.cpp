#include "core/operator/operator_repository.hpp"
#include "tests/support/support.hpp"

#include <Poco/Data/Session.h>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

// Synthetic operators only: made-up names, NIKs with serial 99xx, made-up NIPs.
namespace gerbang::op {
namespace {

Operator complete(std::string userId) {
  Operator o;
  o.userId = std::move(userId);
  o.nik = "3303016408929901";
  o.fullName = "Sari Contoh Operator";
  o.nip = "199208242019032099";
  o.employmentStatus = "PNS";
  o.position = "Pengantar Kerja Ahli Pertama";
  o.officeRegionCode = "33.03";
  o.officeName = "Dinas Tenaga Kerja Kabupaten Purbalingga (contoh)";
  o.officeAddress = "Jl. Contoh No. 1, Purbalingga";
  o.role = Role::kOperator;
  o.agreements = {"purbalingga-dinnaker"};
  o.nda = Nda{"NDA/001/2025 (contoh)", Date(2025, 9, 20)};
  return o;
}

const Sptjm kSptjm{"purbalingga-dinnaker", "SPTJM/01/2025 (contoh)", Date(2025, 9, 16),
                   "Kepala Dinas Contoh", "Kepala Dinas"};

class OperatorRepositoryTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  gerbang::testing::TempDir dir_;
  gerbang::testing::TestDatabase tdb_{GetParam(), dir_.path()};
  store::Database db_{tdb_.config()};
  OperatorRepository repo_{db_};
};

TEST_P(OperatorRepositoryTest, AddsFindsAndListsWithEveryField) {
  Operator a = complete("sari.op");
  a.agreements = {"purbalingga-dinnaker", "jabar-disnakertrans", "purbalingga-dinnaker"};
  ASSERT_TRUE(repo_.add(a).ok());
  Operator b;
  b.userId = "adi_sup";
  b.fullName = "Adi Contoh Supervisor";
  b.role = Role::kSupervisor;
  ASSERT_TRUE(repo_.add(b).ok());

  auto got = repo_.find("sari.op");
  ASSERT_TRUE(got.ok()) << got.error().detail;
  EXPECT_EQ(got->nik, a.nik);
  EXPECT_EQ(got->fullName, a.fullName);
  EXPECT_EQ(got->nip, a.nip);
  EXPECT_EQ(got->employmentStatus, "PNS");
  EXPECT_EQ(got->position, a.position);
  EXPECT_EQ(got->officeRegionCode, "33.03");
  EXPECT_EQ(got->officeName, a.officeName);
  EXPECT_EQ(got->officeAddress, a.officeAddress);
  EXPECT_EQ(got->role, Role::kOperator);
  EXPECT_TRUE(got->active);
  EXPECT_EQ(got->agreements,
            (std::vector<std::string>{"jabar-disnakertrans", "purbalingga-dinnaker"}));
  ASSERT_TRUE(got->nda.has_value());
  EXPECT_EQ(got->nda->number, "NDA/001/2025 (contoh)");
  EXPECT_EQ(got->nda->date, Date(2025, 9, 20));

  auto sup = repo_.find("adi_sup");
  ASSERT_TRUE(sup.ok());
  EXPECT_EQ(sup->role, Role::kSupervisor);
  EXPECT_TRUE(sup->nik.empty());
  EXPECT_FALSE(sup->nda.has_value());
  EXPECT_TRUE(sup->agreements.empty());

  auto all = repo_.list();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].userId, "adi_sup");
  EXPECT_EQ((*all)[1].userId, "sari.op");
  EXPECT_EQ((*all)[1].agreements.size(), 2u);

  EXPECT_EQ(repo_.find("nobody").error().code, "operator_unknown");
}

TEST_P(OperatorRepositoryTest, RefusesInvalidFieldsWithoutEchoingThem) {
  struct Case {
    void (*mutate)(Operator&);
    const char* why;
  } cases[] = {
      {[](Operator& o) { o.userId = ""; }, "empty user id"},
      {[](Operator& o) { o.userId = "sari op"; }, "space in user id"},
      {[](Operator& o) { o.userId = std::string(65, 'a'); }, "user id too long"},
      {[](Operator& o) { o.fullName = "  "; }, "blank name"},
      {[](Operator& o) { o.nik = "330301640892990"; }, "NIK 15 digits"},
      {[](Operator& o) { o.nik = "33030164089299O1"; }, "NIK with a letter"},
      {[](Operator& o) { o.nip = "19920824201903209"; }, "NIP 17 digits"},
      {[](Operator& o) { o.officeRegionCode = "33.3"; }, "region group of 1"},
      {[](Operator& o) { o.officeRegionCode = "333"; }, "region of 3 digits"},
      {[](Operator& o) { o.officeRegionCode = "33.03.01.20011"; }, "village of 5"},
      {[](Operator& o) { o.officeAddress = "Jl. Contoh\nNo. 1"; }, "newline in address"},
      {[](Operator& o) { o.position = std::string(201, 'x'); }, "position too long"},
      {[](Operator& o) { o.agreements = {"Purbalingga"}; }, "agreement id with capitals"},
      {[](Operator& o) {
         o.nda = Nda{" ", Date(2025, 1, 1)};
       },
       "blank NDA number"},
  };
  int i = 0;
  for (const auto& c : cases) {
    Operator o = complete("op" + std::to_string(i++));
    c.mutate(o);
    Status s = repo_.add(o);
    ASSERT_FALSE(s.ok()) << c.why;
    EXPECT_EQ(s.error().code, "operator_invalid") << c.why;
    EXPECT_EQ(s.error().message.find("330301640892990"), std::string::npos) << c.why;
    EXPECT_EQ(s.error().detail.find("330301640892990"), std::string::npos) << c.why;
  }
  EXPECT_TRUE(repo_.list()->empty());
  // Region codes in every accepted shape.
  for (const char* code :
       {"33", "3303", "33.03", "330301", "33.03.01", "33.03.01.2001", "3303012001"}) {
    Operator o = complete(std::string("r") + std::to_string(i++));
    o.officeRegionCode = code;
    EXPECT_TRUE(repo_.add(o).ok()) << code;
  }
}

TEST_P(OperatorRepositoryTest, RefusesADuplicateUserId) {
  ASSERT_TRUE(repo_.add(complete("sari.op")).ok());
  Operator again = complete("sari.op");
  again.fullName = "Orang Lain Contoh";
  Status s = repo_.add(again);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "operator_exists");
  EXPECT_EQ(repo_.find("sari.op")->fullName, "Sari Contoh Operator");
}

TEST_P(OperatorRepositoryTest, ConcurrentAddsOfOneUserIdLetExactlyOneIn) {
  std::atomic<int> ok{0}, exists{0}, other{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < 6; ++t)
    ts.emplace_back([&] {
      Status s = repo_.add(complete("race.op"));
      if (s.ok())
        ++ok;
      else if (s.error().code == "operator_exists")
        ++exists;
      else
        ++other;
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(exists.load(), 5);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(repo_.find("race.op")->agreements.size(), 1u);
}

// Grants are cached for the lookup path; a change made through any repository on the same
// store is seen by the next lookup, not after the cache's ttl.
TEST_P(OperatorRepositoryTest, ACachedGrantEndsWithTheChangeThatRevokesIt) {
  ASSERT_TRUE(repo_.add(complete("sari.op")).ok());
  ASSERT_TRUE(repo_.recordSptjm(kSptjm).ok());
  OperatorRepository other(db_);  // e.g. the web app's admin screens beside the pipeline
  ASSERT_TRUE(repo_.authorize("sari.op", "purbalingga-dinnaker").ok());
  ASSERT_TRUE(repo_.authorize("sari.op", "purbalingga-dinnaker").ok());  // served cached

  ASSERT_TRUE(other.setActive("sari.op", false).ok());
  Status s = repo_.authorize("sari.op", "purbalingga-dinnaker");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "operator_disabled");

  ASSERT_TRUE(other.setActive("sari.op", true).ok());
  ASSERT_TRUE(repo_.authorize("sari.op", "purbalingga-dinnaker").ok());
  ASSERT_TRUE(other.removeAgreement("sari.op", "purbalingga-dinnaker").ok());
  EXPECT_EQ(repo_.authorize("sari.op", "purbalingga-dinnaker").error().code, "not_member");

  // Another process writes behind the cache's back (here: plain SQL): with the cache off,
  // the very next call sees it.
  ASSERT_TRUE(other.addAgreement("sari.op", "purbalingga-dinnaker").ok());
  ASSERT_TRUE(repo_.authorize("sari.op", "purbalingga-dinnaker").ok());
  repo_.setCacheTtl(std::chrono::seconds{0});
  {
    auto session = db_.session();
    session << "UPDATE operators SET nda_number = '', nda_date = ''", Poco::Data::Keywords::now;
  }
  EXPECT_EQ(repo_.authorize("sari.op", "purbalingga-dinnaker").error().code, "no_nda");
}

TEST_P(OperatorRepositoryTest, AuthorizeRefusesInOrderUntilEverythingIsOnFile) {
  const auto code = [&](const char* op, const char* agreement) {
    Status s = repo_.authorize(op, agreement);
    return s.ok() ? std::string("ok") : s.error().code;
  };
  EXPECT_EQ(code("sari.op", "purbalingga-dinnaker"), "operator_unknown");

  Operator o = complete("sari.op");
  o.agreements.clear();
  o.nda.reset();
  ASSERT_TRUE(repo_.add(o).ok());
  EXPECT_EQ(code("sari.op", "purbalingga-dinnaker"), "not_member");

  ASSERT_TRUE(repo_.addAgreement("sari.op", "purbalingga-dinnaker").ok());
  ASSERT_TRUE(repo_.addAgreement("sari.op", "purbalingga-dinnaker").ok());  // idempotent
  EXPECT_EQ(code("sari.op", "purbalingga-dinnaker"), "no_nda");

  ASSERT_TRUE(repo_.recordNda("sari.op", Nda{"NDA/001/2025 (contoh)", Date(2025, 9, 20)}).ok());
  EXPECT_EQ(code("sari.op", "purbalingga-dinnaker"), "no_sptjm");

  // Another agreement's SPTJM does not count.
  Sptjm jabar = kSptjm;
  jabar.agreementId = "jabar-disnakertrans";
  ASSERT_TRUE(repo_.recordSptjm(jabar).ok());
  EXPECT_EQ(code("sari.op", "purbalingga-dinnaker"), "no_sptjm");

  ASSERT_TRUE(repo_.recordSptjm(kSptjm).ok());
  EXPECT_EQ(code("sari.op", "purbalingga-dinnaker"), "ok");
  EXPECT_EQ(code("sari.op", "jabar-disnakertrans"), "not_member");

  ASSERT_TRUE(repo_.setActive("sari.op", false).ok());
  Status disabled = repo_.authorize("sari.op", "purbalingga-dinnaker");
  ASSERT_FALSE(disabled.ok());
  EXPECT_EQ(disabled.error().code, "operator_disabled");
  EXPECT_EQ(disabled.error().message, "User ID non aktif, silahkan menghubungi Admin");
  EXPECT_FALSE(repo_.find("sari.op")->active);

  ASSERT_TRUE(repo_.setActive("sari.op", true).ok());
  EXPECT_EQ(code("sari.op", "purbalingga-dinnaker"), "ok");
  ASSERT_TRUE(repo_.removeAgreement("sari.op", "purbalingga-dinnaker").ok());
  EXPECT_EQ(code("sari.op", "purbalingga-dinnaker"), "not_member");

  EXPECT_EQ(repo_.setActive("nobody", false).error().code, "operator_unknown");
  EXPECT_EQ(repo_.recordNda("nobody", Nda{"x", Date(2025, 1, 1)}).error().code, "operator_unknown");
  EXPECT_EQ(repo_.addAgreement("nobody", "purbalingga-dinnaker").error().code, "operator_unknown");
  // Every refusal carries an Indonesian message.
  for (const char* op : {"sari.op", "nobody"})
    EXPECT_FALSE(repo_.authorize(op, "purbalingga-dinnaker").error().message.empty());
}

TEST_P(OperatorRepositoryTest, SptjmIsRecordedReplacedAndValidated) {
  EXPECT_EQ(repo_.sptjm("purbalingga-dinnaker").error().code, "no_sptjm");
  ASSERT_TRUE(repo_.recordSptjm(kSptjm).ok());
  Sptjm changed = kSptjm;
  changed.number = "SPTJM/02/2026 (contoh)";
  changed.date = Date(2026, 1, 5);
  changed.signerName = "Kepala Dinas Baru Contoh";
  ASSERT_TRUE(repo_.recordSptjm(changed).ok());
  auto got = repo_.sptjm("purbalingga-dinnaker");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->number, "SPTJM/02/2026 (contoh)");
  EXPECT_EQ(got->date, Date(2026, 1, 5));
  EXPECT_EQ(got->signerName, "Kepala Dinas Baru Contoh");
  EXPECT_EQ(got->signerPosition, "Kepala Dinas");

  Sptjm bad = kSptjm;
  bad.signerName = "";
  EXPECT_EQ(repo_.recordSptjm(bad).error().code, "sptjm_invalid");
  bad = kSptjm;
  bad.number = " ";
  EXPECT_EQ(repo_.recordSptjm(bad).error().code, "sptjm_invalid");
  bad = kSptjm;
  bad.agreementId = "";
  EXPECT_EQ(repo_.recordSptjm(bad).error().code, "sptjm_invalid");
}

TEST_P(OperatorRepositoryTest, UserIdFormIsCompleteOrNamesWhatIsMissing) {
  ASSERT_TRUE(repo_.add(complete("sari.op")).ok());
  auto form = repo_.userIdForm("sari.op");
  ASSERT_TRUE(form.ok()) << form.error().message;
  for (const char* want :
       {"NIK                     : 3303016408929901",
        "Nama Lengkap            : Sari Contoh Operator",
        "NIP                     : 199208242019032099", "Status Kepegawaian      : PNS",
        "Jabatan                 : Pengantar Kerja Ahli Pertama", "Kode Wilayah Kantor     : 33.03",
        "Nama Kantor             : Dinas Tenaga Kerja Kabupaten Purbalingga",
        "Alamat Kantor           : Jl. Contoh No. 1, Purbalingga",
        "User ID Aplikasi Lokal  : sari.op", "Perjanjian              : purbalingga-dinnaker",
        "NDA                     : NDA/001/2025 (contoh), 20-09-2025"})
    EXPECT_NE(form->find(want), std::string::npos) << want << "\n" << *form;

  Operator partial;
  partial.userId = "baru.op";
  partial.fullName = "Baru Contoh";
  partial.employmentStatus = "PPPK";
  partial.officeName = "Dinas Contoh";
  ASSERT_TRUE(repo_.add(partial).ok());
  auto incomplete = repo_.userIdForm("baru.op");
  ASSERT_FALSE(incomplete.ok());
  EXPECT_EQ(incomplete.error().code, "form_incomplete");
  EXPECT_EQ(incomplete.error().message,
            "Formulir permohonan User ID belum lengkap; belum diisi: NIK, NIP, Jabatan, Kode "
            "Wilayah Kantor, Alamat Kantor.");
  EXPECT_EQ(repo_.userIdForm("nobody").error().code, "operator_unknown");
}

TEST_P(OperatorRepositoryTest, SurvivesARestart) {
  ASSERT_TRUE(repo_.add(complete("sari.op")).ok());
  ASSERT_TRUE(repo_.recordSptjm(kSptjm).ok());
  ASSERT_TRUE(repo_.setActive("sari.op", false).ok());
  store::Database again(tdb_.config());
  OperatorRepository reopened(again);  // migrations run again and apply nothing
  auto o = reopened.find("sari.op");
  ASSERT_TRUE(o.ok());
  EXPECT_FALSE(o->active);
  EXPECT_EQ(reopened.authorize("sari.op", "purbalingga-dinnaker").error().code,
            "operator_disabled");
  EXPECT_TRUE(reopened.sptjm("purbalingga-dinnaker").ok());
}

TEST(RoleTest, NamesRoundTrip) {
  for (Role r : {Role::kOperator, Role::kSupervisor, Role::kAdmin})
    EXPECT_EQ(parseRole(roleName(r)), r);
  EXPECT_FALSE(parseRole("root").has_value());
  EXPECT_FALSE(parseRole("Operator").has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, OperatorRepositoryTest,
                         ::testing::ValuesIn(gerbang::testing::storeBackends()),
                         [](const auto& info) {
                           return gerbang::testing::backendName(info.param);
                         });

}  // namespace
}  // namespace gerbang::op
