// Time: an injectable clock, and civil dates in Asia/Jakarta.
//
// Agreement days and quota days are calendar days in Asia/Jakarta (WIB, UTC+7, no daylight
// saving since 1964), so a day starts at 17:00 UTC. Tests and demos set "today" with
// FixedClock instead of touching the system clock.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace gerbang {

using TimePoint = std::chrono::sys_time<std::chrono::microseconds>;

// WIB offset from UTC.
inline constexpr std::chrono::hours kJakartaOffset{7};

// A calendar date (proleptic Gregorian), ordered and comparable.
class Date {
 public:
  Date() = default;
  explicit Date(std::chrono::year_month_day ymd) : ymd_(ymd) {}
  Date(int y, unsigned m, unsigned d)
      : ymd_(std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}) {}

  // Parses "YYYY-MM-DD" strictly (ISO 8601, as in manifests and the CLI). nullopt when
  // malformed or not a real date.
  static std::optional<Date> parseIso(std::string_view s);
  // Parses "DD-MM-YYYY" strictly (the registry's and the balikan's format).
  static std::optional<Date> parseDmy(std::string_view s);
  // The Jakarta calendar day that contains t.
  static Date jakartaDayOf(TimePoint t);

  std::string iso() const;  // "YYYY-MM-DD"
  std::string dmy() const;  // "DD-MM-YYYY"
  int year() const { return int(ymd_.year()); }
  unsigned month() const { return unsigned(ymd_.month()); }
  unsigned day() const { return unsigned(ymd_.day()); }
  std::chrono::year_month_day ymd() const { return ymd_; }
  std::chrono::sys_days sysDays() const { return std::chrono::sys_days{ymd_}; }

  Date addDays(int days) const;
  // Whole days from *this to other (other - this).
  int daysUntil(const Date& other) const;
  // The instant this day begins in Jakarta (00:00 WIB).
  TimePoint jakartaStart() const;

  auto operator<=>(const Date& o) const { return sysDays() <=> o.sysDays(); }
  bool operator==(const Date& o) const { return sysDays() == o.sysDays(); }

 private:
  std::chrono::year_month_day ymd_{std::chrono::year{1970} / 1 / 1};
};

// The source of "now". Thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
  Date today() const { return Date::jakartaDayOf(now()); }
};

// The real wall clock.
class SystemClock final : public Clock {
 public:
  TimePoint now() const override;
};

// A clock that stands still until told otherwise; for tests and demos ("--today").
class FixedClock final : public Clock {
 public:
  explicit FixedClock(TimePoint t) : t_(t.time_since_epoch().count()) {}
  // 09:00 WIB on the given day: a plausible counter hour.
  explicit FixedClock(const Date& day);
  TimePoint now() const override { return TimePoint{std::chrono::microseconds{t_.load()}}; }
  void set(TimePoint t) { t_.store(t.time_since_epoch().count()); }
  void advance(std::chrono::microseconds d) { t_.fetch_add(d.count()); }

 private:
  std::atomic<long long> t_;
};

// A clock that starts at a chosen instant and then runs with real time (for a demo that
// pretends it is a given day but still shows intervals passing).
class OffsetClock final : public Clock {
 public:
  explicit OffsetClock(TimePoint start);
  TimePoint now() const override;

 private:
  std::chrono::microseconds offset_;
};

}  // namespace gerbang
