// The REST routes agreement plugins declare (manifest routes[]), mounted by `gerbang serve`
// at /api/v1/agencies/{id}/<path> ({id} = the agreement's agency id). Plugin code never
// owns a handler: this wrapper does, around LoadedPlugin::handleRoute, in this order
// (docs/web.md, "Agency routes"):
//
//   router + AccessControl  session; the manifest route's roles; agreement scope {id}
//                           (another agency's agreement → 404); CSRF header on POST, PUT,
//                           PATCH, DELETE (→ 403)
//   rate limit              token bucket per web account and agreement
//                           (web.agency_routes.per_minute) → 429 + Retry-After
//   agreement validity      the lookup's refusal (agreement_expired, ...) → 403
//   operator                for routes that use "lookup" or "balikan": the account's linked
//                           operator exists, is active, belongs to the agreement and has an
//                           NDA on file → otherwise 403 no_operator / no_nda (rule 7)
//   request                 body at most web.agency_routes.max_body_bytes (→ 413); a JSON
//                           object for POST/PUT/PATCH, empty otherwise (→ 400); parameters
//                           bounded, no NUL (→ 400)
//   plugin                  handle_route; during the call (and only on this thread)
//                           host.lookup runs LookupService as the request's operator and
//                           host.submit_balikan goes to the balikan IntakeService, each only
//                           if the route lists it in "uses"
//   answer                  plugin_error → 502 with the plugin's redacted detail; not JSON
//                           → 502 plugin_bad_answer; otherwise every member naming a
//                           registry field the agreement (after adenda) does not permit is
//                           removed, at any depth
//   audit                   one CallLog record per call that got past access control (no
//                           body); if it cannot be written the answer is withheld (503)
#pragma once

#include "core/agency/call_log.hpp"
#include "core/agency/rate_limiter.hpp"
#include "core/agreement/agreement_service.hpp"
#include "core/balikan/intake.hpp"
#include "core/common/clock.hpp"
#include "core/lookup/lookup_service.hpp"
#include "core/operator/operator_repository.hpp"
#include "core/plugin/loader.hpp"
#include "core/store/database.hpp"
#include "core/web/router.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace Poco::Util {
class AbstractConfiguration;
}

namespace gerbang::agency {

struct AgencyConfig {
  int perMinute = 30;                   // web.agency_routes.per_minute
  std::size_t maxBodyBytes = 16 * 1024;  // web.agency_routes.max_body_bytes
  int maxLookupsPerCall = 3;            // host.lookup calls one request may make
};

// Reads web.agency_routes.per_minute and web.agency_routes.max_body_bytes. Throws
// std::runtime_error naming the key when a value is out of range (startup).
AgencyConfig agencyConfigFrom(const Poco::Util::AbstractConfiguration& conf);

struct AgencyDeps {
  plugin::Registry& plugins;
  const agreement::AgreementService& agreements;
  lookup::LookupService& lookups;
  const op::OperatorRepository& operators;
  balikan::IntakeService* intake;  // null: submit_balikan is refused
  store::Database& db;
  const Clock& clock;
  std::function<void()> onBalikanAccepted = {};  // e.g. wake the delivery worker
};

// One mounted plugin route.
struct MountedRoute {
  std::string agencyId;
  std::string routeId;
  std::string method;
  std::string pattern;  // "/api/v1/agencies/{id}/ak1/register/{nomor}"
  std::vector<std::string> roles;
  std::vector<std::string> uses;
};

// The prefix every plugin route is mounted under.
inline constexpr const char* kAgencyPrefix = "/api/v1/agencies/{id}/";

class AgencyRoutes {
 public:
  // Installs the lookup and balikan services on `deps.plugins` (replacing any set before).
  // Everything in `deps` must outlive this object; the destructor detaches the services.
  AgencyRoutes(AgencyDeps deps, AgencyConfig config = {});
  ~AgencyRoutes();
  AgencyRoutes(const AgencyRoutes&) = delete;
  AgencyRoutes& operator=(const AgencyRoutes&) = delete;

  // Adds one Router entry per method + pattern declared by the loaded plugins (the same
  // relative path declared by two plugins shares one entry; the roles then are checked per
  // plugin). A route whose path parameter is named "id" is skipped with a warning. Throws
  // std::invalid_argument (startup) when an entry clashes with an existing route.
  void mount(web::Router& router);

  const std::vector<MountedRoute>& mounted() const { return mounted_; }
  CallLog& calls() { return calls_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  CallLog calls_;
  std::vector<MountedRoute> mounted_;
};

}  // namespace gerbang::agency
