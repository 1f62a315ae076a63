// The administrator's screen's endpoints (issue 7, "Administrasi"): adenda and plugin
// status. The health view is the public /healthz (core/web/ops_monitor.hpp).
//
//   GET  /api/v1/agreements/{id}/adenda   admin, supervisor
//     {"adenda": [Adendum...], "agreement": Terms}
//   POST /api/v1/agreements/{id}/adenda   admin (CSRF)
//     body {"number", "date": "YYYY-MM-DD", "end"?: "YYYY-MM-DD", "quota"?: 1..10000000,
//           "pocPassed"?: bool, "elements"?: [..], "addressParts"?: [..]}: validated exactly as
//     `gerbang adendum add` (AgreementService::addAdendum: narrow-only elements, PoC only
//     where the juknis lifts the quota, not dated after today, number unique), recorded by
//     the signed-in account. 201 {"adendum", "agreement"}; 400 invalid_field/adendum_invalid;
//     409 adendum_duplicate.
//       Adendum: {"id", "number", "date", "end", "quota", "pocPassed", "elements",
//                 "addressParts", "recordedBy"}
//       Terms:   {"id", "status" (active|expiring|expired|not_started), "endsOn",
//                 "daysLeft", "accessAllowed", "quotaPerDay" (null = unlimited), "elements",
//                 "addressParts", "adendumNumbers"}
//   GET  /api/v1/plugins                  admin (not agreement-scoped)
//     {"loaded": [{"agencyId", "agencyName", "file", "abi", "schemaVersion", "pksNumbers"}],
//      "refused": [{"file", "reason"}]}
#pragma once

#include "core/agreement/agreement_service.hpp"
#include "core/plugin/loader.hpp"
#include "core/web/router.hpp"

namespace gerbang::web {

struct UiAdminServices {
  agreement::AgreementService& agreements;
  const plugin::Registry& plugins;
};

// Adds the routes above. `services` must outlive the router. Throws std::invalid_argument
// (startup) when a route already exists.
void registerUiAdminRoutes(Router& router, UiAdminServices& services);

}  // namespace gerbang::web
