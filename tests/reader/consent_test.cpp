#include "core/reader/consent.hpp"
#include "tests/support/support.hpp"

#include <gtest/gtest.h>

namespace gerbang::reader {
namespace {

using gerbang::testing::backendName;
using gerbang::testing::storeBackends;

// A test-only master secret (32 bytes).
constexpr const char* kSecret = "test-only-master-secret-0123456789abcdef";
// A synthetic resident's card data (nobody real).
constexpr const char* kNikA = "3303015203990007";

CardRead sampleRead() {
  return CardRead{"044B5400000007",
                  "5A4D000100000001",
                  {{"NIK", kNikA},
                   {"NAMA_LGKP", "WARGA CONTOH DUA"},
                   {"TGL_LHR", "12-03-1999"},
                   {"ALAMAT", "JL. UJI NO. 2"},
                   {"NO_RT", "001"}}};
}

PermittedFields purbalingga() {
  return {{"NIK", "NAMA_LGKP", "TMPT_LHR", "TGL_LHR", "JENIS_KLMIN", "STATUS_KAWIN", "JENIS_PKRJN",
           "ALAMAT"},
          {"ALAMAT", "NO_RT", "NO_RW", "KEC_NAME", "KEL_NAME", "KAB_NAME"}};
}

class ConsentTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  gerbang::testing::TempDir dir_;
  gerbang::testing::TestDatabase tdb_{GetParam(), dir_.path()};
  store::Database db_{tdb_.config()};
  FixedClock clock_{Date(2026, 11, 23)};
  audit::NikHasher hasher_{kSecret};
  ConsentRepository repo_{db_, hasher_, clock_};
};

TEST_P(ConsentTest, WithoutConsentNothingIsStored) {
  auto r = repo_.storeCardRead(sampleRead(), "op-1", "purbalingga-dinnaker", purbalingga());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "consent_required");
  EXPECT_EQ(r.error().detail.find(kNikA), std::string::npos);
  auto s = db_.session();
  int n = -1;
  s << "SELECT COUNT(*) FROM reader_card_data", Poco::Data::Keywords::into(n),
      Poco::Data::Keywords::now;
  EXPECT_EQ(n, 0);
}

TEST_P(ConsentTest, ConsentIsAuditableByHashNotByNik) {
  auto id = repo_.recordConsent(kNikA, "op-1", "purbalingga-dinnaker");
  ASSERT_TRUE(id) << id.error().detail;
  auto c = repo_.consents("purbalingga-dinnaker");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].nikHmac, *hasher_.hash("purbalingga-dinnaker", kNikA));
  EXPECT_NE(c[0].nikHmac, *hasher_.hash("jabar-disnakertrans", kNikA));  // unlinkable
  EXPECT_EQ(c[0].nikHmac.size(), 64u);
  EXPECT_EQ(c[0].nikHmac.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(c[0].operatorId, "op-1");
  EXPECT_EQ(c[0].at, clock_.now());
  // Consent is per agreement.
  EXPECT_FALSE(repo_.findConsent(kNikA, "jabar-disnakertrans"));
  EXPECT_TRUE(repo_.findConsent(kNikA, "purbalingga-dinnaker"));
  EXPECT_FALSE(repo_.recordConsent("12345", "op-1", "x"));
  EXPECT_FALSE(repo_.recordConsent(kNikA, "", "x"));
}

TEST_P(ConsentTest, WithConsentStoresOnlyPermittedFields) {
  ASSERT_TRUE(repo_.recordConsent(kNikA, "op-1", "purbalingga-dinnaker"));
  CardRead read = sampleRead();
  read.fields["AGAMA"] = "AGAMA-X";  // a caller cannot widen what is stored
  PermittedFields narrow{{"NIK", "NAMA_LGKP"}, {}};
  auto id = repo_.storeCardRead(read, "op-1", "purbalingga-dinnaker", narrow);
  ASSERT_TRUE(id) << id.error().detail;
  auto stored = repo_.storedFields(*id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->size(), 2u);
  EXPECT_EQ(stored->at("NIK"), kNikA);
  EXPECT_EQ(stored->at("NAMA_LGKP"), "WARGA CONTOH DUA");
  EXPECT_FALSE(stored->count("AGAMA"));
  EXPECT_FALSE(stored->count("TGL_LHR"));
}

TEST_P(ConsentTest, ConsentForAnotherResidentDoesNotCount) {
  ASSERT_TRUE(repo_.recordConsent("3303015203990008", "op-1", "purbalingga-dinnaker"));
  auto r = repo_.storeCardRead(sampleRead(), "op-1", "purbalingga-dinnaker", purbalingga());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "consent_required");
}

INSTANTIATE_TEST_SUITE_P(Backends, ConsentTest, ::testing::ValuesIn(storeBackends()),
                         [](const auto& i) { return backendName(i.param); });

}  // namespace
}  // namespace gerbang::reader
