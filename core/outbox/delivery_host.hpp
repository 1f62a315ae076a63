// DeliveryHost: the delivery side of the balikan outbox as a process runs it, built from the
// configuration: one DeliveryClient per agreement (created on first use, from
// agreement.<id>.balikan.* / balikan.*), a Deliverer with the lease and backoff settings, and
// optionally a DeliveryWorker thread. Used by `gerbang balikan deliver` and `gerbang serve`;
// outbox leases make the two safe side by side (a row is claimed by one of them at a time).
//
// Settings read here (config/gerbang.properties documents them): balikan.lease_seconds,
// balikan.backoff_base_ms, balikan.backoff_cap_ms, balikan.delivery.interval_seconds, and
// DeliveryConfig::fromConfig's keys.
#pragma once

#include "core/common/clock.hpp"
#include "core/outbox/deliverer.hpp"
#include "core/outbox/delivery_client.hpp"
#include "core/outbox/outbox_repository.hpp"

#include <Poco/Util/AbstractConfiguration.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace gerbang::outbox {

// The configuration key of the serve worker's interval, and its default.
inline constexpr const char* kDeliveryIntervalKey = "balikan.delivery.interval_seconds";
inline constexpr int kDefaultDeliveryIntervalSeconds = 30;

class DeliveryHost {
 public:
  // The agency's name for an agreement id (the default nama_lembaga).
  using AgencyName = std::function<std::string(const std::string& agreement)>;

  // Everything passed must outlive the host. Reads the lease and backoff settings now;
  // clients are created when an agreement first has work (a missing url/token for it then
  // shows as "balikan_delivery_unconfigured" in that pass, not at startup).
  DeliveryHost(const Poco::Util::AbstractConfiguration& conf, OutboxRepository& outbox,
               const Clock& clock, AgencyName agencyName, Deliverer::OnDelivered onDelivered);
  ~DeliveryHost();  // stops the worker

  // True when the global balikan.url is set: this host is meant to deliver (per-agreement
  // urls alone do not start serve's worker).
  static bool configured(const Poco::Util::AbstractConfiguration& conf);

  Deliverer& deliverer() { return *deliverer_; }

  // Starts a worker running deliverDue() every `interval` (and at once on wake()).
  void startWorker(std::chrono::milliseconds interval, const std::string& agreement = {});
  // Wakes the worker (after a record was accepted); nothing without one.
  void wake();
  // Stops and joins the worker (a batch in flight finishes first). Idempotent.
  void stopWorker();
  bool workerRunning() const { return worker_ != nullptr; }
  // Totals of the worker's passes (zero without one).
  PassSummary totals() const;

 private:
  DeliveryClient& clientFor(const std::string& agreement);

  const Poco::Util::AbstractConfiguration& conf_;
  AgencyName agencyName_;
  std::mutex clientsMu_;
  std::map<std::string, std::unique_ptr<DeliveryClient>> clients_;
  std::unique_ptr<Deliverer> deliverer_;
  std::unique_ptr<DeliveryWorker> worker_;
};

}  // namespace gerbang::outbox
