#include "core/outbox/delivery_host.hpp"

namespace gerbang::outbox {

DeliveryHost::DeliveryHost(const Poco::Util::AbstractConfiguration& conf, OutboxRepository& outbox,
                           const Clock& clock, AgencyName agencyName,
                           Deliverer::OnDelivered onDelivered)
    : conf_(conf), agencyName_(std::move(agencyName)) {
  DelivererOptions opt;
  opt.lease = std::chrono::seconds(conf.getInt("balikan.lease_seconds", 60));
  opt.backoff.base = std::chrono::milliseconds(conf.getInt("balikan.backoff_base_ms", 2000));
  opt.backoff.cap = std::chrono::milliseconds(conf.getInt("balikan.backoff_cap_ms", 1800000));
  deliverer_ = std::make_unique<Deliverer>(
      outbox, clock, [this](const std::string& id) -> DeliveryClient& { return clientFor(id); },
      systemRandom(), opt, std::move(onDelivered));
}

DeliveryHost::~DeliveryHost() { stopWorker(); }

bool DeliveryHost::configured(const Poco::Util::AbstractConfiguration& conf) {
  return !conf.getString("balikan.url", "").empty();
}

DeliveryClient& DeliveryHost::clientFor(const std::string& id) {
  std::lock_guard lock(clientsMu_);
  auto& c = clients_[id];
  if (!c)
    c = std::make_unique<DeliveryClient>(
        DeliveryConfig::fromConfig(conf_, id, agencyName_ ? agencyName_(id) : id));
  return *c;
}

void DeliveryHost::startWorker(std::chrono::milliseconds interval, const std::string& agreement) {
  if (worker_) return;
  worker_ = std::make_unique<DeliveryWorker>(*deliverer_, interval, agreement);
  worker_->start();
}

void DeliveryHost::wake() {
  if (worker_) worker_->wake();
}

void DeliveryHost::stopWorker() {
  if (worker_) worker_->stop();
}

PassSummary DeliveryHost::totals() const { return worker_ ? worker_->totals() : PassSummary{}; }

}  // namespace gerbang::outbox
