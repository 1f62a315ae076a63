// What /healthz and /metrics say about the domain (issue 7 item 5), on top of the generic
// store and clock checks of core/web/health.hpp:
//
//   /healthz checks (HealthState: ok / degraded = warn / fail)
//     audit_chain  the audit hash chain verified up to its head, incrementally: each run
//                  checks only the records appended since the last run (the first run reads
//                  the whole chain). fail: a record deleted, inserted, edited or re-hashed
//                  without the key (names the first bad record); sticky until a full check
//                  passes again.
//     portal       the registry portal (or its stand-in) answers an HTTP request within a
//                  short timeout; cached for `portalTtl`. fail when unreachable: no lookup
//                  can succeed.
//     (readers: registered by the reader screen's host, core/web/ui_reader.hpp)
//     agreements   fail when no agreement allows access today; degraded when one expires
//                  within its extension notice (60 days: ask for an Adendum) or has expired.
//   /metrics (Prometheus text; label values are agreement ids, outcome codes and states,
//   never a NIK)
//     gerbang_lookups_total{agreement,outcome}           counter, from the verified audit chain
//     gerbang_quota_used_today{agreement}                gauge
//     gerbang_quota_left_today{agreement}                gauge (+Inf when unlimited)
//     gerbang_obligations_open{agreement}                gauge (open, including overdue)
//     gerbang_obligations_overdue{agreement}             gauge
//     gerbang_outbox_items{agreement,state}              gauge (pending, sending, delivered,
//                                                        failed)
//     gerbang_audit_chain_verified_seq, gerbang_audit_chain_ok   gauges
//
// Caches run on the steady clock (they bound staleness; they are not domain time).
#pragma once

#include "core/audit/audit_log.hpp"
#include "core/web/health.hpp"
#include "core/web/metrics.hpp"
#include "core/web/ui_services.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gerbang::outbox {
class OutboxRepository;
}

namespace gerbang::web {

class WebApp;

// The audit chain as last verified.
struct ChainStatus {
  bool ok = true;
  Poco::Int64 verifiedSeq = 0;  // records 1..verifiedSeq are verified
  Poco::Int64 headSeq = 0;      // the head when last checked
  bool fullCheck = false;       // the last check read the whole chain
  Poco::Int64 badSeq = 0;       // !ok: the first bad record
  std::string reason;           // !ok: as audit::VerifyReport::reason
  std::string message;          // Indonesian, for the supervisor and /healthz
};

// Incremental verification of the audit chain, with the attempts counted per agreement and
// outcome among the verified records. Thread-safe.
class AuditChainWatch {
 public:
  // `log` must outlive the watch. `anchorKey`: the chain's keyed-anchor key (as
  // lookup::LookupHost::auditOptions), or nullopt when the chain has none.
  AuditChainWatch(audit::AuditLog& log, std::optional<std::string> anchorKey);

  // Verifies the records appended since the last call (the whole chain on the first call,
  // or when `full`). Once a bad record is found the status stays failed until a full check
  // passes. An error only when the store cannot be read.
  Result<ChainStatus> refresh(bool full = false);

  // Attempts among the verified records, by {agreement, outcome}.
  std::map<std::pair<std::string, std::string>, long> counts() const;

 private:
  Result<ChainStatus> advance();

  audit::AuditLog& log_;
  std::optional<std::string> anchorKey_;
  mutable std::mutex mutex_;
  bool started_ = false;
  ChainStatus status_;
  std::string lastHash_;
  std::map<std::pair<std::string, std::string>, long> counts_;
};

// Probes an HTTP(S) base URL: any HTTP answer means reachable. For https only the TCP
// connection is made (the lookup client checks the certificate on every call).
HealthCheck portalHealthCheck(std::string baseUrl, std::chrono::milliseconds timeout,
                              std::chrono::steady_clock::duration ttl);

HealthCheck agreementsHealthCheck(const agreement::AgreementService& agreements);

HealthCheck auditChainHealthCheck(AuditChainWatch& watch, std::chrono::steady_clock::duration ttl);

struct OpsMonitorConfig {
  std::optional<std::string> anchorKey;             // the audit chain's anchor key
  std::string portalUrl;                            // empty: the portal check says so (degraded)
  std::chrono::milliseconds portalTimeout{1500};
  std::chrono::steady_clock::duration portalTtl = std::chrono::seconds{30};
  std::chrono::steady_clock::duration chainTtl = std::chrono::seconds{10};
};

// Registers the checks and metrics above on `app`. Everything passed must outlive the
// monitor, and the monitor must outlive the app's server. `outbox` may be null.
class OpsMonitor {
 public:
  OpsMonitor(WebApp& app, UiServices& services, outbox::OutboxRepository* outbox,
             OpsMonitorConfig config);
  ~OpsMonitor();
  OpsMonitor(const OpsMonitor&) = delete;
  OpsMonitor& operator=(const OpsMonitor&) = delete;

  AuditChainWatch& chain() { return chain_; }

 private:
  void collect();

  UiServices& services_;
  outbox::OutboxRepository* outbox_;
  AuditChainWatch chain_;
  std::mutex collectMutex_;
  std::map<std::pair<std::string, std::string>, long> published_;
  MetricFamily* lookups_ = nullptr;
  MetricFamily* quotaUsed_ = nullptr;
  MetricFamily* quotaLeft_ = nullptr;
  MetricFamily* obligationsOpen_ = nullptr;
  MetricFamily* obligationsOverdue_ = nullptr;
  MetricFamily* outboxItems_ = nullptr;
  MetricFamily* chainSeq_ = nullptr;
  MetricFamily* chainOk_ = nullptr;
};

}  // namespace gerbang::web
