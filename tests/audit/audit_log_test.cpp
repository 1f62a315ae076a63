#include "core/audit/audit_log.hpp"

#include "core/audit/crypto.hpp"
#include "core/audit/nik_hmac.hpp"
#include "tests/support/support.hpp"

#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>

using namespace std::chrono;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

namespace gerbang::audit {
namespace {

constexpr const char* kJabar = "jabar-disnakertrans";

class AuditLogTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  AuditRecord attempt(int i, std::string outcome = "found") {
    AuditRecord r;
    r.at = clock_.now() + seconds{i};
    r.agreement = kJabar;
    r.operatorId = i % 2 ? "op-andi" : "op-sari";
    r.purposeRef = "AK1-2026-" + std::to_string(1000 + i);
    r.nikHmac = *hasher_.hash(kJabar, "32730145069900" + std::to_string(10 + i % 90));
    r.outcome = outcome;
    if (outcome == "found") r.elements = {"NIK", "NAMA_LGKP", "TGL_LHR"};
    r.quotaRemaining = std::max(0, 75 - i);
    return r;
  }
  void appendN(AuditLog& log, int n) {
    for (int i = 1; i <= n; ++i) ASSERT_TRUE(log.append(attempt(i)).ok());
  }
  void exec(store::Database& db, const std::string& sql) {
    auto s = db.session();
    s << db.sql(sql), now;
  }
  // What an attacker with DDL rights does first: drop the append-only triggers.
  void dropGuards(store::Database& db) {
    if (db.backend() == store::Backend::kPostgres) {
      exec(db, "DROP TRIGGER audit_log_append_only ON audit_log");
    } else {
      exec(db, "DROP TRIGGER audit_log_no_update");
      exec(db, "DROP TRIGGER audit_log_no_delete");
    }
  }

  gerbang::testing::TempDir dir_;
  gerbang::testing::TestDatabase tdb_{GetParam(), dir_.path()};
  FixedClock clock_{Date(2026, 11, 23)};
  NikHasher hasher_{std::string(32, '\x42')};
};

TEST_P(AuditLogTest, AppendsChainAndVerifies) {
  store::Database db(tdb_.config());
  AuditLog log(db);
  auto empty = log.verify();
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->ok);
  EXPECT_EQ(empty->checked, 0);
  for (int i = 1; i <= 5; ++i) {
    auto seq = log.append(attempt(i, i == 3 ? "quota_exhausted" : "found"));
    ASSERT_TRUE(seq.ok()) << seq.error().detail;
    EXPECT_EQ(*seq, i);
  }
  auto v = log.verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->message;
  EXPECT_EQ(v->checked, 5);
  auto all = *log.query({});
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all.front().seq, 5);  // newest first
  EXPECT_EQ(all.back().prevHash, kGenesisHash);
  for (size_t i = 0; i + 1 < all.size(); ++i) EXPECT_EQ(all[i].prevHash, all[i + 1].hash);
  EXPECT_EQ(all[2].outcome, "quota_exhausted");
  EXPECT_TRUE(all[2].elements.empty());
  EXPECT_EQ(all[0].elements, (std::vector<std::string>{"NIK", "NAMA_LGKP", "TGL_LHR"}));
  EXPECT_EQ(all[0].quotaRemaining, 70);
  EXPECT_EQ(all[0].at, clock_.now() + seconds{5});
  EXPECT_EQ(log.head()->seq, 5);
  EXPECT_EQ(log.head()->hash, all[0].hash);
}

TEST_P(AuditLogTest, HashCoversEveryFieldAndThePreviousRecord) {
  AuditRecord base = attempt(1);
  base.seq = 7;
  base.prevHash = std::string(kGenesisHash);
  const std::string h = recordHash(base);
  auto changed = [&](auto mutate) {
    AuditRecord r = base;
    mutate(r);
    return recordHash(r) != h;
  };
  EXPECT_TRUE(changed([](AuditRecord& r) { r.seq = 8; }));
  EXPECT_TRUE(changed([](AuditRecord& r) { r.at += microseconds{1}; }));
  EXPECT_TRUE(changed([](AuditRecord& r) { r.agreement = "karanganyar-ak1"; }));
  EXPECT_TRUE(changed([](AuditRecord& r) { r.operatorId = "op-x"; }));
  EXPECT_TRUE(changed([](AuditRecord& r) { r.purposeRef += "1"; }));
  EXPECT_TRUE(changed([](AuditRecord& r) { r.nikHmac[0] = r.nikHmac[0] == 'a' ? 'b' : 'a'; }));
  EXPECT_TRUE(changed([](AuditRecord& r) { r.outcome = "not_found"; }));
  EXPECT_TRUE(changed([](AuditRecord& r) { r.elements.pop_back(); }));
  EXPECT_TRUE(changed([](AuditRecord& r) { r.quotaRemaining.reset(); }));
  EXPECT_TRUE(changed([](AuditRecord& r) { r.detail = "x"; }));
  EXPECT_TRUE(changed([](AuditRecord& r) { r.prevHash[63] = '1'; }));
  // Length prefixes: moving a character between fields changes the hash.
  EXPECT_TRUE(changed([](AuditRecord& r) {
    r.operatorId += r.purposeRef.substr(0, 1);
    r.purposeRef.erase(0, 1);
  }));
}

TEST_P(AuditLogTest, ConcurrentAppendersGetOneGaplessChain) {
  store::Database db(tdb_.config());
  AuditLog log(db);
  std::vector<std::thread> ts;
  std::mutex mu;
  std::set<Poco::Int64> seqs;
  for (int t = 0; t < 8; ++t)
    ts.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        auto r = log.append(attempt(t * 100 + i));
        ASSERT_TRUE(r.ok()) << r.error().detail;
        std::lock_guard lock(mu);
        EXPECT_TRUE(seqs.insert(*r).second);
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(seqs.size(), 320u);
  EXPECT_EQ(*seqs.rbegin(), 320);
  auto v = *log.verify();
  EXPECT_TRUE(v.ok) << v.message;
  EXPECT_EQ(v.checked, 320);
}

// Two hosts (two Database objects, two writer threads, separate connections) appending to
// one chain: the head lock serialises their batches.
TEST_P(AuditLogTest, TwoHostsShareOneChain) {
  store::Database dbA(tdb_.config());
  AuditLog logA(dbA);
  store::Database dbB(tdb_.config());
  AuditLog logB(dbB);
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([&, t] {
      AuditLog& log = t % 2 ? logA : logB;
      for (int i = 0; i < 25; ++i) {
        auto r = log.append(attempt(t * 100 + i));
        ASSERT_TRUE(r.ok()) << r.error().detail;
      }
    });
  for (auto& t : ts) t.join();
  auto v = *logA.verify();
  EXPECT_TRUE(v.ok) << v.message;
  EXPECT_EQ(v.checked, 100);
}

TEST_P(AuditLogTest, AppendReturnsOnlyOnceDurable) {
  {
    store::Database db(tdb_.config());
    AuditLog log(db);
    ASSERT_TRUE(log.append(attempt(1)).ok());
    // Another connection (another process would see the same) already sees the record.
    store::Database other(tdb_.config());
    auto s = other.session();
    int n = 0;
    s << "SELECT COUNT(*) FROM audit_log", into(n), now;
    EXPECT_EQ(n, 1);
    appendN(log, 3);
  }
  store::Database reopened(tdb_.config());
  AuditLog log(reopened);
  auto v = *log.verify();
  EXPECT_TRUE(v.ok) << v.message;
  EXPECT_EQ(v.checked, 4);
  EXPECT_EQ(*log.append(attempt(9)), 5);
}

TEST_P(AuditLogTest, StoreRefusesUpdatesAndDeletes) {
  store::Database db(tdb_.config());
  AuditLog log(db);
  appendN(log, 3);
  EXPECT_ANY_THROW(exec(db, "UPDATE audit_log SET outcome = 'not_found' WHERE seq = 2"));
  EXPECT_ANY_THROW(exec(db, "DELETE FROM audit_log WHERE seq = 3"));
  auto v = *log.verify();
  EXPECT_TRUE(v.ok) << v.message;
  EXPECT_EQ(v.checked, 3);
  EXPECT_EQ(*log.append(attempt(4)), 4);  // appending still works
}

TEST_P(AuditLogTest, DetectsEditedRecord) {
  store::Database db(tdb_.config());
  AuditLog log(db);
  appendN(log, 6);
  dropGuards(db);
  exec(db, "UPDATE audit_log SET outcome = 'not_found' WHERE seq = 4");
  auto v = *log.verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.badSeq, 4);
  EXPECT_EQ(v.reason, "altered");
  EXPECT_NE(v.message.find("#4"), std::string::npos) << v.message;
}

TEST_P(AuditLogTest, DetectsDeletedRecord) {
  store::Database db(tdb_.config());
  AuditLog log(db);
  appendN(log, 6);
  dropGuards(db);
  exec(db, "DELETE FROM audit_log WHERE seq = 3");
  auto v = *log.verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.badSeq, 3);
  EXPECT_EQ(v.reason, "missing");
}

TEST_P(AuditLogTest, DetectsDeletedNewestRecords) {
  store::Database db(tdb_.config());
  AuditLog log(db);
  appendN(log, 6);
  dropGuards(db);
  exec(db, "DELETE FROM audit_log WHERE seq >= 5");
  auto v = *log.verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.badSeq, 5);
  EXPECT_EQ(v.reason, "head_mismatch");
}

TEST_P(AuditLogTest, DetectsReorderedRecords) {
  store::Database db(tdb_.config());
  AuditLog log(db);
  appendN(log, 6);
  // Swap records 3 and 4.
  dropGuards(db);
  exec(db, "UPDATE audit_log SET seq = 1000 WHERE seq = 3");
  exec(db, "UPDATE audit_log SET seq = 3 WHERE seq = 4");
  exec(db, "UPDATE audit_log SET seq = 4 WHERE seq = 1000");
  auto v = *log.verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.badSeq, 3);
  EXPECT_EQ(v.reason, "broken_link");
}

// A forged record, correctly hashed by someone who knows the (public) algorithm.
AuditRecord forge(const AuditRecord& like, Poco::Int64 seq, const std::string& prevHash) {
  AuditRecord f = like;
  f.seq = seq;
  f.outcome = "not_found";
  f.elements.clear();
  f.prevHash = prevHash;
  f.hash = recordHash(f);
  return f;
}

void insertRaw(store::Database& db, const AuditRecord& r) {
  auto s = db.session();
  Poco::Int64 seq = r.seq, at = r.at.time_since_epoch().count();
  std::string agreement = r.agreement, op = r.operatorId, purpose = r.purposeRef, nik = r.nikHmac,
              outcome = r.outcome, detail = r.detail, prev = r.prevHash, hash = r.hash,
              anchor = r.anchor;
  std::string elements;
  for (const auto& e : r.elements) elements += (elements.empty() ? "" : ",") + e;
  int quota = r.quotaRemaining.value_or(-1);
  s << db.sql(
      "INSERT INTO audit_log (seq, at_us, agreement, operator_id, purpose_ref, nik_hmac,"
      " outcome, elements, quota_remaining, detail, prev_hash, hash, anchor)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
      use(seq), use(at), use(agreement), use(op), use(purpose), use(nik), use(outcome),
      use(elements), use(quota), use(detail), use(prev), use(hash), use(anchor), now;
}

TEST_P(AuditLogTest, DetectsRecordInsertedInTheMiddle) {
  store::Database db(tdb_.config());
  AuditLog log(db, AuditOptions{hasher_.deriveKey("audit-anchor"), 512});
  appendN(log, 6);
  auto rows = *log.query({});  // newest first: rows[6 - seq]
  // Make room at seq 4 (4..6 move to 5..7) and insert a well-hashed forgery there.
  dropGuards(db);
  exec(db, "UPDATE audit_log SET seq = seq + 100 WHERE seq >= 4");
  exec(db, "UPDATE audit_log SET seq = seq - 99 WHERE seq >= 100");
  exec(db, "UPDATE audit_head SET seq = 7");
  insertRaw(db, forge(rows[6 - 3], 4, rows[6 - 3].hash));
  AuditLog keyless(db);
  auto v = *keyless.verify();
  EXPECT_FALSE(v.ok);
  // Without the key, the forgery itself is consistent; the first record after it breaks
  // (it still links to record 3).
  EXPECT_EQ(v.badSeq, 5);
  EXPECT_EQ(v.reason, "broken_link");
  // With the key, the forgery itself is named.
  auto keyed = *log.verify();
  EXPECT_FALSE(keyed.ok);
  EXPECT_EQ(keyed.badSeq, 4);
  EXPECT_EQ(keyed.reason, "anchor_mismatch");
}

TEST_P(AuditLogTest, DetectsRecordAddedAtTheEndOutsideGerbang) {
  store::Database db(tdb_.config());
  AuditLog log(db);
  appendN(log, 4);
  auto newest = (*log.query({}))[0];
  insertRaw(db, forge(newest, 5, newest.hash));
  auto v = *log.verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.badSeq, 5);
  EXPECT_EQ(v.reason, "head_mismatch");
}

// What the keyed anchor protects: someone with database access edits record 3 and
// recomputes every later hash and the head. The plain chain is then consistent; only the
// anchor, which needs the audit key from the host's key file, exposes the edit.
TEST_P(AuditLogTest, KeyedAnchorCatchesARecomputedChain) {
  store::Database db(tdb_.config());
  AuditOptions withKey{hasher_.deriveKey("audit-anchor"), 512};
  AuditLog log(db, withKey);
  appendN(log, 5);
  {
    auto v = *log.verify();
    ASSERT_TRUE(v.ok) << v.message;
  }
  auto rows = *log.query({});
  std::vector<AuditRecord> chain(rows.rbegin(), rows.rend());  // oldest first
  chain[2].outcome = "not_found";
  chain[2].elements.clear();
  for (size_t i = 2; i < chain.size(); ++i) {
    chain[i].prevHash = chain[i - 1].hash;
    chain[i].hash = recordHash(chain[i]);
  }
  dropGuards(db);
  exec(db, "DELETE FROM audit_log WHERE seq >= 3");
  for (size_t i = 2; i < chain.size(); ++i) insertRaw(db, chain[i]);
  {
    auto s = db.session();
    std::string h = chain.back().hash;
    s << db.sql("UPDATE audit_head SET hash = ? WHERE id = 1"), use(h), now;
  }
  AuditLog keyless(db);
  auto plain = *keyless.verify();
  EXPECT_TRUE(plain.ok) << "the unkeyed chain cannot see a full recomputation: " << plain.message;
  auto keyed = *log.verify();
  EXPECT_FALSE(keyed.ok);
  EXPECT_EQ(keyed.badSeq, 3);
  EXPECT_EQ(keyed.reason, "anchor_mismatch");
}

TEST_P(AuditLogTest, ExpectedHeadCatchesTruncationWithHeadRewound) {
  store::Database db(tdb_.config());
  AuditLog log(db);
  appendN(log, 5);
  AuditHead published = *log.head();  // e.g. printed in the semester report
  auto rows = *log.query({});
  dropGuards(db);
  exec(db, "DELETE FROM audit_log WHERE seq = 5");
  {
    auto s = db.session();
    std::string h = rows[1].hash;
    s << db.sql("UPDATE audit_head SET seq = 4, hash = ? WHERE id = 1"), use(h), now;
  }
  EXPECT_TRUE(log.verify()->ok);    // consistent on its own ...
  auto v = *log.verify(published);  // ... but not with the head published earlier
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.badSeq, 5);
  EXPECT_EQ(v.reason, "head_mismatch");
}

TEST_P(AuditLogTest, FailsClosedWhenTheStoreRefuses) {
  store::Database db(tdb_.config());
  AuditLog log(db);
  appendN(log, 2);
  exec(db, "DROP TABLE audit_log");
  auto r = log.append(attempt(3));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "audit_unavailable");
  // The head did not move: a failed batch leaves nothing behind.
  EXPECT_EQ(log.head()->seq, 2);
}

// The lookup pipeline opens the balikan obligation in the audit record's transaction.
TEST_P(AuditLogTest, CompanionCommitsWithItsRecordOrNeither) {
  store::Database db(tdb_.config());
  exec(db, "CREATE TABLE companion_rows (seq BIGINT NOT NULL)");
  AuditLog log(db);
  auto insertSeq = [&db](store::WriterTransaction& tx, Poco::Int64 seq) {
    tx.session << db.sql("INSERT INTO companion_rows (seq) VALUES (?)"), use(seq), now;
  };
  auto ok = log.append(attempt(1), insertSeq);
  ASSERT_TRUE(ok.ok()) << ok.error().detail;
  EXPECT_EQ(*ok, 1);

  // Many appenders at once (so records share group commits), every third one's companion
  // refusing: exactly those records and their rows are missing, all others land.
  std::vector<std::thread> ts;
  std::mutex mu;
  int refused = 0, landed = 0;
  for (int t = 0; t < 6; ++t)
    ts.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        const bool bad = (t * 20 + i) % 3 == 0;
        AuditLog::Companion c = insertSeq;
        if (bad) c = [](store::WriterTransaction&, Poco::Int64) { throw std::runtime_error("no"); };
        auto r = log.append(attempt(10 + t * 20 + i), c);
        std::lock_guard lock(mu);
        if (bad) {
          ASSERT_FALSE(r.ok());
          EXPECT_EQ(r.error().code, "audit_companion_failed");
          ++refused;
        } else {
          ASSERT_TRUE(r.ok()) << r.error().detail;
          ++landed;
        }
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(refused, 40);
  EXPECT_EQ(landed, 80);
  auto s = db.session();
  int rows = 0;
  s << "SELECT COUNT(*) FROM companion_rows", into(rows), now;
  EXPECT_EQ(rows, 81);
  int orphans = -1;
  s << "SELECT COUNT(*) FROM companion_rows c WHERE NOT EXISTS "
       "(SELECT 1 FROM audit_log a WHERE a.seq = c.seq)",
      into(orphans), now;
  EXPECT_EQ(orphans, 0);
  auto v = *log.verify();
  EXPECT_TRUE(v.ok) << v.message;
  EXPECT_EQ(v.checked, 81);
}

TEST_P(AuditLogTest, RefusesRecordsThatCouldCarryANik) {
  store::Database db(tdb_.config());
  AuditLog log(db);
  AuditRecord r = attempt(1);
  r.nikHmac = "3273014506990011";  // a NIK passed where its HMAC belongs
  auto a = log.append(r);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, "invalid_audit_record");
  EXPECT_EQ(a.error().detail.find("3273014506990011"), std::string::npos);
  r = attempt(1);
  r.detail = "released by supervisor for 3273014506990011";
  EXPECT_FALSE(log.append(r).ok());
  r = attempt(1);
  r.elements = {"NIK,NAMA_LGKP"};
  EXPECT_FALSE(log.append(r).ok());
  r = attempt(1);
  r.agreement.clear();
  EXPECT_FALSE(log.append(r).ok());
  r = attempt(1);
  r.quotaRemaining = -1;
  EXPECT_FALSE(log.append(r).ok());
  EXPECT_EQ(log.head()->seq, 0);
  // An attempt with no usable NIK (e.g. malformed) is still audited, without a hash.
  r = attempt(1, "invalid_nik");
  r.nikHmac.clear();
  EXPECT_TRUE(log.append(r).ok());
}

TEST_P(AuditLogTest, QueryFiltersForTheSupervisorView) {
  store::Database db(tdb_.config());
  AuditLog log(db);
  for (int i = 1; i <= 6; ++i)
    ASSERT_TRUE(log.append(attempt(i, i % 3 ? "found" : "pattern_blocked")).ok());
  AuditRecord other = attempt(7);
  other.agreement = "karanganyar-ak1";
  other.at = clock_.now() + hours{24};  // the next Jakarta day
  ASSERT_TRUE(log.append(other).ok());

  AuditQuery byAgreement;
  byAgreement.agreement = kJabar;
  EXPECT_EQ(log.query(byAgreement)->size(), 6u);
  AuditQuery byOperator;
  byOperator.operatorId = "op-andi";
  EXPECT_EQ(log.query(byOperator)->size(), 4u);  // 1, 3, 5, 7
  AuditQuery blocked;
  blocked.outcome = "pattern_blocked";
  auto b = *log.query(blocked);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].seq, 6);
  EXPECT_EQ(b[1].seq, 3);
  AuditQuery today;
  today.day = clock_.today();
  EXPECT_EQ(log.query(today)->size(), 6u);
  today.day = clock_.today().addDays(1);
  EXPECT_EQ(log.query(today)->size(), 1u);
  AuditQuery page;
  page.limit = 2;
  page.beforeSeq = 5;
  auto p = *log.query(page);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].seq, 4);
  EXPECT_EQ(p[1].seq, 3);
  page.limit = 0;
  EXPECT_EQ(log.query(page).error().code, "invalid_query");
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditLogTest,
                         ::testing::ValuesIn(gerbang::testing::storeBackends()),
                         [](const auto& info) {
                           return gerbang::testing::backendName(info.param);
                         });

}  // namespace
}  // namespace gerbang::audit
