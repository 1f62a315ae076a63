#include "core/lookup/lookup_host.hpp"

#include <Poco/Util/AbstractConfiguration.h>

#include <stdexcept>

namespace gerbang::lookup {

audit::NikHasher LookupHost::hasherFrom(const Poco::Util::AbstractConfiguration& conf) {
  const std::string file = conf.getString(kAuditKeyFileKey, "");
  if (file.empty())
    throw std::runtime_error(std::string("config: ") + kAuditKeyFileKey +
                             " is empty (the host's master secret; `gerbang demo seed` creates "
                             "one for the demo)");
  try {
    return audit::NikHasher::fromKeyFile(file);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("config: ") + kAuditKeyFileKey + ": " + e.what());
  }
}

audit::AuditOptions LookupHost::auditOptions(const audit::NikHasher& hasher) {
  audit::AuditOptions o;
  o.anchorKey = hasher.deriveKey("audit-anchor");
  return o;
}

LookupHost::LookupHost(const Poco::Util::AbstractConfiguration& conf, store::Database& db,
                       const agreement::AgreementService& agreements, const Clock& clock,
                       Registry* registry)
    : hasher_(hasherFrom(conf)),
      operators_(db),
      quota_(db),
      audit_(db, auditOptions(hasher_)),
      obligations_(db),
      releases_(db),
      registry_(registry) {
  if (registry_ == nullptr) {
    gateway_ = std::make_unique<PortalGateway>(conf, agreements.ids());
    registry_ = gateway_.get();
  }
  service_ = std::make_unique<LookupService>(LookupDeps{agreements, operators_, quota_, hasher_,
                                                        audit_, obligations_, *registry_,
                                                        releases_, clock});
}

LookupHost::~LookupHost() = default;

}  // namespace gerbang::lookup
