// The adenda recorded for each agreement, kept in the store (module "agreement", table
// agreement_adenda). An Adendum is never edited or deleted: a correction is a new Adendum,
// as it is on paper.
#pragma once

#include "core/agreement/agreement.hpp"
#include "core/common/read_cache.hpp"
#include "core/store/database.hpp"

#include <string>
#include <vector>

namespace gerbang::agreement {

class AdendumRepository {
 public:
  // Applies the module's migrations. `db` must outlive the repository. Throws
  // std::runtime_error when the store cannot be migrated.
  explicit AdendumRepository(store::Database& db);

  // Stores `a` (already validated against its manifest) and returns it with its id.
  // Returns an Error "adendum_duplicate" when the agreement already has an Adendum with that
  // number, or "store_error" when the store fails. Thread-safe.
  Result<Adendum> add(const Adendum& a);

  // Every Adendum of one agreement, by date then recording order. Throws
  // std::runtime_error when the store fails. Served from a short-lived cache (every lookup
  // asks): an Adendum recorded through this object is seen at once, one recorded by
  // another process within the cache's ttl (see setCacheTtl).
  std::vector<Adendum> list(const std::string& agencyId) const;

  // How long list() may serve a cached answer (default 2 s; 0 = always read the store).
  void setCacheTtl(std::chrono::steady_clock::duration ttl) { cache_.setTtl(ttl); }

 private:
  std::vector<Adendum> read(const std::string& agencyId) const;

  store::Database& db_;
  ReadCache<std::string, std::vector<Adendum>> cache_;
};

}  // namespace gerbang::agreement
