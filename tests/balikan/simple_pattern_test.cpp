#include "core/balikan/simple_pattern.hpp"

#include <gtest/gtest.h>

#include <random>
#include <regex>
#include <string>

namespace gerbang::balikan {
namespace {

TEST(SimplePattern, CompilesTheAgreementsPatterns) {
  for (const char* p : {"^3313-[0-9]{4}-[0-9]{6}$", "^AK1-3313-[0-9]{6}-[0-9]{6}$",
                        "^SRT-3303-[0-9]{4}-[0-9]{5}$", "^[A-Z]{2}\\d{3,5}/[0-9]+$"}) {
    EXPECT_TRUE(SimplePattern::compile(p).has_value()) << p;
  }
}

TEST(SimplePattern, LeavesEverythingElseToStdRegex) {
  for (const char* p :
       {"^(AK|BK)-[0-9]+$", "^a|b$", "^.{3}$", "^[^0-9]+$", "^\\w+$", "^[0-9]+[0-9]{2}$", "^a?a$",
        "^[0-9]{2,}$", "^a+?$", "^a{2}{3}$", "^[a-]*-$", "^caf\xC3\xA9$"}) {
    EXPECT_FALSE(SimplePattern::compile(p).has_value()) << p;
  }
}

// Differential test: on random strings over the patterns' own alphabet the fast matcher
// must agree with std::regex_match exactly.
TEST(SimplePattern, AgreesWithStdRegex) {
  const char* patterns[] = {"^3313-[0-9]{4}-[0-9]{6}$",
                            "^AK1-3313-[0-9]{6}-[0-9]{6}$",
                            "^[A-Z]{2}\\d{3,5}/[0-9]+$",
                            "^x?-[0-9]*$",
                            "^[a-c]+\\.[0-9]{1,2}$",
                            "ab[-_]{2}c",
                            "^$",
                            "^[0-9]{0,3}-$"};
  const std::string alphabet = "0123456789-AK13/abcx._Z ";
  std::mt19937 rng(20250817);  // fixed seed: the same cases every run
  for (const char* p : patterns) {
    auto fast = SimplePattern::compile(p);
    ASSERT_TRUE(fast.has_value()) << p;
    std::regex re(p, std::regex::ECMAScript);
    int agreeMatch = 0;
    for (int n = 0; n < 20000; ++n) {
      std::string s;
      // Half the cases mutate a matching-ish seed so that matches actually occur.
      std::size_t len = rng() % 24;
      for (std::size_t k = 0; k < len; ++k) s += alphabet[rng() % alphabet.size()];
      if (n % 2 == 0) {
        s = std::string(p == std::string("^$") ? "" : "3313-2025-000101");
        if (rng() % 3 == 0 && !s.empty()) s[rng() % s.size()] = alphabet[rng() % alphabet.size()];
      }
      bool expected = std::regex_match(s, re);
      ASSERT_EQ(fast->matches(s), expected) << p << " on \"" << s << "\"";
      agreeMatch += expected;
    }
    if (std::string(p) == "^3313-[0-9]{4}-[0-9]{6}$") {
      EXPECT_GT(agreeMatch, 1000);
    }
  }
  // Hand-picked edges.
  auto p = SimplePattern::compile("^[A-Z]{2}\\d{3,5}/[0-9]+$");
  EXPECT_TRUE(p->matches("AB123/9"));
  EXPECT_TRUE(p->matches("AB12345/0"));
  EXPECT_FALSE(p->matches("AB123456/0"));
  EXPECT_FALSE(p->matches("AB12/0"));
  EXPECT_FALSE(p->matches("AB123/"));
}

}  // namespace
}  // namespace gerbang::balikan
