#include "core/reader/sam_registry.hpp"
#include "tests/support/support.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

namespace gerbang::reader {
namespace {

using gerbang::testing::backendName;
using gerbang::testing::storeBackends;

class SamRegistryTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  gerbang::testing::TempDir dir_;
  gerbang::testing::TestDatabase tdb_{GetParam(), dir_.path()};
  store::Database db_{tdb_.config()};
  SamRepository repo_{db_};
  // Purbalingga's term (ends 2027-09-16) and Karanganyar's (ended 2022-11-09).
  AgreementTerm open_{Date(2027, 9, 16), true};
  AgreementTerm ended_{Date(2022, 11, 9), true};
  Date today_{2026, 11, 23};
};

TEST_P(SamRegistryTest, ActivatedSamMayBeUsedWithinTheTerm) {
  ASSERT_TRUE(repo_.activate("5A4D000100000001", "purbalingga-dinnaker", Date(2025, 10, 1)));
  EXPECT_TRUE(repo_.authorizeUse("5A4D000100000001", "purbalingga-dinnaker", open_, today_));
  auto again = repo_.activate("5A4D000100000001", "purbalingga-dinnaker", today_);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "sam_exists");
}

TEST_P(SamRegistryTest, EndedAgreementRefusesWithTheDuty) {
  ASSERT_TRUE(repo_.activate("5A4D000100000002", "karanganyar-ak1", Date(2020, 12, 1)));
  auto s = repo_.authorizeUse("5A4D000100000002", "karanganyar-ak1", ended_, today_);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "agreement_ended");
  EXPECT_NE(s.error().message.find("kembalikan konfigurasi SAM"), std::string::npos);
  EXPECT_NE(s.error().message.find("nonaktifkan SAM"), std::string::npos);
  // The last day of the term is still inside it.
  EXPECT_TRUE(repo_.authorizeUse("5A4D000100000002", "karanganyar-ak1", ended_, Date(2022, 11, 9)));
  EXPECT_FALSE(repo_.authorizeUse("5A4D000100000002", "karanganyar-ak1",
                                  AgreementTerm{Date(2030, 1, 1), false}, today_));
}

TEST_P(SamRegistryTest, UnknownDeactivatedOrForeignSamIsRefused) {
  EXPECT_EQ(
      repo_.authorizeUse("5A4D0001000000FF", "purbalingga-dinnaker", open_, today_).error().code,
      "sam_not_activated");
  ASSERT_TRUE(repo_.activate("5A4D000100000003", "jabar-disnakertrans", Date(2021, 7, 1)));
  EXPECT_EQ(
      repo_.authorizeUse("5A4D000100000003", "purbalingga-dinnaker", open_, today_).error().code,
      "sam_other_agreement");
  ASSERT_TRUE(repo_.deactivate("5A4D000100000003", Date(2023, 6, 19)));
  EXPECT_EQ(
      repo_.authorizeUse("5A4D000100000003", "jabar-disnakertrans", open_, today_).error().code,
      "sam_deactivated");
  EXPECT_EQ(repo_.deactivate("5A4D0001000000FF", today_).error().code, "sam_unknown");
  // A deactivated SAM may be activated again (e.g. for a new PKS).
  EXPECT_TRUE(repo_.activate("5A4D000100000003", "purbalingga-dinnaker", today_));
  EXPECT_EQ(repo_.forAgreement("purbalingga-dinnaker").size(), 1u);
  EXPECT_TRUE(repo_.forAgreement("jabar-disnakertrans").empty());
}

TEST_P(SamRegistryTest, BastHandoverDataIsJson) {
  ASSERT_TRUE(repo_.activate("5A4D000100000002", "karanganyar-ak1", Date(2020, 12, 1)));
  auto j = repo_.bastJson("5A4D000100000002", ended_, today_);
  ASSERT_TRUE(j);
  Poco::JSON::Parser p;
  auto o = p.parse(*j).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(o->getValue<std::string>("sam_uid"), "5A4D000100000002");
  EXPECT_EQ(o->getValue<std::string>("agreement_id"), "karanganyar-ak1");
  EXPECT_EQ(o->getValue<std::string>("activated"), "2020-12-01");
  EXPECT_EQ(o->getValue<std::string>("agreement_end"), "2022-11-09");
  EXPECT_EQ(o->getValue<std::string>("handover_date"), "2026-11-23");
  EXPECT_EQ(o->getValue<std::string>("status"), "active");
  EXPECT_EQ(o->getArray("duties")->size(), 2u);
  EXPECT_FALSE(repo_.bastJson("nope", ended_, today_));
}

INSTANTIATE_TEST_SUITE_P(Backends, SamRegistryTest, ::testing::ValuesIn(storeBackends()),
                         [](const auto& i) { return backendName(i.param); });

}  // namespace
}  // namespace gerbang::reader
