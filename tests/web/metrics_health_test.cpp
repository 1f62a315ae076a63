#include "core/web/health.hpp"
#include "core/web/metrics.hpp"
#include "tests/support/support.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

namespace gerbang::web {
namespace {

// Every line of a Prometheus 0.0.4 text exposition: comments, or a sample.
void expectValidExposition(const std::string& text) {
  static const std::regex kSample(
      R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="[^"\\\n]*",?)*\})? (-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?|NaN|[+-]Inf)$)");
  static const std::regex kComment(R"(^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*$)");
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    EXPECT_TRUE(std::regex_match(line, kSample) || std::regex_match(line, kComment))
        << "line " << n << ": " << line;
  }
  EXPECT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
}

TEST(MetricsTest, CountersAndGaugesInPrometheusTextFormat) {
  MetricsRegistry m;
  auto& lookups = m.counter("gerbang_lookups_total", "Lookups by agreement and outcome.",
                            {"agreement", "outcome"});
  auto& quota = m.gauge("gerbang_quota_left", "Hits left today.", {"agreement"});
  auto& plain = m.counter("gerbang_plain_total", "No labels.");
  EXPECT_TRUE(lookups.inc({"karanganyar-ak1", "data"}));
  EXPECT_TRUE(lookups.inc({"karanganyar-ak1", "data"}, 2));
  EXPECT_TRUE(quota.set({"karanganyar-ak1"}, 997));
  EXPECT_TRUE(quota.inc({"karanganyar-ak1"}, -1));
  EXPECT_FALSE(lookups.inc({"karanganyar-ak1", "data"}, -1));  // counters only go up
  EXPECT_FALSE(lookups.set({"karanganyar-ak1", "data"}, 5));   // and are never set
  std::string text = m.exposition();
  expectValidExposition(text);
  EXPECT_NE(text.find("# TYPE gerbang_lookups_total counter\n"), std::string::npos) << text;
  EXPECT_NE(text.find("gerbang_lookups_total{agreement=\"karanganyar-ak1\",outcome=\"data\"} 3\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("# TYPE gerbang_quota_left gauge\n"), std::string::npos);
  EXPECT_NE(text.find("gerbang_quota_left{agreement=\"karanganyar-ak1\"} 996\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("gerbang_plain_total 0\n"), std::string::npos) << text;
  EXPECT_TRUE(plain.inc());
  EXPECT_EQ(plain.value(), 1);
}

TEST(MetricsTest, LabelValuesThatCouldBeANikAreRejected) {
  MetricsRegistry m;
  auto& c = m.counter("gerbang_x_total", "x", {"agreement"});
  const std::string nikLike =
      "3302"
      "1234"
      "5678"
      "0001";  // synthetic, 16 digits
  EXPECT_FALSE(c.inc({nikLike}));
  EXPECT_FALSE(c.inc({"kk-" + nikLike}));
  EXPECT_FALSE(c.inc({"081234567890"}));  // a phone-number-like run
  EXPECT_FALSE(c.inc({"a b"}));           // space
  EXPECT_FALSE(c.inc({"quote\""}));
  EXPECT_FALSE(c.inc({""}));
  EXPECT_FALSE(c.inc({std::string(65, 'a')}));
  EXPECT_FALSE(c.inc({"a", "b"}));  // wrong arity
  EXPECT_TRUE(c.inc({"/api/v1/agreements/{id}"}));
  EXPECT_TRUE(c.inc({"2025"}));  // short numbers are fine (years, statuses)
  std::string text = m.exposition();
  EXPECT_EQ(text.find(nikLike), std::string::npos);
  EXPECT_NE(text.find("gerbang_metrics_rejected_labels_total 8\n"), std::string::npos) << text;
}

TEST(MetricsTest, RegistrationErrorsAreStartupErrors) {
  MetricsRegistry m;
  m.counter("gerbang_a_total", "a");
  EXPECT_THROW(m.counter("gerbang_a_total", "again"), std::invalid_argument);
  EXPECT_THROW(m.counter("9starts_with_digit", "x"), std::invalid_argument);
  EXPECT_THROW(m.gauge("gerbang_b", "x", {"bad-label"}), std::invalid_argument);
  EXPECT_THROW(m.gauge("gerbang_c", "x", {"__reserved"}), std::invalid_argument);
  EXPECT_THROW(m.counter("gerbang_metrics_rejected_labels_total", "x"), std::invalid_argument);
}

TEST(MetricsTest, CollectorsRunBeforeEachExposition) {
  MetricsRegistry m;
  auto& g = m.gauge("gerbang_outbox_depth", "Balikan records waiting.");
  int depth = 4;
  m.addCollector([&] { g.set({}, depth); });
  EXPECT_NE(m.exposition().find("gerbang_outbox_depth 4\n"), std::string::npos);
  depth = 2;
  EXPECT_NE(m.exposition().find("gerbang_outbox_depth 2\n"), std::string::npos);
}

TEST(HealthTest, OverallIsTheWorstCheckAndExceptionsFail) {
  HealthRegistry h;
  h.add("a", [] { return HealthResult{HealthState::kOk, "fine"}; });
  EXPECT_EQ(h.run().overall, HealthState::kOk);
  h.add("b", [] { return HealthResult{HealthState::kDegraded, "slow"}; });
  EXPECT_EQ(h.run().overall, HealthState::kDegraded);
  h.add("c", []() -> HealthResult { throw std::runtime_error("portal unreachable"); });
  auto r = h.run();
  EXPECT_EQ(r.overall, HealthState::kFail);
  ASSERT_EQ(r.checks.size(), 3u);
  EXPECT_EQ(r.checks[2].first, "c");
  EXPECT_NE(r.checks[2].second.detail.find("portal unreachable"), std::string::npos);
  EXPECT_THROW(h.add("a", [] { return HealthResult{}; }), std::invalid_argument);
  EXPECT_THROW(h.add("Bad Name", [] { return HealthResult{}; }), std::invalid_argument);
}

TEST(HealthTest, ClockCheck) {
  const Date floor(2025, 1, 1);
  FixedClock reference{Date(2026, 11, 23)};
  FixedClock same{reference.now()};
  EXPECT_EQ(clockHealthCheck(same, reference, floor)().state, HealthState::kOk);
  FixedClock demo{Date(2026, 6, 1)};  // a demo "today", far from the system clock
  auto d = clockHealthCheck(demo, reference, floor)();
  EXPECT_EQ(d.state, HealthState::kDegraded);
  EXPECT_NE(d.detail.find("2026-06-01"), std::string::npos) << d.detail;
  FixedClock past{Date(2019, 1, 1)};  // a reset RTC: agreement days would be wrong
  EXPECT_EQ(clockHealthCheck(past, past, floor)().state, HealthState::kFail);
}

class StoreHealthTest : public ::testing::TestWithParam<store::Backend> {};

TEST_P(StoreHealthTest, StoreCheckAnswersOk) {
  gerbang::testing::TempDir dir;
  gerbang::testing::TestDatabase tdb(GetParam(), dir.path());
  store::Database db(tdb.config());
  auto r = storeHealthCheck(db)();
  EXPECT_EQ(r.state, HealthState::kOk) << r.detail;
  EXPECT_EQ(r.detail, db.backendName());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreHealthTest,
                         ::testing::ValuesIn(gerbang::testing::storeBackends()),
                         [](const auto& info) {
                           return gerbang::testing::backendName(info.param);
                         });

}  // namespace
}  // namespace gerbang::web
