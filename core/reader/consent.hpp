// Consent for storing card-read data, and the store of consented reads.
//
// Zero Sharing Policy (rule 3 of every PKS): accessed population data is not stored. The
// 2025 juknis (PKS Purbalingga) makes one exception: data read from a KTP-el by a card
// reader may be stored after it is verified and the resident consents. So: no consent, no
// storage; with consent, only the agreement's permitted fields; every consent is
// recorded (keyed hash of the NIK, operator, time, agreement) so it can be audited.
#pragma once

#include "core/audit/nik_hmac.hpp"
#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/reader/biodata.hpp"
#include "core/reader/card_read.hpp"
#include "core/store/database.hpp"

#include <Poco/Types.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gerbang::reader {

struct ConsentRecord {
  Poco::Int64 id = 0;
  std::string nikHmac;
  std::string operatorId;
  std::string agreementId;
  TimePoint at;
};

class ConsentRepository {
 public:
  // `hasher` is the host's NIK pseudonymiser (core/audit): consents carry the same
  // per-agreement NIK HMAC as the audit trail and the balikan obligations, so an auditor
  // can match a stored card read to its consent and its lookup without any NIK. Registers
  // the migrations (module "reader"); throws on a database failure. `db`, `hasher` and
  // `clock` must outlive the repository.
  ConsentRepository(store::Database& db, const audit::NikHasher& hasher, const Clock& clock);

  // Records that the resident with `nik` consented, before `operatorId`, for
  // `agreementId`, now. Returns the consent id. Error "nik_invalid" when `nik` is not 16
  // digits, "operator_missing" when operatorId is empty.
  Result<Poco::Int64> recordConsent(std::string_view nik, const std::string& operatorId,
                                    const std::string& agreementId);

  // The latest consent of that resident for that agreement, if any.
  std::optional<ConsentRecord> findConsent(std::string_view nik,
                                           const std::string& agreementId) const;
  // Every consent recorded for an agreement, oldest first (for audit).
  std::vector<ConsentRecord> consents(const std::string& agreementId) const;

  // Stores a card read. Refused with "consent_required" when the resident (read.fields
  // ["NIK"]) has no consent recorded for `agreementId`; "nik_missing" when the read has no
  // NIK. With consent, stores only the fields `permitted` allows (minimised again here, so
  // a caller cannot widen it), linked to the consent. Returns the stored row id.
  Result<Poco::Int64> storeCardRead(const CardRead& read, const std::string& operatorId,
                                    const std::string& agreementId,
                                    const PermittedFields& permitted);

  // The fields stored under `id` (for the agency's own use and for audit).
  std::optional<std::map<std::string, std::string>> storedFields(Poco::Int64 id) const;

  // The pseudonym stored for `nik` under `agreementId` (NikHasher::hash); "nik_invalid"
  // unless 16 digits.
  Result<std::string> nikHmac(std::string_view nik, const std::string& agreementId) const;

 private:
  store::Database& db_;
  const audit::NikHasher& hasher_;
  const Clock& clock_;
};

}  // namespace gerbang::reader
