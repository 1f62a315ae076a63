#include "core/outbox/deliverer.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace gerbang::outbox {

void PassSummary::add(const PassSummary& o) {
  claimed += o.claimed;
  delivered += o.delivered;
  duplicates += o.duplicates;
  retried += o.retried;
  failed += o.failed;
  requests += o.requests;
  bytesSent += o.bytesSent;
  if (!o.lastError.empty()) lastError = o.lastError;
}

Deliverer::Deliverer(OutboxRepository& outbox, const Clock& clock, ClientFor clients,
                     UniformRandom random, DelivererOptions options, OnDelivered onDelivered)
    : outbox_(outbox),
      clock_(clock),
      clients_(std::move(clients)),
      random_(std::move(random)),
      options_(options),
      onDelivered_(std::move(onDelivered)) {}

Result<PassSummary> Deliverer::deliverDue(const std::string& agreement) {
  if (!agreement.empty()) return deliverAgreement(agreement);
  auto work = outbox_.agreementsWithWork();
  if (!work.ok()) return work.error();
  PassSummary total;
  for (const std::string& a : *work) {
    auto one = deliverAgreement(a);
    if (!one.ok()) return one.error();
    total.add(*one);
  }
  return total;
}

Result<PassSummary> Deliverer::deliverAgreement(const std::string& agreement) {
  DeliveryClient* client = nullptr;
  try {
    client = &clients_(agreement);
  } catch (const std::exception& e) {
    return Error{"balikan_delivery_unconfigured",
                 "Pengiriman data balikan untuk perjanjian ini belum dikonfigurasi", e.what()};
  }
  PassSummary sum;
  bool anyAck = false;
  for (int batch = 0; options_.maxBatches == 0 || batch < options_.maxBatches; ++batch) {
    auto items = outbox_.claim(agreement, client->config().batchSize, clock_.now(),
                               options_.lease);
    if (!items.ok()) return items.error();
    if (items->empty()) break;
    sum.claimed += items->size();
    const std::uint64_t before = sum.delivered + sum.duplicates;
    const bool go = sendAndSettle(*client, *items, sum);
    anyAck = anyAck || sum.delivered + sum.duplicates > before;
    if (!go) break;
  }
  // Erased payloads leave the SQLite WAL too (see OutboxRepository::checkpoint).
  if (anyAck) outbox_.checkpoint();
  return sum;
}

void Deliverer::retry(const Item& item, const std::string& why, PassSummary& sum) {
  TimePoint next = clock_.now() + backoffDelay(options_.backoff, item.attempts, random_);
  Status s = outbox_.markRetry(item.id, next, why);
  if (!s.ok()) spdlog::warn("balikan outbox: {}", s.error().detail);
  ++sum.retried;
}

bool Deliverer::sendAndSettle(DeliveryClient& client, const std::vector<Item>& items,
                              PassSummary& sum) {
  std::vector<std::string> payloads;
  payloads.reserve(items.size());
  for (const Item& it : items) payloads.push_back(it.payload);
  SendOutcome o = client.send(payloads);
  ++sum.requests;
  sum.bytesSent += o.bytesSent;
  using Kind = SendOutcome::Kind;
  if ((o.kind == Kind::kDuplicate || o.kind == Kind::kRejected) && items.size() > 1) {
    // One answer for many records cannot say which one it concerns: settle each alone.
    bool go = true;
    for (const Item& it : items) {
      if (!go) {
        retry(it, "ditunda: layanan tidak tersedia", sum);
        continue;
      }
      go = sendAndSettle(client, {it}, sum);
    }
    return go;
  }
  switch (o.kind) {
    case Kind::kDelivered:
    case Kind::kDuplicate: {
      std::vector<Poco::Int64> ids;
      for (const Item& it : items) ids.push_back(it.id);
      auto done = outbox_.markDelivered(ids, o.message, clock_.now());
      if (!done.ok()) {
        // Sent but not recorded: the rows stay 'sending' and are re-sent after the lease;
        // the duplicate answer then records them.
        spdlog::warn("balikan outbox: {}", done.error().detail);
        sum.lastError = done.error().message;
        return false;
      }
      (o.kind == Kind::kDelivered ? sum.delivered : sum.duplicates) += done->size();
      if (onDelivered_)
        for (const Item& it : items)
          for (Poco::Int64 id : *done)
            if (id == it.id) onDelivered_(it.agreement, it.key);
      return true;
    }
    case Kind::kRejected: {
      Status s = outbox_.markFailed(items[0].id, o.message);
      if (!s.ok()) spdlog::warn("balikan outbox: {}", s.error().detail);
      ++sum.failed;
      sum.lastError = o.message;
      return true;
    }
    case Kind::kUnauthorized:
    case Kind::kTransient:
      for (const Item& it : items) retry(it, o.message, sum);
      sum.lastError = o.message;
      return false;
  }
  return false;
}

DeliveryWorker::DeliveryWorker(Deliverer& deliverer, std::chrono::milliseconds interval,
                               std::string agreement)
    : deliverer_(deliverer), interval_(interval), agreement_(std::move(agreement)) {}

DeliveryWorker::~DeliveryWorker() { stop(); }

void DeliveryWorker::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { run(); });
}

void DeliveryWorker::stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DeliveryWorker::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

PassSummary DeliveryWorker::totals() const {
  std::lock_guard lock(mu_);
  return totals_;
}

void DeliveryWorker::run() {
  for (;;) {
    auto pass = deliverer_.deliverDue(agreement_);
    {
      std::unique_lock lock(mu_);
      if (pass.ok()) totals_.add(*pass);
      else spdlog::warn("balikan delivery: {} ({})", pass.error().message, pass.error().detail);
      if (stop_) return;
      cv_.wait_for(lock, interval_, [this] { return stop_ || woken_; });
      woken_ = false;
      if (stop_) return;
    }
  }
}

}  // namespace gerbang::outbox
