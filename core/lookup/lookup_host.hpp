// Everything a process needs to run lookups, built from the configuration at startup: the
// operator register, the quota ledger, the NIK hasher (from the key file), the audit chain,
// the obligations, the pattern releases, the per-agreement registry accounts and the
// LookupService over them. Used by `gerbang lookup`, `gerbang serve` and the other commands.
//
// Settings read here (besides portal.* and agreement.<id>.portal.*, see portal_gateway.hpp):
//   audit.key_file   the host's master secret (hex, mode 0600; NikHasher::fromKeyFile). Keys
//                    the NIK HMAC per agreement and the audit chain's anchor. Required.
#pragma once

#include "core/agreement/agreement_service.hpp"
#include "core/audit/audit_log.hpp"
#include "core/audit/nik_hmac.hpp"
#include "core/lookup/lookup_service.hpp"
#include "core/lookup/pattern_releases.hpp"
#include "core/lookup/portal_gateway.hpp"
#include "core/obligation/obligation_repository.hpp"
#include "core/operator/operator_repository.hpp"
#include "core/quota/quota_ledger.hpp"

#include <memory>

namespace Poco::Util {
class AbstractConfiguration;
}

namespace gerbang::lookup {

inline constexpr const char* kAuditKeyFileKey = "audit.key_file";

class LookupHost {
 public:
  // Builds every part. Throws std::runtime_error with one clear message (naming the key)
  // when audit.key_file is unset or unusable or the store cannot be migrated. `registry`
  // null = a PortalGateway from the configuration. Everything passed must outlive the host.
  LookupHost(const Poco::Util::AbstractConfiguration& conf, store::Database& db,
             const agreement::AgreementService& agreements, const Clock& clock,
             Registry* registry = nullptr);
  ~LookupHost();
  LookupHost(const LookupHost&) = delete;
  LookupHost& operator=(const LookupHost&) = delete;

  // The NIK hasher from audit.key_file alone (for commands that only verify the audit).
  static audit::NikHasher hasherFrom(const Poco::Util::AbstractConfiguration& conf);
  // The audit options (anchor key) every process must use on the same chain.
  static audit::AuditOptions auditOptions(const audit::NikHasher& hasher);

  op::OperatorRepository& operators() { return operators_; }
  quota::QuotaLedger& quota() { return quota_; }
  const audit::NikHasher& hasher() const { return hasher_; }
  audit::AuditLog& audit() { return audit_; }
  obligation::ObligationRepository& obligations() { return obligations_; }
  PatternReleases& releases() { return releases_; }
  Registry& registry() { return *registry_; }
  // Null when a registry was passed in.
  const PortalGateway* gateway() const { return gateway_.get(); }
  LookupService& service() { return *service_; }

 private:
  audit::NikHasher hasher_;
  op::OperatorRepository operators_;
  quota::QuotaLedger quota_;
  audit::AuditLog audit_;
  obligation::ObligationRepository obligations_;
  PatternReleases releases_;
  std::unique_ptr<PortalGateway> gateway_;
  Registry* registry_;
  std::unique_ptr<LookupService> service_;
};

}  // namespace gerbang::lookup
