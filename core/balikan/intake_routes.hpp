// The balikan intake's HTTP entry points, mounted on core/web's Router (by `gerbang serve`).
// All are for agency applications with an API token of the agreement (Authorization:
// Bearer); a token of another agreement gets 404 (core/web's agreement scope).
//
//   POST /api/v1/agreements/{id}/balikan          one record, JSON {"<field>": "<value>", ...}
//        201 {"status":"accepted","record":key,"already_queued":b,"obligation_closed":b}
//        400 balikan_invalid / balikan_json_invalid, with "errors": [{field,label,reason}]
//        422 balikan_not_accessed (the person was never accessed under this PKS)
//   POST /api/v1/agreements/{id}/balikan/upload   raw body: a CSV or XLSX file (detected by
//        its first bytes; ?sheet=NAME for a workbook's named sheet; size bound by
//        web.max_body: larger files go through `gerbang balikan import`)
//        200 JSON summary with the row-level error report as CSV text ("error_report_csv");
//        with ?report=csv the answer is that CSV itself (text/csv attachment) and the
//        figures are in X-Balikan-* headers
//   GET  /api/v1/agreements/{id}/balikan/status   obligation and outbox figures, records
//        (key, status, attempts, last error, delivered_at, receipt) — never a NIK
#pragma once

#include "core/balikan/intake.hpp"
#include "core/web/router.hpp"

#include <functional>

namespace gerbang::balikan {

// Adds the three routes. `intake` must outlive the router. `onAccepted` (may be empty) is
// called after a record was queued, e.g. to wake the delivery worker. Throws
// std::invalid_argument (startup) when a route already exists.
void registerBalikanRoutes(web::Router& router, IntakeService& intake,
                           std::function<void()> onAccepted = {});

}  // namespace gerbang::balikan
