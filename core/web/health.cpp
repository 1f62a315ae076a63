#include "core/web/health.hpp"

#include <Poco/Data/Session.h>

#include <stdexcept>

namespace gerbang::web {

const char* healthStateName(HealthState s) {
  switch (s) {
    case HealthState::kOk:
      return "ok";
    case HealthState::kDegraded:
      return "degraded";
    case HealthState::kFail:
      return "fail";
  }
  return "fail";
}

void HealthRegistry::add(const std::string& name, HealthCheck check) {
  if (name.empty() ||
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos)
    throw std::invalid_argument("health: check name must be [a-z0-9_]+: '" + name + "'");
  std::lock_guard lock(mutex_);
  for (const auto& [n, c] : checks_)
    if (n == name) throw std::invalid_argument("health: check registered twice: " + name);
  checks_.emplace_back(name, std::move(check));
}

HealthRegistry::Report HealthRegistry::run() const {
  std::vector<std::pair<std::string, HealthCheck>> checks;
  {
    std::lock_guard lock(mutex_);
    checks = checks_;
  }
  Report r;
  for (auto& [name, check] : checks) {
    HealthResult res;
    try {
      res = check();
    } catch (const std::exception& e) {
      res = HealthResult{HealthState::kFail, std::string("check threw: ") + e.what()};
    } catch (...) {
      res = HealthResult{HealthState::kFail, "check threw"};
    }
    if (int(res.state) > int(r.overall)) r.overall = res.state;
    r.checks.emplace_back(name, std::move(res));
  }
  return r;
}

HealthCheck storeHealthCheck(store::Database& db) {
  return [&db]() {
    try {
      auto s = db.session();
      int one = 0;
      s << "SELECT 1", Poco::Data::Keywords::into(one), Poco::Data::Keywords::now;
      if (one != 1) return HealthResult{HealthState::kFail, "SELECT 1 answered wrongly"};
      return HealthResult{HealthState::kOk, db.backendName()};
    } catch (const std::exception& e) {
      return HealthResult{HealthState::kFail, std::string(db.backendName()) + ": " + e.what()};
    }
  };
}

HealthCheck clockHealthCheck(const Clock& clock, const Clock& reference, Date floor,
                             std::chrono::seconds tolerance) {
  return [&clock, &reference, floor, tolerance]() {
    TimePoint t = clock.now();
    Date today = Date::jakartaDayOf(t);
    if (today < floor)
      return HealthResult{HealthState::kFail, "tanggal " + today.iso() + " sebelum " + floor.iso() +
                                                  ": jam sistem salah"};
    auto diff = t - reference.now();
    if (diff < decltype(diff)::zero()) diff = -diff;
    if (diff > tolerance)
      return HealthResult{
          HealthState::kDegraded,
          "hari ini = " + today.iso() + " (jam demo/tetap, beda " +
              std::to_string(std::chrono::duration_cast<std::chrono::seconds>(diff).count()) +
              " detik dari jam sistem)"};
    return HealthResult{HealthState::kOk, "hari ini = " + today.iso() + " WIB"};
  };
}

}  // namespace gerbang::web
