#include "core/agreement/agreement_service.hpp"

#include <algorithm>

namespace gerbang::agreement {
namespace {

std::vector<plugin::Manifest> manifestsOf(const plugin::Registry& registry) {
  std::vector<plugin::Manifest> out;
  for (const plugin::LoadedPlugin* p : registry.loaded()) out.push_back(p->manifest());
  return out;
}

Error unknown(std::string_view id) {
  return Error{"agreement_unknown",
               "Perjanjian '" + std::string(id) +
                   "' tidak dikenal (plugin tidak dimuat) / "
                   "unknown agreement '" +
                   std::string(id) + "' (no plugin loaded)",
               ""};
}

}  // namespace

AgreementService::AgreementService(const plugin::Registry& registry, AdendumRepository& repo,
                                   const Clock& clock)
    : AgreementService(manifestsOf(registry), repo, clock) {}

AgreementService::AgreementService(std::vector<plugin::Manifest> manifests, AdendumRepository& repo,
                                   const Clock& clock)
    : manifests_(std::move(manifests)), repo_(repo), clock_(clock) {
  std::sort(
      manifests_.begin(), manifests_.end(),
      [](const plugin::Manifest& a, const plugin::Manifest& b) { return a.agencyId < b.agencyId; });
}

std::vector<std::string> AgreementService::ids() const {
  std::vector<std::string> out;
  for (const auto& m : manifests_) out.push_back(m.agencyId);
  return out;
}

std::optional<Agreement> AgreementService::find(std::string_view id) const {
  for (const auto& m : manifests_)
    if (m.agencyId == id) return Agreement(m, repo_.list(m.agencyId));
  return std::nullopt;
}

std::shared_ptr<const Agreement> AgreementService::current(std::string_view id) const {
  for (const auto& m : manifests_) {
    if (m.agencyId != id) continue;
    std::vector<Adendum> adenda = repo_.list(m.agencyId);
    // Adenda are only ever added, each with its own store id, and both lists are ordered by
    // date then id: the same ids in the same order, the same terms.
    auto sameAdenda = [&](const Agreement& a) {
      return std::equal(a.adenda().begin(), a.adenda().end(), adenda.begin(), adenda.end(),
                        [](const Adendum& x, const Adendum& y) { return x.id == y.id; });
    };
    std::lock_guard lock(currentMutex_);
    auto it = current_.find(id);
    if (it != current_.end() && sameAdenda(*it->second)) return it->second;
    auto built = std::make_shared<const Agreement>(m, std::move(adenda));
    current_[m.agencyId] = built;
    return built;
  }
  return nullptr;
}

std::vector<Agreement> AgreementService::all() const {
  std::vector<Agreement> out;
  for (const auto& m : manifests_) out.emplace_back(m, repo_.list(m.agencyId));
  return out;
}

Result<Adendum> AgreementService::addAdendum(Adendum a) {
  auto it = std::find_if(manifests_.begin(), manifests_.end(),
                         [&](const plugin::Manifest& m) { return m.agencyId == a.agencyId; });
  if (it == manifests_.end()) return unknown(a.agencyId);
  Status valid = validateAdendum(*it, a);
  if (!valid.ok()) return valid.error();
  Date today = clock_.today();
  if (a.date > today) {
    std::string m = "date: tanggal Adendum " + a.date.iso() + " sesudah hari ini (" + today.iso() +
                    "); catat Adendum setelah ditandatangani / date: the Adendum "
                    "date " +
                    a.date.iso() + " is after today (" + today.iso() +
                    "); record an Adendum once it is signed";
    return Error{"adendum_invalid", m, m};
  }
  a.recordedAt = clock_.now();
  return repo_.add(a);
}

Status AgreementService::checkAccess(std::string_view id) const {
  std::optional<Agreement> a = find(id);
  if (!a) return unknown(id);
  Date today = clock_.today();
  AgreementStatus s = a->status(today);
  switch (s.phase) {
    case Phase::kActive:
    case Phase::kExpiring:
      return Status::Ok();
    case Phase::kNotStarted:
      return Error{"agreement_not_started",
                   "PKS " + a->manifest().shortName + " belum berlaku; akses dimulai " +
                       a->termsOn(today).start.iso(),
                   ""};
    case Phase::kExpired:
      // Rule 8: access stops when the PKS ends unless an Adendum extends it.
      return Error{"agreement_expired",
                   "PKS " + a->manifest().shortName + " telah berakhir pada " + s.end.iso() +
                       "; akses ditolak sampai Adendum perpanjangan dicatat",
                   ""};
  }
  return unknown(id);
}

}  // namespace gerbang::agreement
