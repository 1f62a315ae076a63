// The operator screens' data-balikan endpoints (issue 7: "balikan form generated from the
// plugin's schema; CSV/XLSX upload with the row error report; obligations backlog"). Session
// routes (browser, CSRF on POST) beside the API-token routes of intake_routes.hpp, which
// already own POST .../balikan, POST .../balikan/upload and GET .../balikan/status; the
// session routes therefore use their own paths:
//
//   GET  /api/v1/agreements/{id}/balikan/form        the form spec from the plugin's balikan
//        schema: fields with label, type, required, enum values, max length, pattern, hint
//   POST /api/v1/agreements/{id}/balikan/records     one record {"<field>": "<value>", ...}
//        → schema + plugin hook → intake (closes the obligation) → outbox.
//        201 {"record","alreadyQueued","obligationClosed","message"}; 400 with "errors":
//        [{field,label,reason}] (reasons never echo a value); 422 balikan_not_accessed
//   POST /api/v1/agreements/{id}/balikan/uploads     raw body: CSV (text/csv) or XLSX
//        (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet); valid rows are
//        accepted, invalid rows reported (accept-valid-rows; re-uploading the corrected file
//        is safe: rows already accepted come back as "alreadyQueued", nothing is sent twice).
//        200 {"uploadId","rows","accepted","alreadyQueued","invalid","refused","errors":
//        [{row,column,reason}] (first kMaxErrorRows), "errorCount","errorReport": url|null}
//   GET  /api/v1/agreements/{id}/balikan/uploads/{uploadId}/errors.csv
//        the row error report (baris;kolom;alasan — no cell values, so no personal data),
//        kept in memory for kUploadReportTtl, only for the account that uploaded
//   GET  /api/v1/agreements/{id}/obligations?filter=open|overdue&page=N&pageSize=M
//        the backlog of open obligations: opened, due, days overdue, source, purpose
//        reference, operator (from the audit record of the access), HMAC prefix; never a NIK
//   GET  /api/v1/agreements/{id}/balikan/delivery    outbox pending/sending/delivered/failed
//        counts, the last delivery time and whether this host's delivery worker runs
#pragma once

#include "core/audit/audit_log.hpp"
#include "core/balikan/intake.hpp"
#include "core/common/clock.hpp"
#include "core/obligation/obligation_repository.hpp"
#include "core/outbox/outbox_repository.hpp"
#include "core/web/router.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace gerbang::balikan {

// Row errors listed in the upload answer; the CSV report has every one.
inline constexpr std::size_t kMaxErrorRows = 200;
// How long an upload's error report can be downloaded.
inline constexpr std::chrono::minutes kUploadReportTtl{60};
// The media type of an XLSX workbook.
inline constexpr const char* kXlsxMediaType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// Everything must outlive the router the routes are added to.
struct BalikanUiServices {
  IntakeService& intake;
  obligation::ObligationRepository& obligations;
  outbox::OutboxRepository& outbox;
  audit::AuditLog& audit;
  const Clock& clock;
  // Called after a record was queued (wakes the delivery worker); may be empty.
  std::function<void()> onAccepted;
  // True when this process runs a delivery worker (shown on the status screen).
  bool deliveryWorker = false;
};

// Error reports of recent uploads, in memory only (a restart forgets them; the agency
// re-uploads). Thread-safe.
class UploadReports {
 public:
  explicit UploadReports(const Clock& clock) : clock_(clock) {}
  // Stores a report and returns its id (random, 32 hex digits). Expired reports are dropped.
  std::string add(const std::string& agreement, const std::string& owner, std::string csv);
  // The report, when it exists, has not expired and belongs to (agreement, owner).
  std::optional<std::string> find(const std::string& id, const std::string& agreement,
                                  const std::string& owner);

 private:
  struct Entry {
    std::string agreement, owner, csv;
    TimePoint expires;
  };
  const Clock& clock_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

// Adds the six routes above. `services` must outlive the router. Throws
// std::invalid_argument (startup) when one already exists.
void registerBalikanUiRoutes(web::Router& router, BalikanUiServices& services);

}  // namespace gerbang::balikan
