// The KTP-el card flow against the in-process virtual chip and SAM (no pcscd): the same
// devices gerbang-vcard puts into the vpcd slots.
#include "core/reader/ktpel.hpp"
#include "core/reader/test_sam_adapter.hpp"
#include "sim/population/population.hpp"
#include "sim/vcard/stand_in_crypto.hpp"
#include "sim/vcard/vcard.hpp"
#include "sim/vcard/virtual_card.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace gerbang::reader {
namespace {

using vcard::SamIdentity;
using vcard::VirtualChip;
using vcard::VirtualSam;

// Carries APDUs straight to a virtual device; can fail after a number of exchanges.
class DeviceChannel : public CardChannel {
 public:
  explicit DeviceChannel(vcard::VirtualDevice& d) : d_(d) {}
  int failAfter = -1;
  int count = 0;
  bool tamper = false;  // flip a bit in secure-messaging answers
  Result<Bytes> transmit(const Bytes& c) override {
    if (failAfter >= 0 && count >= failAfter)
      return Error{"card_removed", "Kartu diangkat", "test channel"};
    ++count;
    Bytes r = d_.process(c);
    if (tamper && c.size() > 1 && c[0] == 0x0C && r.size() > 4) r[0] ^= 0x01;
    return r;
  }

 private:
  vcard::VirtualDevice& d_;
};

const sim::Population& population() {
  static const sim::Population p(sim::Wilayah::loadDefault(), sim::Population::kDefaultSeed, 500);
  return p;
}

SamIdentity goodSam() {
  return SamIdentity{*fromHex("5A4D000100000001"), *fromHex("50434944"), *fromHex("434F4E46"),
                     *fromHex("000102030405060708090A0B0C0D0E0F")};
}

SamSecrets secretsOf(const SamIdentity& s) { return SamSecrets{s.pcid, s.conf}; }

class KtpelFlowTest : public ::testing::Test {
 protected:
  sim::Resident resident_ = population().at(7);
  VirtualChip chip_{vcard::uidFor(7), vcard::biodataFor(resident_), goodSam().master};
  VirtualSam sam_{goodSam()};
  DeviceChannel card_{chip_};
  DeviceChannel samCh_{sam_};
  TestSamAdapter adapter_;
};

TEST_F(KtpelFlowTest, ReadsBiodataThroughTheSam) {
  auto r = readKtpel(card_, samCh_, adapter_, secretsOf(goodSam()));
  ASSERT_TRUE(r) << r.error().code << ": " << r.error().detail;
  EXPECT_EQ(toHex(r->cardUid), toHex(vcard::uidFor(7)));
  EXPECT_EQ(toHex(r->samUid), "5A4D000100000001");
  EXPECT_EQ(r->biodata[kNik], resident_.nik);
  EXPECT_EQ(r->biodata[kNama], resident_.nama);
  EXPECT_EQ(r->biodata[kTanggalLahir], resident_.tanggalLahir.dmy());
  EXPECT_EQ(r->biodata[kAgama], resident_.agama);
  // 512-byte file in 0xE0 chunks: three protected reads after the protected select.
  EXPECT_EQ(card_.count, 1 /*UID*/ + 1 /*select DF*/ + 2 /*auth*/ + 1 /*SM select*/ + 3);
}

TEST_F(KtpelFlowTest, WrongPcidIsRejectedBySam) {
  SamSecrets s = secretsOf(goodSam());
  s.pcid[0] ^= 0xFF;
  auto r = readKtpel(card_, samCh_, adapter_, s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "sam_rejected");
  EXPECT_EQ(card_.count, 0);  // the chip is not touched with an unopened SAM
}

TEST_F(KtpelFlowTest, SamForAnotherKeyFailsMutualAuthentication) {
  SamIdentity other = goodSam();
  other.master[0] ^= 0x01;
  VirtualSam otherSam(other);
  DeviceChannel otherCh(otherSam);
  auto r = readKtpel(card_, otherCh, adapter_, secretsOf(other));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "card_auth_failed");
}

TEST_F(KtpelFlowTest, BiodataIsNotReadableInPlain) {
  KtpelSession s(card_, samCh_, adapter_);
  ASSERT_TRUE(s.selectApplication());
  auto sel = exchange(card_, CommandApdu{0x00, 0xA4, 0x02, 0x0C, {0x6F, 0xF1}, -1});
  ASSERT_TRUE(sel);
  EXPECT_EQ(sel->sw, 0x6982);
  EXPECT_EQ(statusError(sel->sw, 0xA4).code, "card_security_status");
}

TEST_F(KtpelFlowTest, RemovalMidReadIsTypedError) {
  card_.failAfter = 6;  // inside the protected reads
  auto r = readKtpel(card_, samCh_, adapter_, secretsOf(goodSam()));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "card_removed");
}

TEST_F(KtpelFlowTest, TamperedProtectedAnswerIsRefused) {
  card_.tamper = true;
  auto r = readKtpel(card_, samCh_, adapter_, secretsOf(goodSam()));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "card_secure_messaging");
}

TEST_F(KtpelFlowTest, PhotoIsRefusedUnlessPermitted) {
  KtpelSession s(card_, samCh_, adapter_);
  ASSERT_TRUE(s.selectApplication());
  PermittedFields every{{"NO_KK", "NIK", "NAMA_LGKP", "TMPT_LHR", "TGL_LHR", "JENIS_KLMIN",
                         "STATUS_KAWIN", "JENIS_PKRJN", "ALAMAT"},
                        {}};
  int before = card_.count;
  auto refused = s.readPhoto(every);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "element_not_permitted");
  EXPECT_EQ(card_.count, before);  // refused before touching the card
  // The reading path itself works (for the day an Adendum would permit it).
  auto photo = s.readPhoto({{"FOTO"}, {}});
  ASSERT_TRUE(photo) << photo.error().detail;
  EXPECT_EQ(photo->size(), 609u);
}

TEST(KtpelProfileTest, NotAKtpelIsFileNotFound) {
  class Blank : public CardChannel {
    Result<Bytes> transmit(const Bytes& c) override {
      if (c[0] == 0xFF) return Bytes{0x01, 0x02, 0x03, 0x04, 0x90, 0x00};
      return Bytes{0x6A, 0x82};
    }
  } blank;
  VirtualSam sam{goodSam()};
  DeviceChannel samCh(sam);
  TestSamAdapter adapter;
  auto r = readKtpel(blank, samCh, adapter, secretsOf(goodSam()));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "card_file_not_found");
}

TEST(KtpelProfileTest, PhotoHeaderIsBigEndianLength) {
  EXPECT_EQ(*parsePhotoLength({0x02, 0x61}), 0x0261u);
  EXPECT_FALSE(parsePhotoLength({0x02}));
  EXPECT_FALSE(parsePhotoLength({0x00, 0x00}));
}

TEST(StandInCryptoTest, ProtectRoundTripsAndDetectsTampering) {
  Bytes ks(32, 0x11), m{1, 2, 3, 4, 5};
  Bytes sealed = vcard::protect(ks, 3, m);
  EXPECT_EQ(vcard::unprotect(ks, 3, sealed), m);
  EXPECT_FALSE(vcard::unprotect(ks, 4, sealed));  // replay under another counter
  sealed[0] ^= 1;
  EXPECT_FALSE(vcard::unprotect(ks, 3, sealed));
}

}  // namespace
}  // namespace gerbang::reader
