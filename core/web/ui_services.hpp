// What the operator screens' endpoints (core/web/ui_*.cpp) work with: the lookup pipeline
// and the stores behind it. `gerbang serve` builds one from its LookupHost.
#pragma once

#include "core/agreement/agreement_service.hpp"
#include "core/audit/audit_log.hpp"
#include "core/common/clock.hpp"
#include "core/lookup/lookup_service.hpp"
#include "core/lookup/pattern_releases.hpp"
#include "core/lookup/portal_gateway.hpp"
#include "core/obligation/obligation_repository.hpp"
#include "core/operator/operator_repository.hpp"
#include "core/quota/quota_ledger.hpp"

namespace gerbang::web {

// Everything must outlive the router the routes are added to.
struct UiServices {
  lookup::LookupService& lookups;
  const agreement::AgreementService& agreements;
  const op::OperatorRepository& operators;
  lookup::PatternReleases& releases;
  const Clock& clock;
  audit::AuditLog& audit;
  obligation::ObligationRepository& obligations;
  quota::QuotaLedger& quota;
  const lookup::Registry& registry;
};

}  // namespace gerbang::web
