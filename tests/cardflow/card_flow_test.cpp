// CardFlowService with the real lookup pipeline (tests/lookup's fixture: real units, a real
// store on both backends, a real gerbang-portal-sim subprocess) and a scripted card source
// standing in for the reader, so card data can differ from the registry's on purpose.
#include "core/cardflow/card_flow.hpp"
#include "core/reader/biodata.hpp"
#include "sim/vcard/virtual_card.hpp"
#include "tests/lookup/lookup_fixture.hpp"

#include <gtest/gtest.h>

namespace gerbang::cardflow {
namespace {

using lookup::testing::kKaranganyar;
using lookup::testing::kPurbalingga;
using lookup::testing::population;

// The card a resident carries, read as the reader service would: parsed biodata projected
// onto the request's permitted fields. `edit` changes the card before it is handed out.
class ScriptedCards final : public CardSource {
 public:
  Result<reader::CardRead> read(const reader::CardReadRequest& req) override {
    ++calls;
    auto bio = reader::parseBiodata(vcard::biodataFor(resident));
    if (!bio) return bio.error();
    reader::CardRead r;
    r.cardUid = "04A1B2C3D4E5F6";
    r.samUid = "5A4D000100000001";
    r.fields = reader::minimise(*bio, req.permitted);
    for (const auto& [k, v] : edits) r.fields[k] = v;
    return r;
  }
  sim::Resident resident;
  std::map<std::string, std::string> edits;
  int calls = 0;
};

class CardFlowTest : public lookup::testing::LookupFixture {
 protected:
  void SetUp() override {
    LookupFixture::SetUp();
    consents_ = std::make_unique<reader::ConsentRepository>(*db_, host_->hasher(), clock_);
    flow_ = std::make_unique<CardFlowService>(
        CardFlowDeps{*agreements_, host_->operators(), cards_, host_->service(),
                     host_->obligations(), *consents_, host_->hasher(), clock_});
  }
  void TearDown() override {
    flow_.reset();
    consents_.reset();
    LookupFixture::TearDown();
  }

  sim::Resident residentOf(sim::Resident::Kind kind) {
    for (size_t i = 100; i < population().size(); ++i)
      if (population().kindAt(i) == kind) return population().at(i);
    throw std::runtime_error("no resident of that kind");
  }

  CardFlowResult run(const std::string& agreement, const std::string& op, bool consent = false,
                     std::string purpose = "") {
    return flow_->run({agreement, op, purpose.empty() ? purposeFor(agreement) : purpose, consent});
  }

  std::vector<obligation::Obligation> obligationsOf(const std::string& agreement) {
    obligation::ObligationQuery q;
    q.agreement = agreement;
    auto l = host_->obligations().list(q);
    EXPECT_TRUE(l.ok());
    return l.ok() ? *l : std::vector<obligation::Obligation>{};
  }

  ScriptedCards cards_;
  std::unique_ptr<reader::ConsentRepository> consents_;
  std::unique_ptr<CardFlowService> flow_;
};

TEST_P(CardFlowTest, ANameThatDiffersFromTheRegistryIsShownWithBothValues) {
  cards_.resident = residentOf(sim::Resident::Kind::kFound);
  cards_.edits["NAMA_LGKP"] = "NAMA KARTU BERBEDA";
  CardFlowResult r = run(kPurbalingga, "op-pbg");
  ASSERT_EQ(r.code, "ok") << r.message << " " << r.detail;
  EXPECT_EQ(r.registry.outcome, "found");
  ASSERT_EQ(r.differences.size(), 1u);
  EXPECT_EQ(r.differences[0].element, "NAMA_LGKP");
  EXPECT_EQ(r.differences[0].kind, reader::FieldDifference::Kind::kDiffers);
  EXPECT_EQ(r.differences[0].cardValue, "NAMA KARTU BERBEDA");
  EXPECT_EQ(r.differences[0].registryValue, cards_.resident.nama);
  EXPECT_FALSE(r.matches());
  // The lookup returned data: the pipeline opened the obligation, marked as a card use.
  auto obs = obligationsOf(kPurbalingga);
  ASSERT_EQ(obs.size(), 1u);
  EXPECT_EQ(obs[0].source, obligation::Source::kCard);
  EXPECT_EQ(obs[0].id, r.obligationId);
}

TEST_P(CardFlowTest, TheSameCardAgreesWithTheRegistry) {
  cards_.resident = residentOf(sim::Resident::Kind::kFound);
  CardFlowResult r = run(kPurbalingga, "op-pbg");
  ASSERT_EQ(r.code, "ok") << r.message;
  EXPECT_TRUE(r.differences.empty());
  EXPECT_TRUE(r.matches());
  EXPECT_EQ(r.card.fields.count("NO_KK"), 0u);
}

TEST_P(CardFlowTest, ACardTheRegistryDoesNotKnowStillOpensACardObligation) {
  sim::Resident r0 = residentOf(sim::Resident::Kind::kFound);
  // The same person with a serial the registry does not have (synthetic, well formed).
  std::string nik = r0.nik;
  for (int s = 9999; s > 9000; --s) {
    nik = r0.nik.substr(0, 12) + std::to_string(s);
    if (!population().contains(nik)) break;
  }
  ASSERT_FALSE(population().contains(nik));
  cards_.resident = r0;
  cards_.edits["NIK"] = nik;
  CardFlowResult r = run(kPurbalingga, "op-pbg");
  ASSERT_EQ(r.code, "ok") << r.message << " " << r.detail;
  EXPECT_EQ(r.registry.outcome, "not_found");
  EXPECT_TRUE(r.differences.empty());
  auto obs = obligationsOf(kPurbalingga);
  ASSERT_EQ(obs.size(), 1u) << "card-reader use also requires balikan (rule 5)";
  EXPECT_EQ(obs[0].source, obligation::Source::kCard);
  EXPECT_EQ(obs[0].nikHmac, *host_->hasher().hash(kPurbalingga, nik));
}

TEST_P(CardFlowTest, ALocalRefusalOfTheLookupWithholdsTheCardAndOpensNothing) {
  cards_.resident = residentOf(sim::Resident::Kind::kFound);
  CardFlowResult r = run(kPurbalingga, "op-pbg", true, "BUKAN-RUJUKAN");
  EXPECT_EQ(r.code, "purpose_invalid");
  EXPECT_TRUE(r.card.fields.empty());
  EXPECT_EQ(r.consentId, 0);
  EXPECT_TRUE(obligationsOf(kPurbalingga).empty());
  EXPECT_TRUE(consents_->consents(kPurbalingga).empty());
}

TEST_P(CardFlowTest, AnEndedAgreementOrAnOperatorWithoutNdaNeverReadsTheCard) {
  cards_.resident = residentOf(sim::Resident::Kind::kFound);
  CardFlowResult ended = run(kKaranganyar, "op-kra");  // ended 2022-11-09
  EXPECT_EQ(ended.code, "agreement_ended");
  EXPECT_EQ(ended.message, reader::kSamEndDuty);
  CardFlowResult noNda = run(kPurbalingga, "op-nonda");
  EXPECT_EQ(noNda.code, "no_nda");
  EXPECT_EQ(cards_.calls, 0);
}

TEST_P(CardFlowTest, ConsentRecordsItAndStoresOnlyThePermittedFields) {
  cards_.resident = residentOf(sim::Resident::Kind::kFound);
  CardFlowResult r = run(kPurbalingga, "op-pbg", true);
  ASSERT_EQ(r.code, "ok") << r.message;
  ASSERT_GT(r.consentId, 0);
  ASSERT_GT(r.storedReadId, 0);
  auto stored = consents_->storedFields(r.storedReadId);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(*stored, r.card.fields);
  EXPECT_EQ(stored->count("NO_KK"), 0u);
  EXPECT_EQ(stored->count("AGAMA"), 0u);
  auto c = consents_->findConsent(cards_.resident.nik, kPurbalingga);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->operatorId, "op-pbg");
  EXPECT_EQ(c->nikHmac, *host_->hasher().hash(kPurbalingga, cards_.resident.nik));
}

INSTANTIATE_TEST_SUITE_P(Backends, CardFlowTest,
                         ::testing::ValuesIn(gerbang::testing::storeBackends()),
                         [](const auto& info) { return gerbang::testing::backendName(info.param); });

}  // namespace
}  // namespace gerbang::cardflow
