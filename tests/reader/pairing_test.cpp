#include "core/reader/reader_service.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>
#include <gtest/gtest.h>

namespace gerbang::reader {
namespace {

TEST(PairingTest, PairsContactlessSlotWithSamSlotOfTheSameDevice) {
  std::vector<std::string> names{"ACS ACR1281 1S Dual Reader PICC 00 00",
                                 "Other Vendor SAM Reader 01 00",
                                 "ACS ACR1281 1S Dual Reader SAM 00 01"};
  auto p = pairReaders(names, ReaderPairing{});
  ASSERT_TRUE(p) << p.error().detail;
  EXPECT_EQ(p->contactless, names[0]);
  EXPECT_EQ(p->sam, names[2]);
}

TEST(PairingTest, VpcdPresetPairsSlotZeroAndOne) {
  auto p = pairReaders({"Virtual PCD 00 00", "Virtual PCD 00 01"}, ReaderPairing::vpcd());
  ASSERT_TRUE(p);
  EXPECT_EQ(p->contactless, "Virtual PCD 00 00");
  EXPECT_EQ(p->sam, "Virtual PCD 00 01");
}

TEST(PairingTest, MissingSlotsAreTypedErrors) {
  auto none = pairReaders({}, ReaderPairing::vpcd());
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, "reader_absent");
  auto noSam = pairReaders({"Virtual PCD 00 00"}, ReaderPairing::vpcd());
  ASSERT_FALSE(noSam);
  EXPECT_EQ(noSam.error().code, "sam_slot_absent");
  EXPECT_THROW(pairReaders({"x"}, ReaderPairing{"(", "SAM"}), std::invalid_argument);
}

TEST(ReaderConfigTest, ReadsSecretsAndRejectsMalformedKeysWithoutEchoingThem) {
  Poco::AutoPtr<Poco::Util::MapConfiguration> c(new Poco::Util::MapConfiguration);
  c->setString("reader.preset", "vpcd");
  c->setString("reader.sam.pcid", "0A0B");
  c->setString("reader.sam.conf", "0C0D");
  c->setString("reader.transmit.timeout.ms", "2500");
  PcscOptions o;
  auto r = ReaderConfig::fromConfiguration(*c, &o);
  EXPECT_EQ(r.secrets.pcid, (Bytes{0x0A, 0x0B}));
  EXPECT_EQ(r.pairing.samPattern, ReaderPairing::vpcd().samPattern);
  EXPECT_EQ(o.transmitTimeout, std::chrono::milliseconds(2500));

  c->setString("reader.sam.conf", "S3CRETZZ");
  try {
    ReaderConfig::fromConfiguration(*c);
    FAIL() << "malformed CONF accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("reader.sam.conf"), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find("S3CRETZZ"), std::string::npos);
  }
  c->remove("reader.sam.pcid");
  EXPECT_THROW(ReaderConfig::fromConfiguration(*c), std::invalid_argument);
}

}  // namespace
}  // namespace gerbang::reader
