// The audit of plugin route calls: one record per call that reached the core's wrapper
// (allowed or refused there): when, which agreement, which web account and operator,
// which route and method, the HTTP status, an outcome code and the names of the members
// minimisation removed. Never the request or answer body, never a NIK (lookups a route
// makes are audited by LookupService in the hash-chained audit log, with the NIK's HMAC).
#pragma once

#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/store/database.hpp"

#include <Poco/Types.h>

#include <string>
#include <vector>

namespace gerbang::agency {

struct CallRecord {
  Poco::Int64 id = 0;
  TimePoint at{};
  std::string agreementId;
  std::string account;     // the web account (staff user name)
  std::string operatorId;  // its linked operator, "" when none
  std::string routeId;     // the manifest route id
  std::string method;
  int httpStatus = 0;
  // "ok", "rate_limited", "agreement_expired" (or the agreement refusal's code),
  // "no_operator", "no_nda", "request_invalid", "plugin_error", "plugin_bad_answer",
  // "route_not_found", "store_unavailable"
  std::string outcome;
  std::string dropped;  // comma-separated member names removed from the answer
};

class CallLog {
 public:
  // Creates its table on first use. `db` must outlive the log.
  explicit CallLog(store::Database& db);

  // Appends one record (its id is assigned). Error "store_unavailable" when the store fails.
  Status append(const CallRecord& r);
  // The newest `limit` records of one agreement, newest first.
  Result<std::vector<CallRecord>> recent(const std::string& agreementId, int limit = 100) const;

 private:
  store::Database& db_;
};

}  // namespace gerbang::agency
