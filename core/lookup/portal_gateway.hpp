// The registry connection of each agreement: one CALL_NIK client per agreement, with that
// agreement's own User ID, password, lembaga and dialect.
//
// Why per agreement: each PKS comes with its own User ID issued on its own BAST (rule 2 of
// every PKS), the daily quota counts per User ID, and the registry checks the IP_USER and
// the lembaga of each one. A host serving three agreements therefore holds three accounts.
//
// Settings: every `portal.*` key (docs/portal.md) is the host-wide default; the same key
// under `agreement.<id>.portal.` overrides it for one agreement, e.g.
//   agreement.jabar-disnakertrans.portal.user_id = ...
//   agreement.jabar-disnakertrans.portal.password = ...
//   agreement.jabar-disnakertrans.portal.dialect.lembaga = DISNAKERTRANS_JABAR
#pragma once

#include "core/portal/call_nik_result.hpp"

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace Poco::Util {
class AbstractConfiguration;
}

namespace gerbang::portal {
class Client;
struct ClientConfig;
}  // namespace gerbang::portal

namespace gerbang::lookup {

// What the pipeline needs from the registry. An interface so the benchmark and tests can
// count calls; production uses PortalGateway.
class Registry {
 public:
  virtual ~Registry() = default;
  // The User ID the registry issued for this agreement (the quota key), or "" when the
  // agreement has no usable registry account configured.
  virtual std::string userId(std::string_view agreementId) const = 0;
  // The institution name (lembaga) of the agreement's account, or "".
  virtual std::string lembaga(std::string_view agreementId) const = 0;
  // One CALL_NIK lookup under the agreement's account. Only called when userId() is
  // non-empty. Thread-safe; never throws.
  virtual portal::CallNikResult callNik(std::string_view agreementId, std::string_view nik) = 0;
};

class PortalGateway final : public Registry {
 public:
  // Builds one client per agreement id in `agreementIds` from `conf` (see above). An
  // agreement whose settings do not validate gets no client: its lookups are refused with
  // "registry_not_configured", and unconfigured() says why (never a password). Throws only
  // for an HTTPS CA file that cannot be loaded (startup).
  PortalGateway(const Poco::Util::AbstractConfiguration& conf,
                const std::vector<std::string>& agreementIds);
  ~PortalGateway() override;

  // The client settings for one agreement (host-wide `portal.*` overlaid by
  // `agreement.<id>.portal.*`). Throws std::invalid_argument naming the key when invalid.
  static portal::ClientConfig configFor(const Poco::Util::AbstractConfiguration& conf,
                                        const std::string& agreementId);

  std::string userId(std::string_view agreementId) const override;
  std::string lembaga(std::string_view agreementId) const override;
  portal::CallNikResult callNik(std::string_view agreementId, std::string_view nik) override;

  // Agreement id -> why it has no client (one line each).
  const std::map<std::string, std::string>& unconfigured() const { return unconfigured_; }

 private:
  std::map<std::string, std::unique_ptr<portal::Client>, std::less<>> clients_;
  std::map<std::string, std::string> unconfigured_;
};

}  // namespace gerbang::lookup
