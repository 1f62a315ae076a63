// LookupService: one lookup of a NIK, end to end (issue 4), in the order of the lookup path
// in docs/architecture.md. Every entry point (CLI, REST for agency applications, the
// CALL_NIK-compatible endpoint, plugins through the host table) goes through lookup().
//
//   agreement   exists (plugin loaded), within its term after any Adendum (rule 8)
//   operator    known, active, member of the agreement, NDA on file; SPTJM on file (rule 7)
//   purpose     the service reference the plugin declares, by its pattern (rule 1)
//   NIK format  local and free of quota ("NIK tidak sesuai format Dukcapil")
//   pattern     not sequential, patterned or rapid (juknis); a supervisor's release, once
//   quota       reserved before the call: exact, durable, per User ID and Jakarta day
//   registry    CALL_NIK under the agreement's own User ID; classified into one outcome
//   quota back  released only when the request certainly never reached the registry
//   minimise    only the agreement's elements and address parts, after adenda (rule 1)
//   audit       one hash-chained record per attempt, allowed or refused; FAIL CLOSED
//   obligation  data returned -> a balikan obligation keyed by the NIK's HMAC (rule 5)
//
// Population data (the NIK, the registry's record) lives only in memory on this path: it is
// never logged, never written to the store (the audit and obligations get the HMAC), and
// never put in an answer's message or detail.
#pragma once

#include "core/agreement/agreement_service.hpp"
#include "core/audit/audit_log.hpp"
#include "core/audit/nik_hmac.hpp"
#include "core/common/clock.hpp"
#include "core/compliance/minimiser.hpp"
#include "core/compliance/pattern_guard.hpp"
#include "core/compliance/purpose_guard.hpp"
#include "core/lookup/pattern_releases.hpp"
#include "core/lookup/portal_gateway.hpp"
#include "core/obligation/obligation_repository.hpp"
#include "core/operator/operator_repository.hpp"
#include "core/quota/quota_ledger.hpp"

#include <Poco/Types.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gerbang::lookup {

// Stable outcome codes (one per case; docs/compliance.md lists where each is decided).
namespace outcome {
// The registry answered about the person.
inline constexpr std::string_view kFound = "found";
inline constexpr std::string_view kDeceased = "deceased";
inline constexpr std::string_view kDuplicate = "duplicate";
inline constexpr std::string_view kNotFound = "not_found";
inline constexpr std::string_view kInactive = "inactive";
// Malformed NIK: refused locally (free of quota) or, should one slip through, by the registry.
inline constexpr std::string_view kInvalidNik = "invalid_nik";
// Daily quota used up: refused locally before the registry has to, or by the registry.
inline constexpr std::string_view kQuotaExhausted = "quota_exhausted";
// The registry refused the agency's own parameters.
inline constexpr std::string_view kLoginFailed = "login_failed";
inline constexpr std::string_view kAgencyInactive = "agency_inactive";
inline constexpr std::string_view kUserInactive = "user_inactive";
inline constexpr std::string_view kIpMismatch = "ip_mismatch";
inline constexpr std::string_view kRegistryUnreachable = "registry_unreachable";
// Local refusals.
inline constexpr std::string_view kAgreementUnknown = "agreement_unknown";
inline constexpr std::string_view kAgreementExpired = "agreement_expired";
inline constexpr std::string_view kAgreementNotStarted = "agreement_not_started";
inline constexpr std::string_view kRegistryNotConfigured = "registry_not_configured";
inline constexpr std::string_view kOperatorUnknown = "operator_unknown";
inline constexpr std::string_view kOperatorDisabled = "operator_disabled";
inline constexpr std::string_view kNotMember = "not_member";
inline constexpr std::string_view kNoNda = "no_nda";
inline constexpr std::string_view kNoSptjm = "no_sptjm";
inline constexpr std::string_view kPurposeInvalid = "purpose_invalid";
inline constexpr std::string_view kPatternBlocked = "pattern_blocked";
// The host itself failed closed.
inline constexpr std::string_view kStoreUnavailable = "store_unavailable";
inline constexpr std::string_view kAuditUnavailable = "audit_unavailable";
inline constexpr std::string_view kObligationUnavailable = "obligation_unavailable";
}  // namespace outcome

// Where a lookup came from (recorded in the audit detail). kCard: the NIK was read from a
// KTP-el (core/cardflow); the balikan obligation the lookup opens then has source "card".
enum class Channel { kCli, kRest, kCallNik, kPlugin, kWeb, kCard };
const char* channelName(Channel c);  // "cli", "rest", "call_nik", "plugin", "web", "card"

struct LookupRequest {
  std::string agreementId;
  std::string operatorId;  // the operator's local user id
  std::string nik;         // population data: memory only
  std::string purposeRef;  // the service reference the plugin declares
  Channel channel = Channel::kCli;
};

struct LookupAnswer {
  std::string outcome;  // one of outcome::k...
  std::string message;  // Indonesian, for the operator; never personal data
  // For logs and JSON "detail": which rule or failure (e.g. the pattern rule
  // "pattern_sequential", the transport kind); never personal data or a secret.
  std::string detail;
  // Permitted fields only (after minimisation); empty unless outcome is "found".
  compliance::RegistryRecord data;
  std::vector<std::string> elements;  // names of the fields in `data`, sorted
  // Hits left today for the agreement's User ID after this attempt; nullopt when unlimited
  // or unknown (quotaUnlimited tells which).
  std::optional<int> quotaRemaining;
  bool quotaUnlimited = false;
  // Whether this attempt spent a hit of the registry quota.
  bool quotaCounted = false;
  // The audit record's sequence number (0 when the attempt could not be audited).
  Poco::Int64 auditSeq = 0;
  // Pattern guard flags (same person looked up repeatedly / by many operators).
  std::vector<std::string> flags;
  // The registry's own RESPON text and RESPONSE_CODE for confirmations and refusals it
  // gave (the CALL_NIK-compatible endpoint repeats them); empty otherwise.
  std::string registryText;
  std::string registryCode;

  bool hasData() const { return !data.empty(); }
};

struct LookupDeps {
  const agreement::AgreementService& agreements;
  const op::OperatorRepository& operators;
  quota::QuotaLedger& quota;
  const audit::NikHasher& hasher;
  audit::AuditLog& audit;
  obligation::ObligationRepository& obligations;
  Registry& registry;
  PatternReleases& releases;
  const Clock& clock;
};

class LookupService {
 public:
  // Builds the per-agreement guards (purpose patterns, pattern-guard thresholds) from the
  // agreements' manifests. Every dependency must outlive the service. Throws
  // std::invalid_argument (startup) when a manifest's purpose pattern is unusable.
  explicit LookupService(LookupDeps deps);
  ~LookupService();
  LookupService(const LookupService&) = delete;
  LookupService& operator=(const LookupService&) = delete;

  // One lookup, end to end (see the top of this file). Always answers; never throws except
  // std::bad_alloc. Every attempt is audited; when the audit cannot be written the answer
  // is "audit_unavailable" without data. Thread-safe.
  LookupAnswer lookup(const LookupRequest& request);

  // The pattern guard (tests and the web app read its state through this).
  compliance::PatternGuard& patternGuard() { return guard_; }

 private:
  struct Attempt;
  LookupAnswer finish(Attempt& at, LookupAnswer answer);
  LookupAnswer refuse(Attempt& at, std::string_view code, std::string message,
                      std::string detail = {});
  void fillQuotaForRefusal(Attempt& at, LookupAnswer& answer);
  // The minimiser for the terms in force, built once per distinct element and address-part
  // lists (an Adendum that narrows them gets its own). Throws std::invalid_argument as the
  // Minimiser does.
  std::shared_ptr<const compliance::Minimiser> minimiserFor(const agreement::EffectiveTerms& t);

  LookupDeps d_;
  struct CachedMinimiser {
    std::vector<std::string> elements, addressParts;
    std::shared_ptr<const compliance::Minimiser> minimiser;
  };
  std::mutex minimisersMutex_;
  std::vector<CachedMinimiser> minimisers_;
  compliance::PatternGuard guard_;
  std::map<std::string, std::unique_ptr<compliance::PurposeGuard>, std::less<>> purpose_;
};

// Indonesian operator message for an outcome code (the default text; registry outcomes use
// the 2025 juknis wording).
std::string defaultMessage(std::string_view outcomeCode);

}  // namespace gerbang::lookup
