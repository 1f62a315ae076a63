// /metrics: a small registry of counters and gauges with labels, exposed in the Prometheus
// text format (version 0.0.4). Label values are checked on every update so a NIK, KK or
// phone number can never become a series: at most 64 characters from
// [A-Za-z0-9_.:/{}-] and no run of 8 or more digits. A rejected update is dropped and
// counted in gerbang_metrics_rejected_labels_total.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace gerbang::web {

class MetricFamily {
 public:
  enum class Type { kCounter, kGauge };

  // Counter: adds `by` (>= 0). Gauge: adds `by` (any sign). Returns false (and changes
  // nothing) when the number of values differs from the label names or a value is not
  // allowed. Thread-safe.
  bool inc(const std::vector<std::string>& labelValues = {}, double by = 1);
  // Gauge only: sets the value. Returns false for counters and for bad label values.
  bool set(const std::vector<std::string>& labelValues, double value);
  // The current value of one series (0 if never touched).
  double value(const std::vector<std::string>& labelValues = {}) const;

  const std::string& name() const { return name_; }
  Type type() const { return type_; }

 private:
  friend class MetricsRegistry;
  MetricFamily(std::string name, std::string help, Type type, std::vector<std::string> labels,
               std::atomic<long>* rejected);
  bool accept(const std::vector<std::string>& values) const;
  void write(std::string& out) const;

  std::string name_, help_;
  Type type_;
  std::vector<std::string> labels_;
  std::atomic<long>* rejected_;
  mutable std::mutex mutex_;
  std::map<std::vector<std::string>, double> series_;
};

class MetricsRegistry {
 public:
  MetricsRegistry();

  // Registers a family (at startup). Throws std::invalid_argument for a name not matching
  // [a-zA-Z_:][a-zA-Z0-9_:]*, a bad label name, or a name already registered. The returned
  // reference stays valid for the registry's lifetime.
  MetricFamily& counter(const std::string& name, const std::string& help,
                        std::vector<std::string> labelNames = {});
  MetricFamily& gauge(const std::string& name, const std::string& help,
                      std::vector<std::string> labelNames = {});

  // A callback run before each exposition (to refresh gauges read from elsewhere, e.g.
  // the number of live sessions). Must be thread-safe; exceptions are swallowed.
  void addCollector(std::function<void()> collector);

  // The whole registry in the Prometheus text format, families sorted by name, then the
  // registry's own gerbang_metrics_rejected_labels_total.
  std::string exposition() const;

  // Whether `v` may be a label value (see the file comment).
  static bool validLabelValue(std::string_view v);

 private:
  MetricFamily& add(const std::string& name, const std::string& help, MetricFamily::Type type,
                    std::vector<std::string> labels);

  mutable std::mutex mutex_;
  std::atomic<long> rejected_{0};
  std::map<std::string, std::unique_ptr<MetricFamily>> families_;
  std::vector<std::function<void()>> collectors_;
};

}  // namespace gerbang::web
