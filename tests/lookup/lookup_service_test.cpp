// Each decision of the lookup pipeline with the real units, a real store and a real
// gerbang-portal-sim subprocess: one test per outcome code, and what it must (not) do.
#include "core/compliance/minimiser.hpp"
#include "tests/lookup/lookup_fixture.hpp"

#include <Poco/Data/Session.h>

#include <algorithm>
#include <set>

namespace gerbang::lookup::testing {
namespace {

using sim::Resident;

std::string one(Resident::Kind k, size_t i = 0) { return population().sample(k, i + 1).at(i); }

// The last audit record.
audit::AuditRecord lastAudit(LookupHost& host) {
  audit::AuditQuery q;
  q.limit = 1;
  auto r = host.audit().query(q);
  EXPECT_TRUE(r.ok());
  return r.ok() && !r->empty() ? r->front() : audit::AuditRecord{};
}

class LookupServiceTest : public LookupFixture {};

TEST_P(LookupServiceTest, FoundReturnsOnlyPermittedFieldsAuditsAndOpensAnObligation) {
  const std::string nik = one(Resident::Kind::kFound);
  LookupAnswer a = lookup(kPurbalingga, "op-pbg", nik);
  ASSERT_EQ(a.outcome, "found") << a.message << " " << a.detail;
  EXPECT_TRUE(a.quotaCounted);
  ASSERT_TRUE(a.quotaRemaining.has_value());
  EXPECT_EQ(*a.quotaRemaining, 199);
  // Purbalingga's PKS lists 8 elements without Nomor KK; no agreement lists AGAMA.
  EXPECT_EQ(a.data.count("NO_KK"), 0u);
  EXPECT_EQ(a.data.count("AGAMA"), 0u);
  EXPECT_EQ(a.data.count("NAMA_LGKP_IBU"), 0u);
  EXPECT_EQ(a.data.at("NIK"), nik);
  const auto terms = agreements_->find(kPurbalingga)->termsOn(clock_.today());
  compliance::Minimiser permitted(terms.elements, terms.addressParts);
  for (const auto& [k, v] : a.data) EXPECT_TRUE(permitted.permittedFields().count(k)) << k;
  EXPECT_EQ(a.elements.size(), a.data.size());

  audit::AuditRecord rec = lastAudit(*host_);
  EXPECT_EQ(rec.seq, a.auditSeq);
  EXPECT_EQ(rec.outcome, "found");
  EXPECT_EQ(rec.agreement, kPurbalingga);
  EXPECT_EQ(rec.operatorId, "op-pbg");
  EXPECT_EQ(rec.purposeRef, "PLT-3303-2026-00017");
  EXPECT_EQ(rec.nikHmac, host_->hasher().hash(kPurbalingga, nik).value());
  EXPECT_EQ(rec.elements, a.elements);
  EXPECT_EQ(rec.quotaRemaining, std::optional<int>(199));
  EXPECT_NE(rec.detail.find("channel=cli"), std::string::npos);

  auto exists = host_->obligations().exists(kPurbalingga, rec.nikHmac);
  ASSERT_TRUE(exists.ok());
  EXPECT_TRUE(exists.value());
  EXPECT_EQ(simHits("purbalingga-dinnaker-01"), 1);
}

TEST_P(LookupServiceTest, JabarGetsNoKkButNeverAgama) {
  LookupAnswer a = lookup(kJabar, "op-jabar", one(Resident::Kind::kFound, 1));
  ASSERT_EQ(a.outcome, "found") << a.message;
  EXPECT_EQ(a.data.count("NO_KK"), 1u);
  EXPECT_EQ(a.data.count("AGAMA"), 0u);
  EXPECT_EQ(a.quotaRemaining, std::optional<int>(74));
}

TEST_P(LookupServiceTest, RegistryConfirmationsAreClassifiedWithoutData) {
  struct Case {
    Resident::Kind kind;
    const char* outcome;
  };
  for (Case c : {Case{Resident::Kind::kDeceased, "deceased"},
                 Case{Resident::Kind::kDuplicate, "duplicate"},
                 Case{Resident::Kind::kInactive, "inactive"}}) {
    tick();
    LookupAnswer a = lookup(kPurbalingga, "op-pbg", one(c.kind));
    EXPECT_EQ(a.outcome, c.outcome) << a.message;
    EXPECT_FALSE(a.hasData());
    EXPECT_TRUE(a.quotaCounted);
    EXPECT_EQ(lastAudit(*host_).outcome, c.outcome);
  }
  tick();
  LookupAnswer nf = lookup(kPurbalingga, "op-pbg", population().absent(1).at(0));
  EXPECT_EQ(nf.outcome, "not_found");
  EXPECT_TRUE(nf.quotaCounted);
  EXPECT_EQ(simHits("purbalingga-dinnaker-01"), 4);
  // Nobody's data was returned: no obligation.
  auto counts = host_->obligations().counts(kPurbalingga, clock_.today());
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->open, 0);
}

TEST_P(LookupServiceTest, MalformedNikIsRefusedLocallyWithoutSpendingQuota) {
  for (const std::string bad : {"123", "330301010190000X", "9903010101900001", "3303014513900001",
                                "3303010101900000"}) {
    tick();
    LookupAnswer a = lookup(kPurbalingga, "op-pbg", bad);
    EXPECT_EQ(a.outcome, "invalid_nik") << bad;
    EXPECT_NE(a.message.find("NIK tidak sesuai format Dukcapil"), std::string::npos) << a.message;
    EXPECT_FALSE(a.quotaCounted);
    EXPECT_EQ(a.quotaRemaining, std::optional<int>(200));
    EXPECT_EQ(lastAudit(*host_).outcome, "invalid_nik");
  }
  EXPECT_EQ(simRequests("purbalingga-dinnaker-01"), 0);
}

TEST_P(LookupServiceTest, AgreementRefusals) {
  const std::string nik = one(Resident::Kind::kFound);
  LookupAnswer expired = lookup(kKaranganyar, "op-kra", nik);
  EXPECT_EQ(expired.outcome, "agreement_expired");
  // The message names the PKS numbers and the end date and asks for an Adendum.
  EXPECT_NE(expired.message.find("470/2566.12/XI/2020"), std::string::npos) << expired.message;
  EXPECT_NE(expired.message.find("09-11-2022"), std::string::npos) << expired.message;
  EXPECT_NE(expired.message.find("Adendum"), std::string::npos);
  EXPECT_EQ(lastAudit(*host_).outcome, "agreement_expired");

  LookupAnswer unknown = lookup("tidak-ada", "op-pbg", nik, "X");
  EXPECT_EQ(unknown.outcome, "agreement_unknown");
  EXPECT_EQ(lastAudit(*host_).agreement, "tidak-ada");

  clock_.set(Date(2025, 1, 2).jakartaStart() + std::chrono::hours{2});
  LookupAnswer early = lookup(kPurbalingga, "op-pbg", nik);
  EXPECT_EQ(early.outcome, "agreement_not_started") << early.message;
  EXPECT_EQ(simRequests("purbalingga-dinnaker-01"), 0);
  EXPECT_EQ(simRequests("karanganyar-ak1-01"), 0);
}

TEST_P(LookupServiceTest, OperatorRefusalsInOrder) {
  const std::string nik = one(Resident::Kind::kFound);
  EXPECT_EQ(lookup(kPurbalingga, "nobody", nik).outcome, "operator_unknown");
  EXPECT_EQ(lookup(kPurbalingga, "op-off", nik).outcome, "operator_disabled");
  EXPECT_EQ(lookup(kPurbalingga, "op-jabar", nik).outcome, "not_member");
  EXPECT_EQ(lookup(kPurbalingga, "op-nonda", nik).outcome, "no_nda");
  // Karanganyar extended by an Adendum but without its SPTJM on file.
  agreement::Adendum ad;
  ad.agencyId = kKaranganyar;
  ad.number = "UJI/ADD/KRA";
  ad.date = Date(2026, 2, 1);
  ad.newEnd = Date(2027, 12, 31);
  ad.recordedBy = "test";
  ASSERT_TRUE(agreements_->addAdendum(ad).ok());
  EXPECT_EQ(lookup(kKaranganyar, "op-kra", nik).outcome, "no_sptjm");
  // With the SPTJM the next refusal is that no registry account is configured for it.
  ASSERT_TRUE(host_->operators()
                  .recordSptjm({kKaranganyar, "SPTJM/UJI/KRA", Date(2026, 2, 2), "Kepala", "Kepala"})
                  .ok());
  LookupAnswer nc = lookup(kKaranganyar, "op-kra", nik);
  EXPECT_EQ(nc.outcome, "registry_not_configured");
  EXPECT_FALSE(nc.quotaCounted);
  EXPECT_EQ(simRequests("purbalingga-dinnaker-01") + simRequests("karanganyar-ak1-01"), 0);
  EXPECT_EQ(lastAudit(*host_).outcome, "registry_not_configured");
}

TEST_P(LookupServiceTest, PurposeMustMatchThePluginPattern) {
  LookupAnswer a = lookup(kPurbalingga, "op-pbg", one(Resident::Kind::kFound), "AK1-3273-2026-000123");
  EXPECT_EQ(a.outcome, "purpose_invalid");
  // The rejected reference is not stored in the audit (an operator may type anything there).
  EXPECT_EQ(lastAudit(*host_).purposeRef, "");
  EXPECT_EQ(simRequests("purbalingga-dinnaker-01"), 0);
}

TEST_P(LookupServiceTest, PatternGuardBlocksRapidEntryUntilASupervisorReleasesOne) {
  ASSERT_EQ(lookup(kPurbalingga, "op-pbg", one(Resident::Kind::kFound, 0)).outcome, "found");
  clock_.advance(std::chrono::seconds{1});
  LookupAnswer blocked = lookup(kPurbalingga, "op-pbg", one(Resident::Kind::kFound, 1));
  EXPECT_EQ(blocked.outcome, "pattern_blocked");
  EXPECT_NE(blocked.detail.find("pattern_rapid"), std::string::npos) << blocked.detail;
  EXPECT_FALSE(blocked.quotaCounted);
  EXPECT_EQ(lastAudit(*host_).outcome, "pattern_blocked");
  EXPECT_EQ(simHits("purbalingga-dinnaker-01"), 1);

  ASSERT_TRUE(host_->releases().add("op-pbg", "sup", "antrian keluarga di loket", clock_.now()).ok());
  LookupAnswer released = lookup(kPurbalingga, "op-pbg", one(Resident::Kind::kFound, 1));
  EXPECT_EQ(released.outcome, "found");
  audit::AuditRecord rec = lastAudit(*host_);
  EXPECT_NE(rec.detail.find("released pattern_rapid by sup: antrian keluarga di loket"),
            std::string::npos)
      << rec.detail;
  // One release, one lookup.
  clock_.advance(std::chrono::seconds{1});
  EXPECT_EQ(lookup(kPurbalingga, "op-pbg", one(Resident::Kind::kFound, 2)).outcome,
            "pattern_blocked");
  EXPECT_EQ(simHits("purbalingga-dinnaker-01"), 2);
}

TEST_P(LookupServiceTest, SequentialNiksAreBlockedAcrossOperators) {
  const std::string nik = one(Resident::Kind::kFound, 3);
  ASSERT_EQ(lookup(kPurbalingga, "op-pbg", nik).outcome, "found");
  tick();
  // Same first 12 digits, serial +1, by another operator of the same agreement.
  std::string next = nik;
  int serial = std::stoi(nik.substr(12)) + 1;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04d", serial % 10000 == 0 ? 1 : serial % 10000);
  next.replace(12, 4, buf);
  LookupAnswer a = lookup(kPurbalingga, "op-pbg2", next);
  EXPECT_EQ(a.outcome, "pattern_blocked");
  EXPECT_NE(a.detail.find("pattern_sequential"), std::string::npos) << a.detail;
}

TEST_P(LookupServiceTest, LocalQuotaRefusesBeforeTheRegistryHasTo) {
  agreement::Adendum ad;
  ad.agencyId = kPurbalingga;
  ad.number = "UJI/ADD/Q2";
  ad.date = Date(2026, 3, 1);
  ad.quotaPerDay = 2;
  ad.recordedBy = "test";
  ASSERT_TRUE(agreements_->addAdendum(ad).ok());
  for (size_t i = 0; i < 2; ++i) {
    tick();
    EXPECT_EQ(lookup(kPurbalingga, "op-pbg", one(Resident::Kind::kFound, i)).outcome, "found");
  }
  tick();
  LookupAnswer a = lookup(kPurbalingga, "op-pbg", one(Resident::Kind::kFound, 2));
  EXPECT_EQ(a.outcome, "quota_exhausted");
  EXPECT_NE(a.message.find("Kuota akses hari ini telah habis"), std::string::npos);
  EXPECT_EQ(a.quotaRemaining, std::optional<int>(0));
  EXPECT_FALSE(a.quotaCounted);
  EXPECT_EQ(simRequests("purbalingga-dinnaker-01"), 2);
}

TEST_P(LookupServiceTest, RegistryParameterRefusals) {
  struct Case {
    const char* user;
    const char* password;
    const char* outcome;
  };
  const std::string nik = one(Resident::Kind::kFound);
  for (Case c : {Case{"purbalingga-dinnaker-01", "salah", "login_failed"},
                 Case{"pbg-agency-off", "pw-agency", "agency_inactive"},
                 Case{"pbg-user-off", "pw-user", "user_inactive"},
                 Case{"pbg-other-ip", "pw-ip", "ip_mismatch"}}) {
    build({c.user, c.password});
    tick();
    LookupAnswer a = lookup(kPurbalingga, "op-pbg", nik);
    EXPECT_EQ(a.outcome, c.outcome) << c.user << ": " << a.message;
    EXPECT_FALSE(a.hasData());
    EXPECT_EQ(lastAudit(*host_).outcome, c.outcome);
  }
  // The registry's own quota refusal (its count is lower than ours here).
  build({"pbg-quota-1", "pw-quota"});
  tick();
  EXPECT_EQ(lookup(kPurbalingga, "op-pbg", nik).outcome, "found");
  tick();
  LookupAnswer q = lookup(kPurbalingga, "op-pbg", one(Resident::Kind::kFound, 1));
  EXPECT_EQ(q.outcome, "quota_exhausted");
  EXPECT_EQ(q.registryCode, "05");
  EXPECT_EQ(q.quotaRemaining, std::optional<int>(0));
}

TEST_P(LookupServiceTest, UnreachableRegistryGivesTheHitBackOnlyWhenNothingWasSent) {
  // A connection reset after the request was sent: the registry may have counted it.
  sim_->post("/sim/faults", R"({"kind":"reset","count":1})");
  LookupAnswer reset = lookup(kPurbalingga, "op-pbg", one(Resident::Kind::kFound));
  EXPECT_EQ(reset.outcome, "registry_unreachable");
  EXPECT_TRUE(reset.quotaCounted);
  EXPECT_EQ(reset.quotaRemaining, std::optional<int>(199));

  // Nothing listening: the request certainly never left, so the hit is given back.
  const int closedPort = gerbang::testing::freeLoopbackPort();
  conf_->setString("portal.url", "http://127.0.0.1:" + std::to_string(closedPort));
  host_ = std::make_unique<LookupHost>(*conf_, *db_, *agreements_, clock_);
  tick();
  LookupAnswer refused = lookup(kPurbalingga, "op-pbg", one(Resident::Kind::kFound, 1));
  EXPECT_EQ(refused.outcome, "registry_unreachable");
  EXPECT_FALSE(refused.quotaCounted);
  EXPECT_EQ(refused.quotaRemaining, std::optional<int>(199));
  auto used = host_->quota().used(kPurbalingga, "purbalingga-dinnaker-01", clock_.today());
  ASSERT_TRUE(used.ok());
  EXPECT_EQ(used.value(), 1);
}

TEST_P(LookupServiceTest, AuditFailureWithholdsTheData) {
  {
    Poco::Data::Session s = db_->session();
    s << "DROP TABLE audit_log", Poco::Data::Keywords::now;
  }
  LookupAnswer a = lookup(kPurbalingga, "op-pbg", one(Resident::Kind::kFound));
  EXPECT_EQ(a.outcome, "audit_unavailable");
  EXPECT_FALSE(a.hasData());
  EXPECT_TRUE(a.elements.empty());
  // No data returned, so no obligation either.
  auto counts = host_->obligations().counts(kPurbalingga, clock_.today());
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->open, 0);
}

TEST_P(LookupServiceTest, RegistryFormatRefusalIsInvalidNikAndCounts) {
  // The registry's own format rules may refuse a NIK the local check accepted (code 15):
  // the same outcome and words as the local refusal, but the hit reached the registry.
  sim_->post("/sim/faults", R"({"kind":"format_refused","count":1})");
  LookupAnswer a = lookup(kPurbalingga, "op-pbg", one(Resident::Kind::kFound));
  EXPECT_EQ(a.outcome, "invalid_nik");
  EXPECT_EQ(a.message, "Data Tidak Ditemukan, NIK tidak sesuai format Dukcapil");
  EXPECT_EQ(a.registryCode, "15");
  EXPECT_FALSE(a.hasData());
  EXPECT_TRUE(a.quotaCounted);
  EXPECT_EQ(a.quotaRemaining, std::optional<int>(199));
  EXPECT_EQ(lastAudit(*host_).outcome, "invalid_nik");
  // No data went out: no balikan obligation.
  auto counts = host_->obligations().counts(kPurbalingga, clock_.today());
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->open, 0);
}

TEST_P(LookupServiceTest, QuotaStoreFailureRefusesBeforeTheRegistry) {
  // Without a durable reservation nobody can prove the count stays exact: fail closed,
  // before the registry is asked.
  {
    Poco::Data::Session s = db_->session();
    s << "DROP TABLE quota_usage", Poco::Data::Keywords::now;
  }
  LookupAnswer a = lookup(kPurbalingga, "op-pbg", one(Resident::Kind::kFound));
  EXPECT_EQ(a.outcome, "store_unavailable");
  EXPECT_EQ(a.message, "Basis data Gerbang tidak dapat diakses; coba lagi");
  EXPECT_FALSE(a.hasData());
  EXPECT_FALSE(a.quotaCounted);
  EXPECT_EQ(simRequests("purbalingga-dinnaker-01"), 0);
  EXPECT_EQ(lastAudit(*host_).outcome, "store_unavailable");
}

TEST_P(LookupServiceTest, ObligationFailureWithholdsTheDataAndIsAudited) {
  // The balikan obligation commits in the audit record's transaction: without it, the
  // record of the returned data does not land either, the answer is withheld, and the
  // attempt is audited as obligation_unavailable (the chain stays whole).
  {
    Poco::Data::Session s = db_->session();
    s << "DROP TABLE obligation", Poco::Data::Keywords::now;
  }
  LookupAnswer a = lookup(kPurbalingga, "op-pbg", one(Resident::Kind::kFound));
  EXPECT_EQ(a.outcome, "obligation_unavailable");
  EXPECT_EQ(a.message, "Kewajiban data balikan tidak dapat dicatat; data tidak diberikan");
  EXPECT_FALSE(a.hasData());
  EXPECT_TRUE(a.elements.empty());
  // The registry was asked: the hit counts.
  EXPECT_TRUE(a.quotaCounted);
  audit::AuditQuery q;
  q.agreement = std::string(kPurbalingga);
  auto records = host_->audit().query(q);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ(records->front().outcome, "obligation_unavailable");
  EXPECT_TRUE(records->front().elements.empty());
  EXPECT_EQ(records->front().seq, a.auditSeq);
  auto report = host_->audit().verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->message;

  // A refused lookup opens no obligation, so it still goes through and is audited.
  LookupAnswer refused = lookup(kPurbalingga, "op-pbg", "1234");
  EXPECT_EQ(refused.outcome, "invalid_nik");
  EXPECT_GT(refused.auditSeq, a.auditSeq);
}

TEST_P(LookupServiceTest, NoResultEverCarriesAFieldOutsideTheAgreement) {
  agreement::Adendum narrow;
  narrow.agencyId = kJabar;
  narrow.number = "UJI/ADD/NARROW";
  narrow.date = Date(2026, 6, 1);
  narrow.elements = std::vector<std::string>{"NIK", "NAMA_LGKP", "ALAMAT"};
  narrow.addressParts = std::vector<std::string>{"KAB_NAME", "KEC_NAME"};
  narrow.recordedBy = "test";
  ASSERT_TRUE(agreements_->addAdendum(narrow).ok());
  auto found = population().sample(Resident::Kind::kFound, 12);
  for (const char* ag : {kJabar, kPurbalingga}) {
    const auto terms = agreements_->find(ag)->termsOn(clock_.today());
    compliance::Minimiser permitted(terms.elements, terms.addressParts);
    const std::string op = std::string(ag) == kJabar ? "op-jabar" : "op-pbg";
    for (size_t i = 0; i < 6; ++i) {
      tick();
      LookupAnswer a = lookup(ag, op, found.at(std::string(ag) == kJabar ? i : i + 6));
      ASSERT_EQ(a.outcome, "found") << ag;
      for (const auto& [k, v] : a.data)
        EXPECT_TRUE(permitted.permittedFields().count(k)) << ag << " returned " << k;
      EXPECT_EQ(a.data.count("AGAMA"), 0u);
      if (std::string(ag) == kPurbalingga) {
        EXPECT_EQ(a.data.count("NO_KK"), 0u);
      }
      if (std::string(ag) == kJabar) {
        // After the narrowing Adendum: exactly the three elements' fields.
        std::set<std::string> keys;
        for (const auto& [k, v] : a.data) keys.insert(k);
        EXPECT_EQ(keys, (std::set<std::string>{"KAB_NAME", "KEC_NAME", "NAMA_LGKP", "NIK"}));
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, LookupServiceTest,
                         ::testing::ValuesIn(gerbang::testing::storeBackends()),
                         [](const auto& i) { return gerbang::testing::backendName(i.param); });

}  // namespace
}  // namespace gerbang::lookup::testing
