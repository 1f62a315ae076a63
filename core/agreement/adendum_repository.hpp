// The adenda recorded for each agreement, kept in the store (module "agreement", table
// agreement_adenda). An Adendum is never edited or deleted: a correction is a new Adendum,
// as it is on paper.
#pragma once

#include "core/agreement/agreement.hpp"
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
  // std::runtime_error when the store fails.
  std::vector<Adendum> list(const std::string& agencyId) const;

 private:
  store::Database& db_;
};

}  // namespace gerbang::agreement
