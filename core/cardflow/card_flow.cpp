#include "core/cardflow/card_flow.hpp"

#include "core/reader/bytes.hpp"
#include "core/reader/sam_registry.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>

namespace gerbang::cardflow {
namespace {

CardFlowResult refusal(std::string code, std::string message, std::string detail = {}) {
  CardFlowResult r;
  r.code = std::move(code);
  r.message = std::move(message);
  r.detail = std::move(detail);
  return r;
}

CardFlowResult refusal(const Error& e) { return refusal(e.code, e.message, e.detail); }

// Card fields are personal data: overwrite them before the memory is released.
void wipeCard(reader::CardRead& card) {
  for (auto& [k, v] : card.fields) reader::wipe(v);
  card.fields.clear();
}

}  // namespace

bool refusedLocally(std::string_view o) {
  namespace oc = lookup::outcome;
  static constexpr std::array<std::string_view, 15> kLocal = {
      oc::kAgreementUnknown, oc::kAgreementExpired, oc::kAgreementNotStarted,
      oc::kOperatorUnknown,  oc::kOperatorDisabled, oc::kNotMember,
      oc::kNoNda,            oc::kNoSptjm,          oc::kPurposeInvalid,
      oc::kPatternBlocked,   oc::kStoreUnavailable, oc::kAuditUnavailable,
      oc::kObligationUnavailable, oc::kInvalidNik, oc::kRegistryNotConfigured,
  };
  return std::find(kLocal.begin(), kLocal.end(), o) != kLocal.end();
}

CardFlowService::CardFlowService(CardFlowDeps deps) : d_(deps) {}

CardFlowResult CardFlowService::run(const CardFlowRequest& req) {
  // 1. Agreement: known, in its term (rule 8), card reader among its access methods.
  std::optional<agreement::Agreement> ag;
  try {
    ag = d_.agreements.find(req.agreementId);
  } catch (const std::exception&) {
    return refusal(std::string(lookup::outcome::kStoreUnavailable),
                   lookup::defaultMessage(lookup::outcome::kStoreUnavailable), "agreement: store");
  }
  if (!ag)
    return refusal(std::string(lookup::outcome::kAgreementUnknown),
                   "Perjanjian '" + req.agreementId + "' tidak dikenal (plugin tidak dimuat)");
  const plugin::Manifest& m = ag->manifest();
  const Date today = d_.clock.today();
  const agreement::AgreementStatus status = ag->status(today);
  // Rule 8 (every PKS): on the end of the agreement the SAM is returned/deactivated and the
  // readers deactivated; the operator is shown that duty instead of a card read.
  if (status.phase == agreement::Phase::kExpired)
    return refusal("agreement_ended", reader::kSamEndDuty,
                   "agreement " + m.agencyId + " ended " + status.end.iso());
  if (status.phase == agreement::Phase::kNotStarted)
    return refusal(std::string(lookup::outcome::kAgreementNotStarted),
                   "PKS belum berlaku; pembaca KTP-el belum boleh digunakan");
  if (std::find(m.accessMethods.begin(), m.accessMethods.end(), "card_reader") ==
      m.accessMethods.end())
    return refusal("card_reader_not_permitted",
                   "PKS ini tidak mengizinkan akses dengan pembaca KTP-el",
                   "access_methods of " + m.agencyId + " lack card_reader");

  // 2. Operator before the card: an operator who may not use the agreement never makes
  // the host read a resident's card (rule 7: NDA, membership, SPTJM).
  if (Status s = d_.operators.authorize(req.operatorId, req.agreementId); !s)
    return refusal(s.error());

  // 3. The card, projected onto the agreement's elements in force today (after adenda).
  const agreement::EffectiveTerms terms = ag->termsOn(today);
  reader::CardReadRequest cr{req.agreementId,
                             reader::PermittedFields{terms.elements, terms.addressParts},
                             reader::AgreementTerm{terms.end, true}};
  Result<reader::CardRead> read = d_.cards.read(cr);
  if (!read) return refusal(read.error());
  CardFlowResult out;
  out.card = std::move(read).value();
  auto nikIt = out.card.fields.find("NIK");
  if (nikIt == out.card.fields.end()) {
    // Every manifest permits NIK (access is by NIK, rule 1); an Adendum cannot drop it
    // without ending card-then-registry use.
    wipeCard(out.card);
    return refusal("nik_not_permitted", "NIK tidak termasuk elemen yang diizinkan PKS ini");
  }
  std::string nik = nikIt->second;

  // 4. The lookup, through the one pipeline (audit, quota, minimisation, obligation).
  lookup::LookupRequest lr{req.agreementId, req.operatorId, nik, req.purposeRef,
                           lookup::Channel::kCard};
  out.registry = d_.lookups.lookup(lr);
  reader::wipe(lr.nik);
  if (refusedLocally(out.registry.outcome)) {
    wipeCard(out.card);
    reader::wipe(nik);
    out.code = out.registry.outcome;
    out.message = out.registry.message;
    out.detail = "lookup refused: " + out.registry.detail;
    return out;
  }

  // 5. Rule 5: card-reader use also requires balikan. The lookup opened the obligation
  // when it returned data; open (or find) it here in every case, so it exists whatever the
  // registry answered, and its id can be shown.
  auto hmac = d_.hasher.hash(req.agreementId, nik);
  Result<obligation::Obligation> ob =
      hmac ? d_.obligations.open(req.agreementId, *hmac, obligation::Source::kCard,
                                 d_.clock.now(), m.balikan.dueDays)
           : Result<obligation::Obligation>(hmac.error());
  if (!ob) {
    spdlog::error("cardflow: obligation not recorded ({}); card data withheld: agreement={}",
                  ob.error().code, req.agreementId);
    wipeCard(out.card);
    reader::wipe(nik);
    out.code = std::string(lookup::outcome::kObligationUnavailable);
    out.message = lookup::defaultMessage(lookup::outcome::kObligationUnavailable);
    out.detail = "obligation: " + ob.error().code;
    return out;
  }
  out.obligationId = ob->id;

  // 6. Card then registry: only a found record is compared (a deceased, absent or
  // unreachable record has nothing to compare; the outcome says so).
  if (out.registry.outcome == lookup::outcome::kFound)
    out.differences = reader::compareCardWithRegistry(out.card, out.registry.data);

  // 7. Consent (2025 juknis): without it nothing from the card is stored.
  if (req.consent) {
    auto c = d_.consents.recordConsent(nik, req.operatorId, req.agreementId);
    if (!c) {
      reader::wipe(nik);
      out.code = c.error().code;
      out.message = c.error().message;
      out.detail = "consent: " + c.error().detail;
      return out;  // the card data stays for the screen: the access itself was allowed
    }
    out.consentId = *c;
    auto stored = d_.consents.storeCardRead(
        out.card, req.operatorId, req.agreementId,
        reader::PermittedFields{terms.elements, terms.addressParts});
    if (!stored) {
      reader::wipe(nik);
      out.code = stored.error().code;
      out.message = stored.error().message;
      out.detail = "store card read: " + stored.error().detail;
      return out;
    }
    out.storedReadId = *stored;
  }
  reader::wipe(nik);
  out.code = "ok";
  out.message = out.registry.message;
  spdlog::info("cardflow: agreement={} operator={} registry={} differences={} obligation={} "
               "consent={}",
               req.agreementId, req.operatorId, out.registry.outcome, out.differences.size(),
               out.obligationId, out.consentId != 0);
  return out;
}

}  // namespace gerbang::cardflow
