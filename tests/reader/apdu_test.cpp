#include "core/reader/apdu.hpp"

#include <gtest/gtest.h>

#include <deque>

namespace gerbang::reader {
namespace {

TEST(CommandApduTest, EncodesTheFourCases) {
  EXPECT_EQ(toHex(CommandApdu{0x00, 0xA4, 0x00, 0x0C, {0x7F, 0x0A}, -1}.encode()),
            "00A4000C027F0A");
  EXPECT_EQ(toHex(CommandApdu{0x00, 0x84, 0x00, 0x00, {}, 8}.encode()), "0084000008");
  EXPECT_EQ(toHex(CommandApdu{0xFF, 0xCA, 0x00, 0x00, {}, 256}.encode()), "FFCA000000");
  EXPECT_EQ(toHex(CommandApdu{0x00, 0x82, 0x00, 0x00, {0x01}, 0}.encode()),
            "008200000101"
            "00");
  EXPECT_EQ(toHex(CommandApdu{0x00, 0xB0, 0x01, 0x02, {}, -1}.encode()), "00B00102");
  EXPECT_THROW(CommandApdu({0, 0, 0, 0, Bytes(256), -1}).encode(), std::length_error);
}

TEST(ResponseApduTest, SplitsDataAndStatus) {
  auto r = parseResponse({0x01, 0x02, 0x90, 0x00});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->data, (Bytes{1, 2}));
  EXPECT_TRUE(r->ok());
  auto bad = parseResponse({0x90});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "card_bad_response");
  EXPECT_NE(bad.error().detail.find("length 1"), std::string::npos);
}

struct SwCase {
  uint16_t sw;
  const char* code;
  const char* inMessage;
};

class StatusWordTest : public ::testing::TestWithParam<SwCase> {};

TEST_P(StatusWordTest, MapsToStableCodeAndIndonesianMessage) {
  Error e = statusError(GetParam().sw, 0xB0);
  EXPECT_EQ(e.code, GetParam().code);
  EXPECT_NE(e.message.find(GetParam().inMessage), std::string::npos) << e.message;
  EXPECT_NE(e.detail.find("INS B0"), std::string::npos) << e.detail;
}

INSTANTIATE_TEST_SUITE_P(
    Sw, StatusWordTest,
    ::testing::Values(SwCase{0x6A82, "card_file_not_found", "Berkas tidak ditemukan"},
                      SwCase{0x6982, "card_security_status", "Status keamanan"},
                      SwCase{0x6700, "card_wrong_length", "Panjang perintah salah"},
                      SwCase{0x6D00, "card_ins_not_supported", "Instruksi tidak didukung"},
                      SwCase{0x6E00, "card_cla_not_supported", "Kelas instruksi"},
                      SwCase{0x6300, "card_auth_failed", "Autentikasi ditolak"},
                      SwCase{0x63C2, "card_auth_failed", "Autentikasi ditolak"},
                      SwCase{0x6988, "card_secure_messaging", "secure messaging"},
                      SwCase{0x6B00, "card_wrong_params", "Parameter"},
                      SwCase{0x6F00, "card_error", "tanpa keterangan"},
                      SwCase{0x6A88, "card_status", "6A88"}));

// A scripted card: answers from a queue, records commands.
class ScriptedChannel : public CardChannel {
 public:
  std::deque<Bytes> answers;
  std::vector<Bytes> sent;
  Result<Bytes> transmit(const Bytes& c) override {
    sent.push_back(c);
    if (answers.empty()) return Error{"card_removed", "x", "script ended"};
    Bytes a = answers.front();
    answers.pop_front();
    return a;
  }
};

TEST(ExchangeTest, FollowsGetResponseAndWrongLe) {
  ScriptedChannel ch;
  ch.answers = {{0x6C, 0x04}, {0xAA, 0x61, 0x02}, {0xBB, 0xCC, 0x90, 0x00}};
  auto r = exchange(ch, CommandApdu{0x00, 0xB0, 0, 0, {}, 2});
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(r->data, (Bytes{0xAA, 0xBB, 0xCC}));
  EXPECT_TRUE(r->ok());
  ASSERT_EQ(ch.sent.size(), 3u);
  EXPECT_EQ(toHex(ch.sent[1]), "00B0000004");
  EXPECT_EQ(toHex(ch.sent[2]), "00C0000002");
}

TEST(ExchangeTest, TransportErrorPassesThroughAndStatusIsMapped) {
  ScriptedChannel ch;
  auto r = exchangeOk(ch, CommandApdu{0x00, 0xA4, 0, 0, {0x7F, 0x0A}, -1});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "card_removed");
  ch.answers = {{0x6A, 0x82}};
  r = exchangeOk(ch, CommandApdu{0x00, 0xA4, 0, 0, {0x7F, 0x0A}, -1});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "card_file_not_found");
}

TEST(ExchangeTest, EndlessGetResponseIsBounded) {
  ScriptedChannel ch;
  for (int i = 0; i < 100; ++i) ch.answers.push_back({0x00, 0x61, 0x01});
  auto r = exchange(ch, CommandApdu{0x00, 0xB0, 0, 0, {}, 1});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "card_bad_response");
}

TEST(HexTest, RoundTripsAndRejectsGarbage) {
  EXPECT_EQ(fromHex("7f 0a"), (Bytes{0x7F, 0x0A}));
  EXPECT_FALSE(fromHex("7F0"));
  EXPECT_FALSE(fromHex("7G"));
}

}  // namespace
}  // namespace gerbang::reader
