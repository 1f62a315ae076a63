// Adenda in the store and the agreement service, on every store backend.
#include "core/agreement/agreement_service.hpp"
#include "core/agreement/adendum_repository.hpp"
#include "tests/agreement/test_manifests.hpp"
#include "tests/support/support.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace gerbang::agreement {
namespace {

using testing::fixedQuotaManifest;
using testing::pocManifest;

class AgreementServiceTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  gerbang::testing::TempDir dir_;
  gerbang::testing::TestDatabase tdb_{GetParam(), dir_.path()};
  store::Database db_{tdb_.config()};
  AdendumRepository repo_{db_};
  FixedClock clock_{Date(2026, 11, 23)};
  AgreementService service_{{pocManifest(), fixedQuotaManifest()}, repo_, clock_};

  Adendum adendum(const std::string& agency, const std::string& number, Date date) {
    Adendum a;
    a.agencyId = agency;
    a.number = number;
    a.date = date;
    a.recordedBy = "admin-uji";
    return a;
  }
};

TEST_P(AgreementServiceTest, RoundTripsEveryFieldOfAnAdendum) {
  Adendum a = adendum("uji-poc", "400.12/ADD-1/2026", Date(2026, 11, 20));
  a.newEnd = Date(2029, 9, 16);
  a.quotaPerDay = 350;
  a.elements = std::vector<std::string>{"NIK", "NAMA_LGKP", "ALAMAT"};
  a.addressParts = std::vector<std::string>{"ALAMAT", "NO_RT", "NO_RW"};
  Result<Adendum> r = service_.addAdendum(a);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_GT(r->id, 0);

  std::vector<Adendum> got = repo_.list("uji-poc");
  ASSERT_EQ(got.size(), 1u);
  const Adendum& g = got[0];
  EXPECT_EQ(g.id, r->id);
  EXPECT_EQ(g.agencyId, "uji-poc");
  EXPECT_EQ(g.number, "400.12/ADD-1/2026");
  EXPECT_EQ(g.date, Date(2026, 11, 20));
  EXPECT_EQ(g.newEnd, Date(2029, 9, 16));
  EXPECT_EQ(g.quotaPerDay, 350);
  EXPECT_FALSE(g.pocPassed);
  EXPECT_EQ(g.elements, a.elements);
  EXPECT_EQ(g.addressParts, a.addressParts);
  EXPECT_EQ(g.recordedBy, "admin-uji");
  EXPECT_EQ(g.recordedAt, clock_.now());  // stamped by the service's clock
  EXPECT_TRUE(repo_.list("uji-tetap").empty());
}

TEST_P(AgreementServiceTest, UnchangedTermsStayUnsetAfterTheRoundTrip) {
  Adendum a = adendum("uji-poc", "POC/2026", Date(2026, 1, 5));
  a.pocPassed = true;
  ASSERT_TRUE(service_.addAdendum(a).ok());
  Adendum g = repo_.list("uji-poc").at(0);
  EXPECT_TRUE(g.pocPassed);
  EXPECT_FALSE(g.newEnd.has_value());
  EXPECT_FALSE(g.quotaPerDay.has_value());
  EXPECT_FALSE(g.elements.has_value());
  EXPECT_FALSE(g.addressParts.has_value());
  std::optional<Agreement> ag = service_.find("uji-poc");
  ASSERT_TRUE(ag.has_value());
  EXPECT_FALSE(ag->termsOn(service_.today()).quotaPerDay.has_value());
}

TEST_P(AgreementServiceTest, CurrentIsSharedUntilAnAdendumIsRecordedThroughAnyRepository) {
  // The lookup path asks current() on every lookup: one shared agreement while its adenda
  // stay the same, a new one as soon as another part of the host records an Adendum.
  std::shared_ptr<const Agreement> first = service_.current("uji-tetap");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(service_.current("uji-tetap").get(), first.get());
  const std::optional<int> before = first->termsOn(clock_.today()).quotaPerDay;
  ASSERT_NE(before, 350);

  AdendumRepository otherRepo(db_);
  AgreementService other({pocManifest(), fixedQuotaManifest()}, otherRepo, clock_);
  Adendum a = adendum("uji-tetap", "400.12/ADD-9/2026", Date(2026, 11, 22));
  a.quotaPerDay = 350;
  ASSERT_TRUE(other.addAdendum(a).ok());

  std::shared_ptr<const Agreement> after = service_.current("uji-tetap");
  ASSERT_NE(after, nullptr);
  EXPECT_NE(after.get(), first.get());
  EXPECT_EQ(after->termsOn(clock_.today()).quotaPerDay, 350);
  EXPECT_EQ(first->termsOn(clock_.today()).quotaPerDay, before);  // a holder keeps its copy
  EXPECT_EQ(service_.current("uji-tetap").get(), after.get());
  EXPECT_EQ(service_.current("uji-poc")->adenda().size(), 0u);
  EXPECT_EQ(service_.current("tidak-ada"), nullptr);
}

TEST_P(AgreementServiceTest, RefusesADuplicateNumberPerAgreementOnly) {
  Adendum a = adendum("uji-poc", "ADD/1", Date(2026, 11, 1));
  a.newEnd = Date(2028, 1, 1);
  ASSERT_TRUE(service_.addAdendum(a).ok());
  Result<Adendum> again = service_.addAdendum(a);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "adendum_duplicate");
  a.agencyId = "uji-tetap";  // the same number on another agreement is another letter
  EXPECT_TRUE(service_.addAdendum(a).ok());
  EXPECT_EQ(repo_.list("uji-poc").size(), 1u);
}

TEST_P(AgreementServiceTest, RefusesUnknownAgreementFutureDateAndAddedElement) {
  Adendum a = adendum("tidak-ada", "ADD/1", Date(2026, 11, 1));
  a.newEnd = Date(2028, 1, 1);
  EXPECT_EQ(service_.addAdendum(a).error().code, "agreement_unknown");

  a.agencyId = "uji-poc";
  a.date = Date(2026, 11, 24);  // tomorrow, by the clock
  Result<Adendum> future = service_.addAdendum(a);
  ASSERT_FALSE(future.ok());
  EXPECT_EQ(future.error().code, "adendum_invalid");
  EXPECT_NE(future.error().message.find("sesudah hari ini (2026-11-23)"), std::string::npos);

  a.date = Date(2026, 11, 23);  // today is fine
  a.newEnd.reset();
  a.elements = std::vector<std::string>{"NIK", "NO_KK"};
  Result<Adendum> added = service_.addAdendum(a);
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().code, "adendum_invalid");
  EXPECT_TRUE(repo_.list("uji-poc").empty());
}

TEST_P(AgreementServiceTest, StatusEdgesAfterAnExtensionFromTheStore) {
  // uji-tetap ended 2023-06-18; extended on 2026-11-20 to 2027-06-18.
  ASSERT_FALSE(service_.checkAccess("uji-tetap").ok());
  EXPECT_EQ(service_.checkAccess("uji-tetap").error().code, "agreement_expired");
  Adendum a = adendum("uji-tetap", "ADD/PERPANJANGAN", Date(2026, 11, 20));
  a.newEnd = Date(2027, 6, 18);
  ASSERT_TRUE(service_.addAdendum(a).ok());
  EXPECT_TRUE(service_.checkAccess("uji-tetap").ok());

  std::optional<Agreement> ag = service_.find("uji-tetap");
  ASSERT_TRUE(ag.has_value());
  EXPECT_EQ(ag->status(Date(2027, 4, 18)).phase, Phase::kActive);    // 61 days left
  EXPECT_EQ(ag->status(Date(2027, 4, 19)).phase, Phase::kExpiring);  // 60 days left
  EXPECT_EQ(ag->status(Date(2027, 6, 18)).phase, Phase::kExpiring);  // the new end day
  EXPECT_TRUE(ag->status(Date(2027, 6, 18)).allowsAccess());
  EXPECT_EQ(ag->status(Date(2027, 6, 19)).phase, Phase::kExpired);
  EXPECT_EQ(ag->status(Date(2026, 11, 19)).phase, Phase::kExpired);  // before the Adendum

  clock_.set(Date(2027, 6, 18).jakartaStart());
  EXPECT_TRUE(service_.checkAccess("uji-tetap").ok());
  clock_.set(Date(2027, 6, 19).jakartaStart());
  Status refused = service_.checkAccess("uji-tetap");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "agreement_expired");
  EXPECT_NE(refused.error().message.find("telah berakhir pada 2027-06-18"), std::string::npos);
}

TEST_P(AgreementServiceTest, LatestAdendumFromTheStoreWinsByDateThenInsertion) {
  Adendum first = adendum("uji-poc", "A", Date(2026, 10, 1));
  first.newEnd = Date(2030, 1, 1);
  Adendum second = adendum("uji-poc", "B", Date(2026, 9, 1));  // older date, recorded later
  second.newEnd = Date(2031, 1, 1);
  Adendum third = adendum("uji-poc", "C", Date(2026, 10, 1));  // same date, recorded last
  third.newEnd = Date(2029, 1, 1);
  ASSERT_TRUE(service_.addAdendum(first).ok());
  ASSERT_TRUE(service_.addAdendum(second).ok());
  ASSERT_TRUE(service_.addAdendum(third).ok());
  std::optional<Agreement> ag = service_.find("uji-poc");
  ASSERT_TRUE(ag.has_value());
  ASSERT_EQ(ag->adenda().size(), 3u);
  EXPECT_EQ(ag->adenda()[0].number, "B");
  EXPECT_EQ(ag->adenda()[1].number, "A");
  EXPECT_EQ(ag->adenda()[2].number, "C");
  EXPECT_EQ(ag->status(Date(2026, 11, 23)).end, Date(2029, 1, 1));
}

TEST_P(AgreementServiceTest, NotStartedAndUnknownAreRefused) {
  clock_.set(Date(2025, 9, 15).jakartaStart());
  Status s = service_.checkAccess("uji-poc");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "agreement_not_started");
  clock_.set(Date(2025, 9, 16).jakartaStart());
  EXPECT_TRUE(service_.checkAccess("uji-poc").ok());
  EXPECT_EQ(service_.checkAccess("tidak-ada").error().code, "agreement_unknown");
  EXPECT_EQ(service_.ids(), (std::vector<std::string>{"uji-poc", "uji-tetap"}));
}

TEST_P(AgreementServiceTest, AdendaSurviveReopeningTheStore) {
  Adendum a = adendum("uji-tetap", "ADD/9", Date(2026, 11, 1));
  a.quotaPerDay = 90;
  ASSERT_TRUE(service_.addAdendum(a).ok());
  store::Database reopened(tdb_.config());
  AdendumRepository repo2(reopened);  // migrations already applied: a no-op
  ASSERT_EQ(repo2.list("uji-tetap").size(), 1u);
  EXPECT_EQ(repo2.list("uji-tetap")[0].quotaPerDay, 90);
}

INSTANTIATE_TEST_SUITE_P(Backends, AgreementServiceTest,
                         ::testing::ValuesIn(gerbang::testing::storeBackends()),
                         [](const auto& info) {
                           return gerbang::testing::backendName(info.param);
                         });

}  // namespace
}  // namespace gerbang::agreement
