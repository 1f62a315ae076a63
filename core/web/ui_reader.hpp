// The KTP-el reader on the operator's lookup screen (issue 7: "baca KTP-el with live reader
// status and card-inserted events"), session-authenticated JSON under /api/v1:
//
//   GET  /api/v1/readers?agreement=ID           is the PC/SC service up, the readers pcscd
//        knows, a card in each, the KTP-el pair (card slot + SAM slot), and the SAM state
//        of the agreement (activated / not / PKS ended). Staff roles; no card data at all.
//   GET  /api/v1/readers/events?after=N[&wait=S] long-poll: reader and card events with a
//        sequence number greater than N (card_inserted, card_removed, reader_added,
//        reader_removed, service_lost, service_restored), waiting at most S seconds (25 by
//        default, at most 25) for one to happen. No ATR, no card data.
//   POST /api/v1/agreements/{id}/card-lookups    reads the KTP-el in the named reader and
//        looks its NIK up through core/cardflow, i.e. the same LookupService as
//        POST .../lookups (purpose, pattern guard, quota, registry, minimisation, audit,
//        balikan obligation). Body {"reader", "purpose", "consent": true|false,
//        "mode": "check"|"data"}. Answers like POST .../lookups (uiAnswerJson) plus the
//        card part; "check" compares the card with the registry without sending either's
//        values. Card data is stored only with consent (2025 juknis).
//
// One PC/SC watcher thread per host (ReaderHost) feeds the event log the long-poll reads.
#pragma once

#include "core/audit/nik_hmac.hpp"
#include "core/cardflow/card_flow.hpp"
#include "core/reader/consent.hpp"
#include "core/reader/pcsc.hpp"
#include "core/reader/reader_service.hpp"
#include "core/reader/sam_registry.hpp"
#include "core/web/health.hpp"
#include "core/web/router.hpp"
#include "core/web/ui_services.hpp"

#include <Poco/Util/AbstractConfiguration.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace gerbang::web {

// Reader and card events numbered 1, 2, 3... as the watcher reports them; the last
// `capacity` are kept for the long-poll. Thread-safe.
class ReaderEventLog {
 public:
  explicit ReaderEventLog(size_t capacity = 256);

  struct Entry {
    uint64_t seq = 0;
    std::string type;    // toString(ReaderEventType): "card_inserted", ...
    std::string reader;  // slot name; empty for service events
  };
  void push(const reader::ReaderEvent& event);

  struct Batch {
    uint64_t latest = 0;  // the newest sequence number (0: none yet)
    std::vector<Entry> events;
    // True when events after `after` were already dropped (capacity), or `after` is newer
    // than anything here (the host restarted): the client should re-read the status.
    bool gap = false;
  };
  // The events after `after`; when there are none, waits up to `maxWait` for one (or for
  // close()).
  Batch after(uint64_t after, std::chrono::milliseconds maxWait);
  uint64_t latest() const;
  // Wakes every waiter and makes later waits return at once (shutdown).
  void close();

 private:
  Batch collectLocked(uint64_t after) const;

  size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Entry> entries_;
  uint64_t latest_ = 0;
  bool closed_ = false;
};

// Everything the reader routes use: PC/SC, the reader service, the card flow into the
// lookup pipeline, SAM and consent records, and the event log fed by one watcher thread.
class ReaderHost {
 public:
  // Reads the "reader." keys (docs/reader.md). When the SAM secrets or adapter are not
  // configured the host still lists readers and follows events, and card lookups answer
  // 503 "reader_not_configured". `services` and `hasher` must outlive this object.
  // Throws (startup) on a malformed pattern or an unknown reader.sam.adapter.
  ReaderHost(const Poco::Util::AbstractConfiguration& config, store::Database& db,
             UiServices& services, const audit::NikHasher& hasher);
  ~ReaderHost();
  ReaderHost(const ReaderHost&) = delete;
  ReaderHost& operator=(const ReaderHost&) = delete;

  // Starts the PC/SC watcher (idempotent).
  void start();
  // Stops the watcher and releases waiting long-polls (idempotent; call before stopping
  // the HTTP server so it is not held by a waiting request).
  void stop();

  // The longest a long-poll waits (tests shorten it).
  void setMaxWait(std::chrono::milliseconds d) { maxWait_ = d; }
  std::chrono::milliseconds maxWait() const { return maxWait_; }
  // How many long-polls may wait at once (each holds a server thread); beyond it a poll
  // answers at once with "busy" and the page polls again a few seconds later.
  void setMaxWaiting(int n) { maxWaiting_ = n; }
  // Counts a waiting long-poll in; false (and nothing counted) when maxWaiting are waiting.
  bool enterWait() {
    int n = waiting_.load();
    while (n < maxWaiting_)
      if (waiting_.compare_exchange_weak(n, n + 1)) return true;
    return false;
  }
  void leaveWait() { --waiting_; }

  // "readers" health: ok with the pair and card state, degraded when pcscd or the pair is
  // missing (lookups by typed NIK still work).
  HealthCheck healthCheck();

  reader::PcscService& pcsc() { return *pcsc_; }
  ReaderEventLog& events() { return events_; }
  UiServices& services() { return services_; }
  const reader::SamRepository& sams() const { return *sams_; }
  const reader::ReaderPairing& pairing() const { return pairing_; }
  // Null when the SAM secrets / adapter are not configured; `why` says which key.
  cardflow::CardFlowService* flow() { return flow_.get(); }
  const std::string& notConfiguredWhy() const { return why_; }
  // One card read at a time: the reader is one device.
  std::timed_mutex& readMutex() { return readMutex_; }

 private:
  UiServices& services_;
  std::chrono::milliseconds maxWait_{std::chrono::seconds{25}};
  int maxWaiting_ = 4;
  std::atomic<int> waiting_{0};
  reader::ReaderPairing pairing_;
  std::string why_;
  std::unique_ptr<reader::PcscService> pcsc_;
  std::unique_ptr<reader::SamAdapter> adapter_;
  std::unique_ptr<reader::SamRepository> sams_;
  std::unique_ptr<reader::ConsentRepository> consents_;
  std::unique_ptr<reader::ReaderService> readers_;
  std::unique_ptr<cardflow::ReaderServiceSource> source_;
  std::unique_ptr<cardflow::CardFlowService> flow_;
  ReaderEventLog events_;
  std::timed_mutex readMutex_;
  bool watching_ = false;
};

// Adds the three routes above. Throws std::invalid_argument (startup) when one exists.
void registerUiReaderRoutes(Router& router, ReaderHost& host);

}  // namespace gerbang::web
