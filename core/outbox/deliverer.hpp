// Deliverer: moves due outbox rows to the registry office's data-balikan service, batch by
// batch; DeliveryWorker runs it on a thread.
//
// One round per agreement: claim up to batchSize due rows (lease), send them as one request,
// then record the outcome per row in the store:
//  - delivered or duplicate ("Data sudah pernah dikirim") → delivered with a receipt, the
//    payload erased, and onDelivered(agreement, key) so the obligation becomes delivered;
//  - a duplicate or refusal answer to a batch of several records → each record is sent on its
//    own, because one message for the whole batch cannot say which record it concerns;
//  - refused (single record) → failed_permanent with the service's message;
//  - transient or unauthorized → pending again, due after backoffDelay(attempts) (full
//    jitter), and the agreement's round ends (no hammering a service that is down).
// Rounds repeat while rows are due. A crash at any point leaves rows 'sending'; once their
// lease ends another round claims and re-sends them.
#pragma once

#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/outbox/backoff.hpp"
#include "core/outbox/delivery_client.hpp"
#include "core/outbox/outbox_repository.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace gerbang::outbox {

struct DelivererOptions {
  // How long a claim holds rows; after a crash they are re-sent this much later.
  std::chrono::microseconds lease{std::chrono::seconds{60}};
  BackoffPolicy backoff;
  // Stop a pass after this many batches per agreement (0 = until nothing is due).
  int maxBatches = 0;
};

struct PassSummary {
  std::uint64_t claimed = 0;
  std::uint64_t delivered = 0;   // acknowledged with success
  std::uint64_t duplicates = 0;  // acknowledged as already held
  std::uint64_t retried = 0;     // back to pending for a later attempt
  std::uint64_t failed = 0;      // failed_permanent
  std::uint64_t requests = 0;
  std::uint64_t bytesSent = 0;   // request bodies on the wire
  std::string lastError;         // the last transient/refusal message, no personal data

  void add(const PassSummary& o);
};

class Deliverer {
 public:
  // Returns the client for an agreement (owned by the caller; may throw
  // std::invalid_argument when that agreement's delivery is not configured).
  using ClientFor = std::function<DeliveryClient&(const std::string& agreement)>;
  // Called after a record was acknowledged (its key is the balikan record id).
  using OnDelivered = std::function<void(const std::string& agreement, const std::string& key)>;

  // Everything passed must outlive the Deliverer.
  Deliverer(OutboxRepository& outbox, const Clock& clock, ClientFor clients,
            UniformRandom random, DelivererOptions options = {}, OnDelivered onDelivered = {});

  // Delivers what is due for `agreement`, or for every agreement with work when empty.
  // Errors only for the store ("store_unavailable") or an unconfigured agreement
  // ("balikan_delivery_unconfigured"); delivery failures are counted in the summary.
  Result<PassSummary> deliverDue(const std::string& agreement = {});

 private:
  Result<PassSummary> deliverAgreement(const std::string& agreement);
  // Sends `items` as one request and settles each; returns false when the agreement's round
  // should stop (transient failure).
  bool sendAndSettle(DeliveryClient& client, const std::vector<Item>& items, PassSummary& sum);
  void retry(const Item& item, const std::string& why, PassSummary& sum);

  OutboxRepository& outbox_;
  const Clock& clock_;
  ClientFor clients_;
  UniformRandom random_;
  DelivererOptions options_;
  OnDelivered onDelivered_;
};

// Runs Deliverer::deliverDue(agreement) on its own thread every `interval`, or at once after
// wake() (e.g. when the intake accepted a record).
class DeliveryWorker {
 public:
  DeliveryWorker(Deliverer& deliverer, std::chrono::milliseconds interval,
                 std::string agreement = {});
  ~DeliveryWorker();  // stops
  void start();
  // Asks the thread to stop and joins it; a batch in flight finishes first. Idempotent.
  void stop();
  void wake();
  // Totals over every pass so far.
  PassSummary totals() const;

 private:
  void run();
  Deliverer& deliverer_;
  std::chrono::milliseconds interval_;
  std::string agreement_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool woken_ = false;
  PassSummary totals_;
  std::thread thread_;
};

}  // namespace gerbang::outbox
