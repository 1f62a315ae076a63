// Terms and status of one agreement from its manifest and adenda (no store involved).
#include "core/agreement/agreement.hpp"
#include "tests/agreement/test_manifests.hpp"

#include <gtest/gtest.h>

namespace gerbang::agreement {
namespace {

using testing::fixedQuotaManifest;
using testing::pocManifest;

Adendum extendTo(Date date, Date end, Poco::Int64 id = 0, std::string number = "ADD/1") {
  Adendum a;
  a.id = id;
  a.agencyId = "uji";
  a.number = std::move(number);
  a.date = date;
  a.newEnd = end;
  return a;
}

TEST(AgreementStatusTest, EdgesAroundTheTerm) {
  Agreement a(pocManifest(), {});  // 2025-09-16 .. 2027-09-16, notice 60 days
  struct Case {
    Date today;
    Phase phase;
    int daysLeft;
    bool access;
  } cases[] = {
      {Date(2025, 9, 15), Phase::kNotStarted, 731, false},
      {Date(2025, 9, 16), Phase::kActive, 730, true},   // first day
      {Date(2027, 7, 17), Phase::kActive, 61, true},    // 61 days left: not yet expiring
      {Date(2027, 7, 18), Phase::kExpiring, 60, true},  // exactly 60 days left
      {Date(2027, 7, 20), Phase::kExpiring, 58, true},
      {Date(2027, 9, 16), Phase::kExpiring, 0, true},   // the end day itself still allows access
      {Date(2027, 9, 17), Phase::kExpired, -1, false},  // the day after is expired
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.today.iso());
    AgreementStatus s = a.status(c.today);
    EXPECT_EQ(s.phase, c.phase);
    EXPECT_EQ(s.daysLeft, c.daysLeft);
    EXPECT_EQ(s.allowsAccess(), c.access);
    EXPECT_EQ(s.end, Date(2027, 9, 16));
  }
}

TEST(AgreementStatusTest, NoticePeriodComesFromTheManifest) {
  plugin::Manifest m = pocManifest();
  m.extensionNoticeDays = 10;
  Agreement a(m, {});
  EXPECT_EQ(a.status(Date(2027, 9, 5)).phase, Phase::kActive);    // 11 left
  EXPECT_EQ(a.status(Date(2027, 9, 6)).phase, Phase::kExpiring);  // 10 left
}

TEST(AgreementStatusTest, PhaseNamesAreStable) {
  EXPECT_EQ(phaseName(Phase::kNotStarted), "not_started");
  EXPECT_EQ(phaseName(Phase::kActive), "active");
  EXPECT_EQ(phaseName(Phase::kExpiring), "expiring");
  EXPECT_EQ(phaseName(Phase::kExpired), "expired");
}

TEST(AgreementTermsTest, AnExtendingAdendumRevivesAnExpiredAgreement) {
  Agreement a(fixedQuotaManifest(), {extendTo(Date(2026, 11, 20), Date(2027, 6, 18))});
  EXPECT_EQ(a.status(Date(2026, 11, 19)).phase, Phase::kExpired);  // before it was signed
  AgreementStatus s = a.status(Date(2026, 11, 23));
  EXPECT_EQ(s.phase, Phase::kActive);
  EXPECT_EQ(s.end, Date(2027, 6, 18));
  EXPECT_EQ(s.daysLeft, 207);
  EXPECT_EQ(a.termsOn(Date(2026, 11, 23)).adendumNumbers, std::vector<std::string>{"ADD/1"});
}

TEST(AgreementTermsTest, LatestAdendumByDateThenRecordingOrderWins) {
  // Recorded out of order: the later-dated one wins whatever the id; on the same date the
  // later-recorded (higher id) wins.
  Agreement a(fixedQuotaManifest(), {extendTo(Date(2026, 10, 1), Date(2028, 1, 1), 5, "B"),
                                     extendTo(Date(2026, 9, 1), Date(2029, 1, 1), 9, "A"),
                                     extendTo(Date(2026, 10, 1), Date(2027, 12, 31), 7, "C")});
  EXPECT_EQ(a.adenda()[0].number, "A");
  EXPECT_EQ(a.adenda()[1].number, "B");
  EXPECT_EQ(a.adenda()[2].number, "C");
  EXPECT_EQ(a.termsOn(Date(2026, 11, 23)).end, Date(2027, 12, 31));
  EXPECT_EQ(a.termsOn(Date(2026, 9, 15)).end, Date(2029, 1, 1));
}

TEST(AgreementTermsTest, LaterAdendaKeepTermsTheyDoNotChange) {
  Adendum quota;
  quota.id = 2;
  quota.number = "Q";
  quota.date = Date(2026, 12, 1);
  quota.quotaPerDay = 150;
  Agreement a(fixedQuotaManifest(), {extendTo(Date(2026, 11, 1), Date(2027, 6, 18), 1), quota});
  EffectiveTerms t = a.termsOn(Date(2026, 12, 2));
  EXPECT_EQ(t.end, Date(2027, 6, 18));
  EXPECT_EQ(t.quotaPerDay, 150);
  EXPECT_EQ(t.elements.size(), 9u);
}

TEST(AgreementTermsTest, PassedPocLiftsTheQuotaOnlyWhereTheJuknisSaysSo) {
  Adendum poc;
  poc.number = "POC";
  poc.date = Date(2026, 1, 10);
  poc.pocPassed = true;
  Agreement a(pocManifest(), {poc});
  EXPECT_EQ(a.termsOn(Date(2026, 1, 9)).quotaPerDay, 200);
  EXPECT_FALSE(a.termsOn(Date(2026, 1, 10)).quotaPerDay.has_value());
  EXPECT_TRUE(a.termsOn(Date(2026, 1, 10)).pocPassed);
  // An (invalid, unvalidated) PoC on an agreement without that clause changes nothing.
  poc.date = Date(2022, 1, 10);
  Agreement fixed(fixedQuotaManifest(), {poc});
  EXPECT_EQ(fixed.termsOn(Date(2022, 2, 1)).quotaPerDay, 75);
}

TEST(AgreementTermsTest, NarrowingAwayAlamatDropsEveryAddressPart) {
  Adendum n;
  n.number = "N";
  n.date = Date(2026, 1, 1);
  n.elements = std::vector<std::string>{"NIK", "NAMA_LGKP"};
  Agreement a(pocManifest(), {n});
  EffectiveTerms t = a.termsOn(Date(2026, 1, 1));
  EXPECT_EQ(t.elements, (std::vector<std::string>{"NIK", "NAMA_LGKP"}));
  EXPECT_TRUE(t.addressParts.empty());
}

// --- validation -------------------------------------------------------------------------

Adendum valid() {
  Adendum a;
  a.agencyId = "uji-poc";
  a.number = "100/ADD/2026";
  a.date = Date(2026, 11, 1);
  a.newEnd = Date(2029, 9, 16);
  return a;
}

void expectInvalid(const plugin::Manifest& m, const Adendum& a, const std::string& needle) {
  Status s = validateAdendum(m, a);
  ASSERT_FALSE(s.ok()) << "expected refusal mentioning " << needle;
  EXPECT_EQ(s.error().code, "adendum_invalid");
  EXPECT_NE(s.error().message.find(needle), std::string::npos) << s.error().message;
}

TEST(ValidateAdendumTest, AcceptsExtensionNarrowingQuotaAndPoc) {
  EXPECT_TRUE(validateAdendum(pocManifest(), valid()).ok());
  Adendum a = valid();
  a.newEnd.reset();
  a.elements = std::vector<std::string>{"NIK", "NAMA_LGKP", "ALAMAT"};
  a.addressParts = std::vector<std::string>{"ALAMAT", "NO_RT"};
  EXPECT_TRUE(validateAdendum(pocManifest(), a).ok());
  Adendum q = valid();
  q.quotaPerDay = 500;
  EXPECT_TRUE(validateAdendum(pocManifest(), q).ok());
  Adendum p = valid();
  p.pocPassed = true;
  EXPECT_TRUE(validateAdendum(pocManifest(), p).ok());
}

TEST(ValidateAdendumTest, RefusesAnElementTheManifestLacks) {
  Adendum a = valid();
  a.elements = std::vector<std::string>{"NIK", "NO_KK"};  // Purbalingga-like: no NO_KK
  Status s = validateAdendum(pocManifest(), a);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "adendum_invalid");
  // Indonesian first, English after.
  EXPECT_NE(s.error().message.find("elements[1]: 'NO_KK' tidak termasuk"), std::string::npos)
      << s.error().message;
  EXPECT_NE(s.error().message.find("never add one"), std::string::npos);
}

TEST(ValidateAdendumTest, RefusesEveryMalformedAdendum) {
  plugin::Manifest m = pocManifest();
  Adendum a = valid();
  a.number = "  ";
  expectInvalid(m, a, "number:");
  a = valid();
  a.date = Date(2025, 9, 15);
  expectInvalid(m, a, "date: tanggal Adendum 2025-09-15 sebelum PKS ditandatangani");
  a = valid();
  a.newEnd = Date(2025, 9, 16);  // must be strictly after signing
  expectInvalid(m, a, "end:");
  a = valid();
  a.quotaPerDay = 0;
  expectInvalid(m, a, "quota: kuota per hari harus lebih dari 0");
  a = valid();
  a.pocPassed = true;
  a.quotaPerDay = 300;
  expectInvalid(m, a, "quota: PoC lulus");
  a = valid();
  a.pocPassed = true;
  expectInvalid(fixedQuotaManifest(), a, "poc_passed:");
  a = valid();
  a.elements = std::vector<std::string>{};
  expectInvalid(m, a, "elements: daftar elemen data tidak boleh kosong");
  a = valid();
  a.elements = std::vector<std::string>{"NIK", "NIK"};
  expectInvalid(m, a, "elements[1]: 'NIK' disebut dua kali");
  a = valid();
  a.addressParts = std::vector<std::string>{"KODE_POS"};  // Purbalingga-like: no postcode
  expectInvalid(m, a, "address_parts[0]: 'KODE_POS' tidak termasuk");
  a = valid();
  a.elements = std::vector<std::string>{"NIK"};
  a.addressParts = std::vector<std::string>{"NO_RT"};
  expectInvalid(m, a, "address_parts: bagian alamat diisi padahal elemen ALAMAT tidak diizinkan");
  a = valid();
  a.newEnd.reset();
  expectInvalid(m, a, "tidak mengubah apa pun");
}

}  // namespace
}  // namespace gerbang::agreement
