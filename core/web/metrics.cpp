#include "core/web/metrics.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace gerbang::web {
namespace {

bool validName(std::string_view n, bool label) {
  if (n.empty()) return false;
  for (size_t i = 0; i < n.size(); ++i) {
    char c = n[i];
    bool alpha =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!label && c == ':');
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return !(label && n.starts_with("__"));
}

std::string number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  if (v == std::floor(v) && std::fabs(v) < 1e15)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string escapeHelp(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

}  // namespace

MetricFamily::MetricFamily(std::string name, std::string help, Type type,
                           std::vector<std::string> labels, std::atomic<long>* rejected)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      labels_(std::move(labels)),
      rejected_(rejected) {}

bool MetricFamily::accept(const std::vector<std::string>& values) const {
  bool ok = values.size() == labels_.size();
  for (const auto& v : values) ok = ok && MetricsRegistry::validLabelValue(v);
  if (!ok) rejected_->fetch_add(1);
  return ok;
}

bool MetricFamily::inc(const std::vector<std::string>& labelValues, double by) {
  if (type_ == Type::kCounter && !(by >= 0)) return false;
  if (!accept(labelValues)) return false;
  std::lock_guard lock(mutex_);
  series_[labelValues] += by;
  return true;
}

bool MetricFamily::set(const std::vector<std::string>& labelValues, double value) {
  if (type_ != Type::kGauge) return false;
  if (!accept(labelValues)) return false;
  std::lock_guard lock(mutex_);
  series_[labelValues] = value;
  return true;
}

double MetricFamily::value(const std::vector<std::string>& labelValues) const {
  std::lock_guard lock(mutex_);
  auto it = series_.find(labelValues);
  return it == series_.end() ? 0 : it->second;
}

void MetricFamily::write(std::string& out) const {
  out += "# HELP " + name_ + " " + escapeHelp(help_) + "\n";
  out += "# TYPE " + name_ + (type_ == Type::kCounter ? " counter\n" : " gauge\n");
  std::lock_guard lock(mutex_);
  if (series_.empty() && labels_.empty()) {
    out += name_ + " 0\n";
    return;
  }
  for (const auto& [values, v] : series_) {
    out += name_;
    if (!labels_.empty()) {
      out += "{";
      for (size_t i = 0; i < labels_.size(); ++i) {
        if (i) out += ",";
        // Values are restricted to a charset that needs no escaping (validLabelValue).
        out += labels_[i] + "=\"" + values[i] + "\"";
      }
      out += "}";
    }
    out += " " + number(v) + "\n";
  }
}

MetricsRegistry::MetricsRegistry() = default;

bool MetricsRegistry::validLabelValue(std::string_view v) {
  if (v.empty() || v.size() > 64) return false;
  int digitRun = 0;
  for (char c : v) {
    bool digit = c >= '0' && c <= '9';
    bool ok = digit || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.' ||
              c == ':' || c == '/' || c == '{' || c == '}' || c == '-';
    if (!ok) return false;
    digitRun = digit ? digitRun + 1 : 0;
    // A NIK or KK is 16 digits, a phone number 10-13: no identifier-length digit runs.
    if (digitRun >= 8) return false;
  }
  return true;
}

MetricFamily& MetricsRegistry::add(const std::string& name, const std::string& help,
                                   MetricFamily::Type type, std::vector<std::string> labels) {
  if (!validName(name, false))
    throw std::invalid_argument("metrics: invalid metric name '" + name + "'");
  for (const auto& l : labels)
    if (!validName(l, true))
      throw std::invalid_argument("metrics: invalid label name '" + l + "' on " + name);
  if (name == "gerbang_metrics_rejected_labels_total")
    throw std::invalid_argument("metrics: name reserved by the registry: " + name);
  std::lock_guard lock(mutex_);
  if (families_.count(name))
    throw std::invalid_argument("metrics: metric registered twice: " + name);
  auto f = std::unique_ptr<MetricFamily>(
      new MetricFamily(name, help, type, std::move(labels), &rejected_));
  MetricFamily& ref = *f;
  families_.emplace(name, std::move(f));
  return ref;
}

MetricFamily& MetricsRegistry::counter(const std::string& name, const std::string& help,
                                       std::vector<std::string> labelNames) {
  return add(name, help, MetricFamily::Type::kCounter, std::move(labelNames));
}

MetricFamily& MetricsRegistry::gauge(const std::string& name, const std::string& help,
                                     std::vector<std::string> labelNames) {
  return add(name, help, MetricFamily::Type::kGauge, std::move(labelNames));
}

void MetricsRegistry::addCollector(std::function<void()> collector) {
  std::lock_guard lock(mutex_);
  collectors_.push_back(std::move(collector));
}

std::string MetricsRegistry::exposition() const {
  std::vector<std::function<void()>> collectors;
  {
    std::lock_guard lock(mutex_);
    collectors = collectors_;
  }
  for (auto& c : collectors) {
    try {
      c();
    } catch (...) {
    }
  }
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& [name, f] : families_) f->write(out);
  out +=
      "# HELP gerbang_metrics_rejected_labels_total Metric updates dropped because a label "
      "value was not allowed.\n# TYPE gerbang_metrics_rejected_labels_total counter\n";
  out += "gerbang_metrics_rejected_labels_total " + std::to_string(rejected_.load()) + "\n";
  return out;
}

}  // namespace gerbang::web
