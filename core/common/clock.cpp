#include "core/common/clock.hpp"

#include <cstdio>

namespace gerbang {
namespace {

std::optional<Date> makeDate(int y, int m, int d) {
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{unsigned(m)},
                                  std::chrono::day{unsigned(d)}};
  if (!ymd.ok()) return std::nullopt;
  return Date(ymd);
}

// Reads exactly n ASCII digits.
bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

std::optional<Date> Date::parseIso(std::string_view s) {
  int y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!digits(s, 0, 4, y) || !digits(s, 5, 2, m) || !digits(s, 8, 2, d)) return std::nullopt;
  return makeDate(y, m, d);
}

std::optional<Date> Date::parseDmy(std::string_view s) {
  int y, m, d;
  if (s.size() != 10 || s[2] != '-' || s[5] != '-') return std::nullopt;
  if (!digits(s, 0, 2, d) || !digits(s, 3, 2, m) || !digits(s, 6, 4, y)) return std::nullopt;
  return makeDate(y, m, d);
}

Date Date::jakartaDayOf(TimePoint t) {
  auto local = std::chrono::floor<std::chrono::days>(t + kJakartaOffset);
  return Date(std::chrono::year_month_day{local});
}

std::string Date::iso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year(), month(), day());
  return buf;
}

std::string Date::dmy() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u-%02u-%04d", day(), month(), year());
  return buf;
}

Date Date::addDays(int days) const {
  return Date(std::chrono::year_month_day{sysDays() + std::chrono::days{days}});
}

int Date::daysUntil(const Date& other) const {
  return int((other.sysDays() - sysDays()).count());
}

TimePoint Date::jakartaStart() const {
  return std::chrono::time_point_cast<std::chrono::microseconds>(sysDays() - kJakartaOffset);
}

TimePoint SystemClock::now() const {
  return std::chrono::time_point_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now());
}

FixedClock::FixedClock(const Date& day)
    : FixedClock(day.jakartaStart() + std::chrono::hours{9}) {}

OffsetClock::OffsetClock(TimePoint start)
    : offset_(start - SystemClock().now()) {}

TimePoint OffsetClock::now() const { return SystemClock().now() + offset_; }

}  // namespace gerbang
