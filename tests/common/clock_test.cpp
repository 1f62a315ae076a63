#include "core/common/clock.hpp"

#include <gtest/gtest.h>

using namespace std::chrono;

namespace gerbang {
namespace {

TEST(DateTest, ParsesIsoAndDmyStrictly) {
  EXPECT_EQ(Date::parseIso("2027-09-16")->iso(), "2027-09-16");
  EXPECT_EQ(Date::parseDmy("16-09-2027")->iso(), "2027-09-16");
  for (const char* bad : {"2027-9-16", "2027-02-30", "16-09-2027", "2027-09-16 ", "", "abcd-ef-gh"})
    EXPECT_FALSE(Date::parseIso(bad).has_value()) << bad;
  EXPECT_FALSE(Date::parseDmy("29-02-2023").has_value());
  EXPECT_TRUE(Date::parseDmy("29-02-2024").has_value());
}

TEST(DateTest, JakartaDayStartsAt1700Utc) {
  // 2026-11-22T16:59:59Z is still 23:59:59 WIB on the 22nd; one second later it is the 23rd.
  auto before = sys_days{year{2026} / 11 / 22} + hours{16} + minutes{59} + seconds{59};
  EXPECT_EQ(Date::jakartaDayOf(time_point_cast<microseconds>(before)).iso(), "2026-11-22");
  EXPECT_EQ(Date::jakartaDayOf(time_point_cast<microseconds>(before + seconds{1})).iso(),
            "2026-11-23");
  EXPECT_EQ(Date(2026, 11, 23).jakartaStart(),
            time_point_cast<microseconds>(sys_days{year{2026} / 11 / 22} + hours{17}));
}

TEST(DateTest, Arithmetic) {
  Date d(2027, 7, 20);
  EXPECT_EQ(d.daysUntil(Date(2027, 9, 16)), 58);
  EXPECT_EQ(d.addDays(58), Date(2027, 9, 16));
  EXPECT_LT(Date(2022, 11, 9), Date(2026, 11, 23));
}

TEST(FixedClockTest, TodayIsTheGivenJakartaDay) {
  FixedClock c(Date(2026, 11, 23));
  EXPECT_EQ(c.today().iso(), "2026-11-23");
  c.advance(hours{15});  // 09:00 + 15h = 00:00 WIB next day
  EXPECT_EQ(c.today().iso(), "2026-11-24");
}

}  // namespace
}  // namespace gerbang
