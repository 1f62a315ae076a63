// The agreements this host serves: one per loaded plugin, each with the adenda recorded in
// the store. The first step of the lookup path asks checkAccess() here.
#pragma once

#include "core/agreement/adendum_repository.hpp"
#include "core/agreement/agreement.hpp"
#include "core/common/clock.hpp"
#include "core/plugin/loader.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gerbang::agreement {

class AgreementService {
 public:
  // The agreements of every plugin `registry` loaded. Keeps copies of the manifests;
  // `repo` and `clock` must outlive the service.
  AgreementService(const plugin::Registry& registry, AdendumRepository& repo, const Clock& clock);
  // The agreements of the given manifests (tests and tools without plugins).
  AgreementService(std::vector<plugin::Manifest> manifests, AdendumRepository& repo,
                   const Clock& clock);

  // Agency ids, sorted.
  std::vector<std::string> ids() const;
  // The agreement with its adenda as stored now; nullopt when no plugin declares `id`.
  // Throws std::runtime_error when the store fails.
  std::optional<Agreement> find(std::string_view id) const;
  // The same agreement, shared and built again only when its adenda change (they are only
  // ever added): the lookup path asks this on every lookup without copying the manifest.
  // nullptr when no plugin declares `id`. Throws std::runtime_error when the store fails.
  std::shared_ptr<const Agreement> current(std::string_view id) const;
  // Every agreement, sorted by id. Throws std::runtime_error when the store fails.
  std::vector<Agreement> all() const;

  // Today in Asia/Jakarta, from the clock.
  Date today() const { return clock_.today(); }

  // Validates `a` against its agreement's manifest (validateAdendum), refuses one dated
  // after today (an Adendum is recorded once signed), stamps recordedAt from the clock and
  // stores it. Error codes: "agreement_unknown", "adendum_invalid", "adendum_duplicate",
  // "store_error"; messages in Indonesian, then English after " / ".
  Result<Adendum> addAdendum(Adendum a);

  // Whether the agreement allows access today: ok while active or expiring; otherwise an
  // Error "agreement_unknown", "agreement_not_started" or "agreement_expired" with an
  // Indonesian message for the operator. Throws std::runtime_error when the store fails.
  Status checkAccess(std::string_view id) const;

 private:
  std::vector<plugin::Manifest> manifests_;  // sorted by agency id
  AdendumRepository& repo_;
  const Clock& clock_;
  mutable std::mutex currentMutex_;
  mutable std::map<std::string, std::shared_ptr<const Agreement>, std::less<>> current_;
};

}  // namespace gerbang::agreement
