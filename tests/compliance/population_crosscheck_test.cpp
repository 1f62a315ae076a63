// The guards against the project's synthetic population (sim/population), the same people
// the registry stand-in and the virtual KTP-el answer with: every NIK it issues is well
// formed and decodes to the resident's own birth date and sex, and ordinary counter
// traffic over its residents never trips the pattern guard.
#include "core/compliance/nik_format.hpp"
#include "core/compliance/pattern_guard.hpp"
#include "sim/population/population.hpp"
#include "sim/population/wilayah.hpp"
#include "tests/support/support.hpp"

#include <gtest/gtest.h>

namespace gerbang::compliance {
namespace {

using namespace std::chrono_literals;

const Date kToday(2026, 11, 23);

const sim::Population& population() {
  static const sim::Population p(
      sim::Wilayah::load(gerbang::testing::sourceDir() / "data" / "wilayah.csv"),
      sim::Population::kDefaultSeed, 20'000);
  return p;
}

TEST(PopulationCrossCheckTest, EveryResidentNikIsWellFormedAndDecodesToTheResident) {
  const auto& pop = population();
  size_t women = 0;
  for (size_t i = 0; i < pop.size(); ++i) {
    const sim::Resident r = pop.at(i);
    auto parts = NikFormat::decode(r.nik, kToday);
    ASSERT_TRUE(parts.ok()) << "resident " << i << ": " << parts.error().detail;
    EXPECT_EQ(parts->birthDate, r.tanggalLahir) << "resident " << i;
    const Sex sex = r.jenisKelamin == "PEREMPUAN" ? Sex::kFemale : Sex::kMale;
    EXPECT_EQ(parts->sex, sex) << "resident " << i;
    women += sex == Sex::kFemale;
  }
  // Both branches of the day encoding were exercised.
  EXPECT_GT(women, pop.size() / 4);
  EXPECT_LT(women, pop.size() * 3 / 4);
  for (const auto& nik : pop.absent(500)) EXPECT_TRUE(NikFormat::check(nik, kToday).ok());
}

TEST(PopulationCrossCheckTest, OrdinaryTrafficOverResidentsIsNeverRefused) {
  const auto& pop = population();
  const auto niks = pop.sample(sim::Resident::Kind::kFound, 900);
  ASSERT_EQ(niks.size(), 900u);
  PatternGuard guard;
  const TimePoint t0 = kToday.jakartaStart() + 8h;
  // Three counters of one agreement, each 12 s apart.
  for (size_t i = 0; i < niks.size(); ++i) {
    const std::string op = "loket" + std::to_string(i % 3);
    const std::string hmac = "h" + std::to_string(i);
    Attempt a{"jabar-disnakertrans", op, niks[i], hmac, t0 + (i / 3) * 12s + (i % 3) * 1s};
    Decision d = guard.check(a);
    ASSERT_TRUE(d.allowed) << "lookup " << i << ": " << d.code << " " << d.detail;
    guard.record(a);
  }
}

}  // namespace
}  // namespace gerbang::compliance
