#include "core/web/password.hpp"

#include <gtest/gtest.h>

#include <set>

namespace gerbang::web {
namespace {

TEST(PasswordTest, HashVerifiesOnlyTheSamePassword) {
  std::string h = hashPassword("kata-sandi-uji-1");
  EXPECT_TRUE(verifyPassword("kata-sandi-uji-1", h));
  EXPECT_FALSE(verifyPassword("kata-sandi-uji-2", h));
  EXPECT_FALSE(verifyPassword("", h));
  EXPECT_EQ(h.find("kata-sandi-uji-1"), std::string::npos);
}

TEST(PasswordTest, UsesPbkdf2WithAtLeast200kIterationsAndARandomSalt) {
  std::string a = hashPassword("sama-sama-saja"), b = hashPassword("sama-sama-saja");
  EXPECT_NE(a, b);  // different salts
  ASSERT_EQ(a.rfind("pbkdf2-sha256$", 0), 0u) << a;
  int iterations = std::stoi(a.substr(14, a.find('$', 14) - 14));
  EXPECT_GE(iterations, 200000);
}

TEST(PasswordTest, MalformedOrWeakStoredHashesNeverMatch) {
  std::string good = hashPassword("kata-sandi-uji-1");
  // Same salt and key, but a cheap iteration count: refused (a tampered row cannot
  // downgrade the KDF).
  std::string cheap = "pbkdf2-sha256$1000" + good.substr(good.find('$', 14));
  for (const std::string& bad :
       {std::string(""), std::string("kata-sandi-uji-1"), std::string("pbkdf2-sha256$$$"),
        std::string("md5$1$abc$def"), cheap, good.substr(0, good.size() - 4)})
    EXPECT_FALSE(verifyPassword("kata-sandi-uji-1", bad)) << bad;
}

TEST(PasswordTest, RandomIdsAreDistinctAndUrlSafe) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string id = base64Url(randomBytes(32));
    EXPECT_EQ(id.size(), 43u);
    EXPECT_EQ(
        id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos);
    EXPECT_TRUE(seen.insert(id).second);
  }
}

TEST(PasswordTest, Sha256AndConstantTimeEquals) {
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(constantTimeEquals("abc", "abc"));
  EXPECT_FALSE(constantTimeEquals("abc", "abd"));
  EXPECT_FALSE(constantTimeEquals("abc", "abcd"));
  EXPECT_TRUE(constantTimeEquals("", ""));
}

}  // namespace
}  // namespace gerbang::web
