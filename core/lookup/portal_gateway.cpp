#include "core/lookup/portal_gateway.hpp"

#include "core/portal/client.hpp"
#include "core/portal/client_config.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include <stdexcept>

namespace gerbang::lookup {
namespace {

// Copies every key under `from` (recursively) to `to` under `as`.
void copyTree(const Poco::Util::AbstractConfiguration& conf, const std::string& from,
              Poco::Util::MapConfiguration& to, const std::string& as) {
  Poco::Util::AbstractConfiguration::Keys keys;
  conf.keys(from, keys);
  for (const std::string& k : keys) {
    const std::string src = from + "." + k;
    const std::string dst = as + "." + k;
    if (conf.hasOption(src)) to.setString(dst, conf.getString(src));
    copyTree(conf, src, to, dst);
  }
}

}  // namespace

portal::ClientConfig PortalGateway::configFor(const Poco::Util::AbstractConfiguration& conf,
                                              const std::string& agreementId) {
  Poco::AutoPtr<Poco::Util::MapConfiguration> merged(new Poco::Util::MapConfiguration);
  copyTree(conf, "portal", *merged, "portal");
  copyTree(conf, "agreement." + agreementId + ".portal", *merged, "portal");
  try {
    return portal::ClientConfig::fromProperties(*merged, "portal.");
  } catch (const std::invalid_argument& e) {
    // ClientConfig names keys as "portal.x"; say which agreement it was for.
    throw std::invalid_argument("agreement " + agreementId + ": " + e.what());
  }
}

PortalGateway::PortalGateway(const Poco::Util::AbstractConfiguration& conf,
                             const std::vector<std::string>& agreementIds) {
  for (const std::string& id : agreementIds) {
    portal::ClientConfig c;
    try {
      c = configFor(conf, id);
    } catch (const std::invalid_argument& e) {
      unconfigured_[id] = e.what();
      continue;
    }
    clients_.emplace(id, std::make_unique<portal::Client>(std::move(c)));
  }
}

PortalGateway::~PortalGateway() = default;

std::string PortalGateway::userId(std::string_view agreementId) const {
  auto it = clients_.find(agreementId);
  return it == clients_.end() ? std::string() : it->second->config().userId;
}

std::string PortalGateway::lembaga(std::string_view agreementId) const {
  auto it = clients_.find(agreementId);
  return it == clients_.end() ? std::string() : it->second->config().dialect.lembaga;
}

portal::CallNikResult PortalGateway::callNik(std::string_view agreementId, std::string_view nik) {
  auto it = clients_.find(agreementId);
  if (it == clients_.end())
    return portal::TransportFailure{portal::TransportKind::kRefused, false, 0,
                                    "no registry account configured for this agreement"};
  return it->second->callNik(nik);
}

}  // namespace gerbang::lookup
