// SAM lifecycle per agreement: activation (SAM UID, agreement, date) and deactivation,
// the refusal of card use once the agreement has ended, and the handover (BAST) data.
//
// Rule 8 (every PKS): on the end of the agreement the SAM is returned/deactivated and the
// readers deactivated; the 2025 juknis asks for an extension at least 2 months before.
#pragma once

#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/store/database.hpp"

#include <optional>
#include <string>
#include <vector>

namespace gerbang::reader {

// The duty an operator is shown when card use is refused because the agreement ended.
inline constexpr const char* kSamEndDuty =
    "PKS telah berakhir: penggunaan pembaca KTP-el dihentikan. Kewajiban: kembalikan "
    "konfigurasi SAM kepada Dinas Dukcapil dan nonaktifkan SAM, dengan Berita Acara Serah "
    "Terima (BAST).";

struct SamRecord {
  std::string samUid;       // hex, as read with F7
  std::string agreementId;  // the plugin's agency id
  Date activated;
  std::optional<Date> deactivated;
};

// The agreement's term as the agreement module knows it (after any Adendum).
struct AgreementTerm {
  Date end;            // last day of access
  bool active = true;  // false when revoked or otherwise stopped by the registry
};

// Persistent SAM records (module "reader", table reader_sam). Thread-safe as Database is.
class SamRepository {
 public:
  // Registers the migrations. Throws on a database failure (startup).
  explicit SamRepository(store::Database& db);

  // Records that `samUid` was activated for `agreementId` on `day`. Error "sam_exists"
  // when the SAM is already recorded and not deactivated.
  Status activate(const std::string& samUid, const std::string& agreementId, const Date& day);
  // Records the deactivation (after the handover). Error "sam_unknown".
  Status deactivate(const std::string& samUid, const Date& day);
  std::optional<SamRecord> find(const std::string& samUid) const;
  std::vector<SamRecord> forAgreement(const std::string& agreementId) const;

  // May `samUid` be used for `agreementId` on `today`? Refusals, in order:
  // "agreement_ended" (today is after term.end, or !term.active; the message carries
  // kSamEndDuty), "sam_not_activated", "sam_deactivated", "sam_other_agreement".
  Status authorizeUse(const std::string& samUid, const std::string& agreementId,
                      const AgreementTerm& term, const Date& today) const;

  // The handover record (BAST) for returning the SAM configuration, as JSON:
  // {"document":"BAST pengembalian konfigurasi SAM","sam_uid":...,"agreement_id":...,
  //  "activated":"YYYY-MM-DD","agreement_end":"YYYY-MM-DD","handover_date":"YYYY-MM-DD",
  //  "duties":[...],"status":"active"|"deactivated"}. Error "sam_unknown".
  Result<std::string> bastJson(const std::string& samUid, const AgreementTerm& term,
                               const Date& handoverDate) const;

 private:
  store::Database& db_;
};

}  // namespace gerbang::reader
