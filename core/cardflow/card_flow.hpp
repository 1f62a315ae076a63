// Card then registry (issue 5 item 5; 2025 juknis service flow): the officer taps the
// applicant's KTP-el, the NIK read from the chip is looked up at the registry through the
// same compliance pipeline as a typed NIK, and the officer sees where the card and the
// registry disagree.
//
// The order of one card flow, each step refusing with a stable code:
//   agreement   known; within its term (after the term: "agreement_ended" with the duty to
//               return the SAM configuration, rule 8); the PKS lists card_reader access
//   operator    may use the agreement (OperatorRepository::authorize): checked BEFORE the
//               card is read, so an unauthorised operator never causes a card read
//   card        ReaderService::read with the agreement's permitted fields only (after
//               adenda); the SAM must be activated for the agreement (SamRepository)
//   lookup      LookupService::lookup(channel card, same operator and purpose): purpose,
//               pattern guard, quota, registry, minimisation, audit; a lookup with data
//               opens the balikan obligation itself, with source "card"
//   obligation  rule 5 ("card-reader use also requires balikan"): when the registry did
//               not return data but the lookup was not refused locally (the person was
//               not found, is deceased, or the registry could not answer), the card read
//               itself accessed the resident's data, so the flow opens the obligation
//               (source "card") here. Refused locally = the card data is withheld and no
//               obligation is opened. If the obligation cannot be recorded the card data
//               is withheld (fail closed, as the lookup does).
//   consent     only with the resident's consent (2025 juknis): record it (NIK HMAC,
//               operator, time, agreement) and store the permitted card fields; without it
//               nothing read from the card is stored.
//
// Population data (the card's fields, the registry's record, the differences) is in memory
// only and goes back to the caller for the operator's screen: never logged, never in an
// error message or detail.
#pragma once

#include "core/agreement/agreement_service.hpp"
#include "core/audit/nik_hmac.hpp"
#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/lookup/lookup_service.hpp"
#include "core/obligation/obligation_repository.hpp"
#include "core/operator/operator_repository.hpp"
#include "core/reader/card_read.hpp"
#include "core/reader/card_registry_diff.hpp"
#include "core/reader/consent.hpp"
#include "core/reader/reader_service.hpp"

#include <Poco/Types.h>

#include <optional>
#include <string>
#include <vector>

namespace gerbang::cardflow {

// Reads one KTP-el (core/reader ReaderService in a deployment). An interface so the flow
// can run over another reader path; implementations return only the permitted fields.
class CardSource {
 public:
  virtual ~CardSource() = default;
  virtual Result<reader::CardRead> read(const reader::CardReadRequest& request) = 0;
};

// The production CardSource: the PC/SC reader service.
class ReaderServiceSource final : public CardSource {
 public:
  explicit ReaderServiceSource(reader::ReaderService& service) : service_(service) {}
  Result<reader::CardRead> read(const reader::CardReadRequest& request) override {
    return service_.read(request);
  }

 private:
  reader::ReaderService& service_;
};

struct CardFlowRequest {
  std::string agreementId;
  std::string operatorId;  // the operator's local user id
  std::string purposeRef;  // the service reference the plugin declares
  // The resident consented to storing the card data (2025 juknis). Without it nothing read
  // from the card is stored.
  bool consent = false;
};

struct CardFlowResult {
  // "ok" when the card was read and the lookup was not refused locally (the registry's
  // own outcome is in `registry.outcome`); otherwise the refusal or failure code (a reader
  // code such as "card_absent", "agreement_ended", "sam_not_activated", or a lookup
  // refusal such as "no_nda", "purpose_invalid", "obligation_unavailable").
  std::string code;
  std::string message;  // Indonesian, for the operator; never personal data
  std::string detail;   // for logs; never personal data or a secret
  // The card's permitted fields (empty unless code is "ok"). Personal data: screen only.
  reader::CardRead card;
  // The lookup's answer (outcome "" when no lookup was made).
  lookup::LookupAnswer registry;
  // Where card and registry disagree: only when the registry returned data (found).
  std::vector<reader::FieldDifference> differences;
  // The balikan obligation of this card use: opened by it, or the one already open for
  // the resident under the agreement (0 when none, i.e. when refused).
  Poco::Int64 obligationId = 0;
  // With consent: the consent and the stored read (0 otherwise).
  Poco::Int64 consentId = 0;
  Poco::Int64 storedReadId = 0;

  bool ok() const { return code == "ok"; }
  // True when the registry confirmed the card's data in every permitted element.
  bool matches() const {
    return ok() && registry.outcome == lookup::outcome::kFound && differences.empty();
  }
};

struct CardFlowDeps {
  const agreement::AgreementService& agreements;
  const op::OperatorRepository& operators;
  CardSource& cards;
  lookup::LookupService& lookups;
  obligation::ObligationRepository& obligations;
  reader::ConsentRepository& consents;
  const audit::NikHasher& hasher;
  const Clock& clock;
};

class CardFlowService {
 public:
  // Every dependency must outlive the service.
  explicit CardFlowService(CardFlowDeps deps);

  // One card flow (see the top of this file). Always answers; never throws except
  // std::bad_alloc. Not for concurrent use of the same reader (the reader is one device).
  CardFlowResult run(const CardFlowRequest& request);

 private:
  CardFlowDeps d_;
};

// True for lookup outcomes that refuse the access locally (agreement, operator, purpose,
// pattern guard, or the host failing closed): the card data is then withheld.
bool refusedLocally(std::string_view lookupOutcome);

}  // namespace gerbang::cardflow
