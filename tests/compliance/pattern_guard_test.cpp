#include "core/compliance/pattern_guard.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

// Synthetic NIKs only (serials 99xx or made-up random digits).
namespace gerbang::compliance {
namespace {

using namespace std::chrono_literals;

const TimePoint kT0 = Date(2026, 11, 23).jakartaStart() + 9h;  // 09:00 WIB

// Owns the strings an Attempt points at.
struct A {
  std::string agreement = "purbalingga-dinnaker";
  std::string op = "op1";
  std::string nik;
  std::string hmac;
  TimePoint time = kT0;
  Attempt get() const { return {agreement, op, nik, hmac, time}; }
};

A at(std::string nik, TimePoint t, std::string op = "op1") {
  A a;
  a.nik = std::move(nik);
  a.hmac = "h:" + a.nik;  // stands in for the HMAC: an opaque identity of the person
  a.time = t;
  a.op = std::move(op);
  return a;
}

// What the pipeline does: check, and record when allowed.
Decision attempt(PatternGuard& g, const A& a) {
  Decision d = g.check(a.get());
  if (d.allowed) g.record(a.get());
  return d;
}

std::string nikOf(std::uint64_t v) {
  std::string s = std::to_string(v);
  return std::string(16 - s.size(), '0') + s;
}

// Made-up NIK-shaped numbers with unrelated prefixes, as ordinary counter traffic looks.
std::vector<std::string> randomNiks(int n, unsigned seed) {
  std::mt19937_64 rng(seed);
  const int provinces[] = {11, 32, 33, 35, 51, 64, 73, 91, 94};
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%02d%02d%02d%02d%02d%02d%04d",
                  provinces[rng() % std::size(provinces)], int(1 + rng() % 79), int(1 + rng() % 40),
                  int(1 + rng() % 28 + (rng() % 2) * 40), int(1 + rng() % 12), int(rng() % 100),
                  int(1 + rng() % 9999));
    out.emplace_back(buf);
  }
  return out;
}

TEST(PatternGuardTest, SequentialSerialWithinDistance) {
  struct Case {
    const char* second;
    bool allowed;
    const char* why;
  } cases[] = {
      {"3303011505909951", false, "serial +1"},
      {"3303011505909949", false, "serial -1"},
      {"3303011505909960", false, "serial +10 (the default distance)"},
      {"3303011505909940", false, "serial -10"},
      {"3303011505909961", true, "serial +11"},
      {"3303011505919951", true, "same serial neighbourhood, other birth year"},
      {"3303021505909951", true, "other district"},
      {"3303011505909950", true, "the same NIK again is a repeat, not sequential"},
  };
  for (const auto& c : cases) {
    PatternGuard g;
    ASSERT_TRUE(attempt(g, at("3303011505909950", kT0)).allowed);
    Decision d = attempt(g, at(c.second, kT0 + 10min));
    EXPECT_EQ(d.allowed, c.allowed) << c.why;
    if (!c.allowed) {
      EXPECT_EQ(d.code, "pattern_sequential") << c.why;
      EXPECT_NE(d.detail.find("operator window"), std::string::npos) << d.detail;
    }
  }
}

TEST(PatternGuardTest, SequentialAcrossOperatorsOfOneAgreement) {
  PatternGuard g;
  ASSERT_TRUE(attempt(g, at("3303011505909950", kT0, "op1")).allowed);
  Decision d = attempt(g, at("3303011505909951", kT0 + 1s, "op2"));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.code, "pattern_sequential");
  EXPECT_NE(d.detail.find("agreement window"), std::string::npos) << d.detail;
  // Another agreement has its own window.
  A other = at("3303011505909951", kT0 + 1s, "op3");
  other.agreement = "jabar-disnakertrans";
  EXPECT_TRUE(attempt(g, other).allowed);
}

TEST(PatternGuardTest, WindowForgetsOldLookups) {
  plugin::PatternGuardPolicy p;
  p.window = 5;
  PatternGuard g;
  g.setPolicy("purbalingga-dinnaker", p);
  TimePoint t = kT0;
  ASSERT_TRUE(attempt(g, at("3303011505909950", t)).allowed);
  auto others = randomNiks(5, 7);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(attempt(g, at(others[i], t += 1min)).allowed) << i;
  // Four lookups later the first is still in a window of 5...
  EXPECT_EQ(g.check(at("3303011505909951", t + 1min).get()).code, "pattern_sequential");
  // ...after the fifth it has slid out.
  ASSERT_TRUE(attempt(g, at(others[4], t += 1min)).allowed);
  EXPECT_TRUE(g.check(at("3303011505909951", t + 1min).get()).allowed);
}

TEST(PatternGuardTest, ArithmeticProgression) {
  const std::uint64_t a = 3303011505909901ULL;
  struct Case {
    std::int64_t step;
    const char* why;
  } cases[] = {
      {100, "serial step 100 (beyond the sequential distance)"},
      {-100, "descending"},
      {10000, "birth year step"},
      {1000000000000LL, "district step"},
  };
  for (const auto& c : cases) {
    PatternGuard g;
    ASSERT_TRUE(attempt(g, at(nikOf(a), kT0)).allowed) << c.why;
    ASSERT_TRUE(attempt(g, at(nikOf(a + std::uint64_t(c.step)), kT0 + 1min)).allowed) << c.why;
    Decision d = attempt(g, at(nikOf(a + std::uint64_t(2 * c.step)), kT0 + 2min));
    EXPECT_FALSE(d.allowed) << c.why;
    EXPECT_EQ(d.code, "pattern_progression") << c.why;
  }
  // Off by one from the progression: allowed.
  PatternGuard g;
  ASSERT_TRUE(attempt(g, at(nikOf(a), kT0)).allowed);
  ASSERT_TRUE(attempt(g, at(nikOf(a + 100), kT0 + 1min)).allowed);
  EXPECT_TRUE(attempt(g, at(nikOf(a + 201), kT0 + 2min)).allowed);
}

TEST(PatternGuardTest, ProgressionLengthComesFromPolicy) {
  plugin::PatternGuardPolicy p;
  p.progressionLength = 4;
  PatternGuard g;
  g.setPolicy("purbalingga-dinnaker", p);
  const std::uint64_t a = 3303011505909001ULL;
  ASSERT_TRUE(attempt(g, at(nikOf(a), kT0)).allowed);
  ASSERT_TRUE(attempt(g, at(nikOf(a + 200), kT0 + 1min)).allowed);
  ASSERT_TRUE(attempt(g, at(nikOf(a + 400), kT0 + 2min)).allowed);  // 3 in a row: fine at 4
  EXPECT_EQ(attempt(g, at(nikOf(a + 600), kT0 + 3min)).code, "pattern_progression");
}

TEST(PatternGuardTest, PrefixWalkCountsDistinctNiks) {
  // Same PPKKCC + DDMM (first 10 digits), different years and serials: no other rule fires.
  const char* walk[] = {"3303011505909901", "3303011505879940", "3303011505959917",
                        "3303011505789963", "3303011505829929"};
  PatternGuard g;
  TimePoint t = kT0;
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(attempt(g, at(walk[i], t += 1min)).allowed) << i;
  // The same NIKs again are repeats, not a walk.
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(attempt(g, at(walk[i], t += 1min)).allowed) << i;
  Decision d = attempt(g, at(walk[4], t += 1min));  // the 5th distinct = prefixRunLength
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.code, "pattern_prefix_walk");
}

TEST(PatternGuardTest, RapidIsPerOperatorWithExactBoundary) {
  auto niks = randomNiks(4, 11);
  PatternGuard g;
  ASSERT_TRUE(attempt(g, at(niks[0], kT0)).allowed);
  Decision d = g.check(at(niks[1], kT0 + 4999ms).get());
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.code, "pattern_rapid");
  EXPECT_NE(d.message.find("5 detik"), std::string::npos) << d.message;
  EXPECT_TRUE(g.check(at(niks[1], kT0 + 5s).get()).allowed);
  // Another operator of the same agreement is not slowed down by op1.
  EXPECT_TRUE(g.check(at(niks[2], kT0 + 1s, "op2").get()).allowed);
}

TEST(PatternGuardTest, BurstPerMinuteWithExactBoundary) {
  auto niks = randomNiks(8, 13);
  PatternGuard g;  // default: 6 per minute, 5 s apart
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(attempt(g, at(niks[i], kT0 + i * 10s)).allowed) << i;
  // At +59 s all six are within the minute: the 7th is one too many.
  Decision d = g.check(at(niks[6], kT0 + 59s).get());
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.code, "pattern_burst");
  // At +60 s the first is exactly a minute old and no longer counts.
  EXPECT_TRUE(g.check(at(niks[6], kT0 + 60s).get()).allowed);
}

TEST(PatternGuardTest, PolicyPerAgreementAndDisabledRules) {
  plugin::PatternGuardPolicy p;
  p.serialDistance = 2;
  p.minIntervalSeconds = 0;  // disabled
  PatternGuard g;
  g.setPolicy("karanganyar-ak1", p);
  A first = at("3303011505909950", kT0);
  first.agreement = "karanganyar-ak1";
  A second = at("3303011505909953", kT0 + 1s);
  second.agreement = "karanganyar-ak1";
  ASSERT_TRUE(attempt(g, first).allowed);
  EXPECT_TRUE(attempt(g, second).allowed);  // distance 3 > 2, and no minimum interval
  A third = at("3303011505909955", kT0 + 2s);
  third.agreement = "karanganyar-ak1";
  EXPECT_EQ(attempt(g, third).code, "pattern_sequential");  // distance 2
}

TEST(PatternGuardTest, NoFalsePositiveForOrdinaryTraffic) {
  // Three operators of one agreement, each serving a counter: 400 unrelated NIKs each,
  // 11 s apart per operator (5 a minute, under the burst limit).
  PatternGuard g;
  auto niks = randomNiks(1200, 2026);
  int refused = 0;
  for (int i = 0; i < 400; ++i)
    for (int o = 0; o < 3; ++o) {
      Decision d =
          attempt(g, at(niks[size_t(i * 3 + o)], kT0 + i * 11s + o * 1s, "op" + std::to_string(o)));
      if (!d.allowed) {
        ++refused;
        ADD_FAILURE() << "refused " << d.code << " " << d.detail;
      }
      EXPECT_TRUE(d.flags.empty());
    }
  EXPECT_EQ(refused, 0);
}

TEST(PatternGuardTest, FlagsSamePersonRepeatedOrByManyOperatorsPerJakartaDay) {
  const std::string nik = "3303011505909950";
  PatternGuard g;  // default: flag at 3 lookups, or 2 operators
  EXPECT_TRUE(attempt(g, at(nik, kT0, "op1")).flags.empty());
  EXPECT_TRUE(attempt(g, at(nik, kT0 + 1h, "op1")).flags.empty());
  Decision third = attempt(g, at(nik, kT0 + 2h, "op1"));
  EXPECT_TRUE(third.allowed);
  EXPECT_EQ(third.flags, std::vector<std::string>{std::string(kFlagRepeatSamePerson)});
  Decision other = attempt(g, at(nik, kT0 + 3h, "op2"));
  EXPECT_TRUE(other.allowed);
  EXPECT_EQ(other.flags, (std::vector<std::string>{std::string(kFlagRepeatSamePerson),
                                                   std::string(kFlagManyOperatorsSamePerson)}));
  // 17:00 UTC is midnight in Jakarta: a new day starts with no history of this person.
  const TimePoint nextDay = Date(2026, 11, 24).jakartaStart();
  EXPECT_TRUE(attempt(g, at(nik, nextDay, "op2")).flags.empty());
  EXPECT_TRUE(attempt(g, at(nik, nextDay + 1h, "op1")).flags.size() == 1);
}

TEST(PatternGuardTest, SupervisorReleasesExactlyOneLookup) {
  auto niks = randomNiks(4, 17);
  PatternGuard g;
  ASSERT_TRUE(attempt(g, at(niks[0], kT0)).allowed);
  EXPECT_FALSE(g.check(at(niks[1], kT0 + 1s).get()).allowed);

  EXPECT_EQ(g.release("op1", "sup1", "  ").error().code, "release_invalid");
  EXPECT_EQ(g.release("op1", "op1", "saya sendiri").error().code, "release_invalid");
  EXPECT_EQ(g.release("", "sup1", "x").error().code, "release_invalid");
  ASSERT_TRUE(g.release("op1", "sup1", "pemohon kembali dengan dokumen perbaikan").ok());

  Decision d = g.check(at(niks[1], kT0 + 1s).get());
  EXPECT_TRUE(d.allowed);
  EXPECT_TRUE(d.released);
  EXPECT_EQ(d.code, "pattern_rapid");  // what was overridden, for the audit
  EXPECT_EQ(d.releasedBy, "sup1");
  EXPECT_EQ(d.releaseReason, "pemohon kembali dengan dokumen perbaikan");
  g.record(at(niks[1], kT0 + 1s).get());
  EXPECT_FALSE(g.check(at(niks[2], kT0 + 2s).get()).allowed);  // used up
  // A release is only for the operator named.
  ASSERT_TRUE(g.release("op2", "sup1", "alasan").ok());
  EXPECT_FALSE(g.check(at(niks[2], kT0 + 2s).get()).allowed);
}

TEST(PatternGuardTest, ConcurrentCallersShareOneReleaseExactlyOnce) {
  auto niks = randomNiks(2, 19);
  PatternGuard g;
  ASSERT_TRUE(attempt(g, at(niks[0], kT0)).allowed);
  ASSERT_TRUE(g.release("op1", "sup1", "antrian ganda").ok());
  std::atomic<int> allowed{0};
  std::vector<std::thread> ts;
  const A blocked = at(niks[1], kT0 + 1s);
  for (int i = 0; i < 8; ++i)
    ts.emplace_back([&] {
      for (int k = 0; k < 50; ++k)
        if (g.check(blocked.get()).allowed) ++allowed;
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(allowed.load(), 1);
}

TEST(PatternGuardTest, RefusalsQuoteTheJuknisAndNeverTheNik) {
  PatternGuard g;
  const std::string nik = "3303011505909951";
  ASSERT_TRUE(attempt(g, at("3303011505909950", kT0)).allowed);
  Decision d = g.check(at(nik, kT0 + 1min).get());
  ASSERT_FALSE(d.allowed);
  Status s = d.status();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "pattern_sequential");
  EXPECT_NE(s.error().message.find(
                "tidak boleh dilakukan dengan cara berurutan, berpola, dan dalam waktu yang "
                "berdekatan"),
            std::string::npos);
  for (const std::string& piece : {nik, nik.substr(0, 12), nik.substr(12)}) {
    EXPECT_EQ(d.message.find(piece), std::string::npos);
    EXPECT_EQ(d.detail.find(piece), std::string::npos);
  }
  EXPECT_EQ(g.check(at("33030115059099", kT0 + 2min).get()).code, "invalid_nik");
  EXPECT_TRUE(Decision{}.status().ok());
}

}  // namespace
}  // namespace gerbang::compliance
