// The compliance dashboard of one agreement (issue 7): figures only, never personal data,
// so the registry's evaluators may see it too.
//
//   GET /api/v1/agreements/{id}/dashboard
//     {"today", "endsOn", "daysLeft", "status",
//      "quota": {"perDay" | null, "usedToday", "leftToday" | null},
//      "lookupsPerDay": [{"day", "count"}] (the last 7 Jakarta days, oldest first),
//      "outcomesToday": {outcome: count}, "patternBlocksToday",
//      "obligations": {"open", "overdue", "fulfilled", "delivered"},
//      "duties": [{"kind", "label", "due", "daysLeft"}]}
//   Counts come from the audit chain (AuditLog::query, at most 1000 records a day are
//   counted; "capped" says when a day reached that), the quota ledger and the obligations.
#pragma once

#include "core/web/router.hpp"
#include "core/web/ui_services.hpp"

namespace gerbang::web {

// Adds the route above. Throws std::invalid_argument (startup) when it already exists.
void registerUiDashboardRoutes(Router& router, UiServices& services);

// Working days (Monday to Friday) after `from`: the day `n` working days later. Public
// holidays are not known to the host, so a deadline may come a little early, never late.
Date addWorkingDays(Date from, int n);

// The next semester-report deadline on or after `today`: S1 (January-June) due by the end
// of June, S2 by the end of December, or `workingDays` working days after the semester
// ends when the agreement states that (Purbalingga: 10).
Date nextSemesterReportDue(Date today, int workingDays);

}  // namespace gerbang::web
