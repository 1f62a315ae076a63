#include "core/audit/nik_hmac.hpp"

#include "core/audit/crypto.hpp"
#include "tests/support/support.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <set>
#include <thread>

namespace gerbang::audit {
namespace {

// Synthetic NIKs: well-formed, made up for tests.
constexpr std::string_view kNikA = "3273014506990001";
constexpr std::string_view kNikB = "3273014506990002";

std::string masterSecret() {
  std::string s;
  for (int i = 0; i < 32; ++i) s.push_back(char(i));
  return s;
}

std::string fromHex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(char(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

TEST(CryptoTest, HmacSha256MatchesRfc4231) {
  // RFC 4231 test case 2.
  EXPECT_EQ(toHex(hmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(CryptoTest, HmacSha256KeepsEachKeyApartWhenKeysAlternate) {
  // Each thread reuses its keyed context while the key stays the same: changing keys back
  // and forth (the audit chain key, the balikan key, HKDF) must give every key's own MAC.
  // RFC 4231 test cases 1 and 2, and an empty key (HMAC pads it to a block of zeros).
  const std::string key1(20, '\x0b');
  const std::string case1 = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7";
  const std::string case2 = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
  const std::string empty = "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad";
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(toHex(hmacSha256(key1, "Hi There")), case1);
    EXPECT_EQ(toHex(hmacSha256(key1, "Hi There")), case1);
    EXPECT_EQ(toHex(hmacSha256("Jefe", "what do ya want for nothing?")), case2);
    EXPECT_EQ(toHex(hmacSha256("", "")), empty);
  }
  // Another thread has its own context and gets the same answers.
  std::string fromOther;
  std::thread([&] { fromOther = toHex(hmacSha256("Jefe", "what do ya want for nothing?")); })
      .join();
  EXPECT_EQ(fromOther, case2);
}

TEST(CryptoTest, HkdfSha256MatchesRfc5869) {
  // RFC 5869 test case 1 (first 32 bytes of the 42-byte OKM).
  std::string ikm(22, '\x0b');
  EXPECT_EQ(toHex(hkdfSha256(ikm, fromHex("000102030405060708090a0b0c"),
                             fromHex("f0f1f2f3f4f5f6f7f8f9"))),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf");
}

TEST(CryptoTest, Sha256AndHexHelpers) {
  EXPECT_EQ(toHex(sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(isDigestHex(toHex(sha256(""))));
  EXPECT_FALSE(isDigestHex(std::string(64, 'A')));
  EXPECT_FALSE(isDigestHex(kNikA));
  EXPECT_TRUE(constantTimeEquals("abc", "abc"));
  EXPECT_FALSE(constantTimeEquals("abc", "abd"));
  EXPECT_FALSE(constantTimeEquals("abc", "abcd"));
}

TEST(NikHasherTest, MatchesIndependentComputation) {
  // Computed independently (Python hmac/hashlib): HKDF-SHA256(master, salt "gerbang/v1",
  // info "nik-hmac:jabar-disnakertrans"), then HMAC-SHA256(key, NIK).
  NikHasher h(masterSecret());
  auto r = h.hash("jabar-disnakertrans", kNikA);
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(*r, "91682c047b6ab5749c803901cbabe66b71f4af47900d1d9044c1ab94a62dde32");
  // Reusing the cached context gives the same answer.
  EXPECT_EQ(*h.hash("jabar-disnakertrans", kNikA), *r);
}

TEST(NikHasherTest, KeysArePerAgreementAndPerSecret) {
  NikHasher h(masterSecret());
  std::string a1 = *h.hash("jabar-disnakertrans", kNikA);
  std::string a2 = *h.hash("purbalingga-dinnaker", kNikA);
  std::string b1 = *h.hash("jabar-disnakertrans", kNikB);
  EXPECT_NE(a1, a2);  // unlinkable across agreements
  EXPECT_NE(a1, b1);
  std::string other = masterSecret();
  other[0] = 'x';
  EXPECT_NE(*NikHasher(other).hash("jabar-disnakertrans", kNikA), a1);
  EXPECT_EQ(a1.find(std::string(kNikA)), std::string::npos);
}

TEST(NikHasherTest, RefusesAnythingButSixteenDigits) {
  NikHasher h(masterSecret());
  for (std::string_view bad : {"327301450699000", "32730145069900011", " 3273014506990001",
                               "3273014506990001 ", "32730145069900O1", ""}) {
    auto r = h.hash("jabar-disnakertrans", bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, "invalid_nik");
    EXPECT_EQ(r.error().message, "NIK tidak sesuai format Dukcapil");
    EXPECT_EQ(r.error().detail.find("327301450699"), std::string::npos) << r.error().detail;
  }
  auto r = h.hash("", kNikA);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "invalid_agreement");
}

TEST(NikHasherTest, DerivedKeysAreDistinctFromNikKeys) {
  NikHasher h(masterSecret());
  std::string audit = h.deriveKey("audit-anchor");
  EXPECT_EQ(audit.size(), 32u);
  EXPECT_NE(audit, h.deriveKey("other"));
  EXPECT_EQ(audit, NikHasher(masterSecret()).deriveKey("audit-anchor"));
  // The label namespace is separate: "nik-hmac:x" as a label is not the agreement key.
  std::string prk(reinterpret_cast<const char*>(hmacSha256("gerbang/v1", masterSecret()).data()),
                  32);
  std::string agreementKey(
      reinterpret_cast<const char*>(hmacSha256(prk, std::string("nik-hmac:x") + '\x01').data()),
      32);
  EXPECT_NE(h.deriveKey("nik-hmac:x"), agreementKey);
}

TEST(NikHasherTest, RefusesShortSecretWithoutEchoingIt) {
  try {
    NikHasher h("short-secret-value");
    FAIL() << "accepted an 18-byte secret";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).find("short-secret-value"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("18 bytes"), std::string::npos) << e.what();
  }
}

TEST(NikHasherTest, ParsesKeyTextAndNamesWhereItIsWrong) {
  const std::string hex64(64, 'a');
  EXPECT_EQ(NikHasher::parseKeyText("# gerbang key\n\n" + hex64 + "\n", "k").size(), 32u);
  EXPECT_EQ(NikHasher::parseKeyText("  " + hex64 + " \r\n", "k"), std::string(32, '\xaa'));
  auto message = [](const std::string& text) {
    try {
      NikHasher::parseKeyText(text, "key file /etc/gerbang/nik.key");
      return std::string("accepted");
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
  };
  EXPECT_EQ(message("# only a comment\n"), "key file /etc/gerbang/nik.key: no key line found");
  EXPECT_EQ(message("#\n" + hex64.substr(0, 10) + "zz" + hex64.substr(12) + "\n"),
            "key file /etc/gerbang/nik.key: line 2, column 11: not a hex digit");
  EXPECT_EQ(message(hex64 + "a\n"),
            "key file /etc/gerbang/nik.key: line 1: odd number of hex digits");
  EXPECT_EQ(message(std::string(40, 'b')),
            "key file /etc/gerbang/nik.key: line 1: key has 20 bytes; at least 32 are required");
  EXPECT_EQ(message(hex64 + "\n" + hex64 + "\n"),
            "key file /etc/gerbang/nik.key: line 2: a second key line (expected exactly one "
            "line of hex)");
  // Messages never echo the key material.
  EXPECT_EQ(message(std::string(40, 'b')).find("bbbb"), std::string::npos);
}

TEST(NikHasherTest, KeyFileMustBePrivate) {
  gerbang::testing::TempDir dir;
  auto path = dir / "nik.key";
  {
    std::ofstream out(path);
    out << "# test key\n" << std::string(64, 'c') << "\n";
  }
  ::chmod(path.c_str(), 0644);
  try {
    NikHasher::fromKeyFile(path);
    FAIL() << "accepted a world-readable key file";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("group or others have access"), std::string::npos)
        << e.what();
  }
  ::chmod(path.c_str(), 0600);
  NikHasher h = NikHasher::fromKeyFile(path);
  EXPECT_EQ(*h.hash("a", kNikA), *NikHasher(std::string(32, '\xcc')).hash("a", kNikA));
  EXPECT_THROW(NikHasher::fromKeyFile(dir / "missing.key"), std::runtime_error);
}

TEST(NikHasherTest, CreatesAPrivateRandomKeyFileOnce) {
  gerbang::testing::TempDir dir;
  auto a = dir / "a.key";
  auto b = dir / "b.key";
  NikHasher::createKeyFile(a);
  NikHasher::createKeyFile(b);
  struct stat st {};
  ASSERT_EQ(::stat(a.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(a);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Two fresh keys give different pseudonyms for the same person.
  EXPECT_NE(*NikHasher::fromKeyFile(a).hash("x", kNikA),
            *NikHasher::fromKeyFile(b).hash("x", kNikA));
  // A working key is never replaced.
  EXPECT_THROW(NikHasher::createKeyFile(a), std::runtime_error);
  std::ifstream again(a);
  std::string after((std::istreambuf_iterator<char>(again)), std::istreambuf_iterator<char>());
  EXPECT_EQ(after, text);
}

TEST(NikHasherTest, ConcurrentCallersAgree) {
  NikHasher h(masterSecret());
  const std::string expected = *h.hash("jabar-disnakertrans", kNikA);
  std::vector<std::thread> ts;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 8; ++t)
    ts.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        // Mix agreements so contexts are created and reused concurrently.
        std::string agreement = "agreement-" + std::to_string((t + i) % 5);
        auto r = h.hash(agreement, kNikA);
        if (!r.ok() || !isDigestHex(*r)) ++mismatches;
        if (*h.hash("jabar-disnakertrans", kNikA) != expected) ++mismatches;
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(mismatches.load(), 0);
  std::set<std::string> distinct;
  for (int a = 0; a < 5; ++a) distinct.insert(*h.hash("agreement-" + std::to_string(a), kNikA));
  EXPECT_EQ(distinct.size(), 5u);
}

}  // namespace
}  // namespace gerbang::audit
