// AuditLog: one tamper-evident record per lookup attempt, allowed or refused (issue 4 item 8).
//
// Each record holds who (agreement, operator), why (purpose reference), whom as a keyed
// pseudonym (NikHasher output; never the NIK), what happened (outcome code, names of the
// elements returned, quota left) and when (UTC, microseconds). Records form a hash chain:
// hash = SHA-256(canonical serialisation of the record, which includes prev_hash), so each
// record commits to every record before it, and verify() names the first record that was
// edited, deleted, inserted or moved.
//
// Keyed anchor (optional): with an anchor key (NikHasher::deriveKey("audit-anchor")), each
// record also stores HMAC-SHA256(key, hash). The plain chain only proves consistency: someone
// with write access to the database could edit a record and recompute every later hash and
// the head. The anchor stops that: recomputing it needs the key, which lives in the host's
// key file, not in the database. (It does not stop deleting the newest records *and* moving
// the head back; for that, compare head() against a copy kept elsewhere, e.g. the semester
// report, with verify(expectedHead).)
//
// Durability (group commit): append() queues the record and blocks; one writer thread takes
// everything queued, commits it in one transaction (SQLite: WAL with synchronous=FULL, so
// the commit is fsynced; PostgreSQL: synchronous_commit=on) and only then wakes the
// appenders. So append() returning OK means the record is on disk, and concurrent appenders
// share one fsync. Several processes or hosts may append to one chain: each batch first
// takes the chain head's row lock (an UPDATE of audit_head), so batches serialise.
//
// Append-only store: triggers make the database itself refuse UPDATE and DELETE on
// audit_log, so a slip (or a careless script) cannot change history. Someone with DDL rights
// can drop them; the chain and the anchor are what catch that.
//
// Fail closed: append() returns an error when the record cannot be made durable; the caller
// must then not return any data to the operator.
#pragma once

#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/store/database.hpp"
#include "core/store/sqlite_statements.hpp"

#include <Poco/Types.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace gerbang::audit {

// One attempt. Fields marked (set by append) are ignored on input.
struct AuditRecord {
  Poco::Int64 seq = 0;                // (set by append) 1, 2, 3, ... without gaps
  TimePoint at;                       // when the attempt happened (UTC)
  std::string agreement;              // agreement (plugin agency) id
  std::string operatorId;             // the operator's local user id
  std::string purposeRef;             // the service reference the operator gave (may be empty)
  std::string nikHmac;                // NikHasher::hash() output, or empty when no NIK was usable
  std::string outcome;                // stable outcome code ("found", "quota_exhausted", ...)
  std::vector<std::string> elements;  // names of the elements returned (empty if refused)
  std::optional<int> quotaRemaining;  // hits left after the attempt; nullopt = unlimited/unknown
  // Optional: e.g. the supervisor's pattern-release reason. Never population data (a run
  // of 16 digits is refused; names cannot be detected, so callers must not put them here).
  std::string detail;
  std::string prevHash;  // (set by append) hash of the previous record
  std::string hash;      // (set by append) this record's chain hash
  std::string anchor;    // (set by append) keyed anchor, empty without a key
};

// The canonical serialisation that the chain hash covers (versioned, length-prefixed, so no
// two different records serialise alike). Published so an auditor's tool can re-check it.
std::string canonicalRecord(const AuditRecord& r);
// hex(SHA-256(canonicalRecord(r))).
std::string recordHash(const AuditRecord& r);
// hex(HMAC-SHA256(key, "gerbang-audit-anchor-v1\n" + hash)).
std::string recordAnchor(std::string_view key, std::string_view hash);

// prev_hash of record 1.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct AuditHead {
  Poco::Int64 seq = 0;  // last record's seq (0 = empty chain)
  std::string hash;     // last record's hash (kGenesisHash when empty)
};

// The answer of verify(). When !ok, badSeq is the first bad record and reason one of:
// "missing" (deleted), "broken_link" (inserted, moved, or its predecessor re-hashed),
// "altered" (content does not match its hash), "anchor_mismatch" (re-hashed without the key),
// "head_mismatch" (newest records deleted or added outside Gerbang), "head_not_found".
struct VerifyReport {
  bool ok = true;
  Poco::Int64 checked = 0;
  Poco::Int64 badSeq = 0;
  std::string reason;
  std::string message;  // Indonesian, names the record
};

// Filters for the supervisor's pseudonymous audit view; unset = any. Newest first.
struct AuditQuery {
  std::optional<std::string> agreement;
  std::optional<std::string> operatorId;
  std::optional<std::string> outcome;
  std::optional<Date> day;               // Jakarta calendar day of `at`
  std::optional<Poco::Int64> beforeSeq;  // paging: only records with seq < beforeSeq
  int limit = 100;
};

struct AuditOptions {
  // Enables the keyed anchor (see above). Raw key bytes; never logged.
  std::optional<std::string> anchorKey;
  // Most records one commit carries.
  size_t maxBatch = 512;
};

class AuditLog {
 public:
  // Registers the "audit" migrations on `db` (which must outlive this object) and starts
  // the writer thread. Throws at startup when the store cannot be migrated.
  explicit AuditLog(store::Database& db, AuditOptions options = {});
  // Commits everything already queued, then stops the writer.
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Appends `record` to the chain and returns once it is durably committed, with its seq.
  // Errors: "invalid_audit_record" (a field is malformed: e.g. nikHmac is not 64 hex digits,
  // an element name contains a comma, detail contains a 16-digit number); "audit_unavailable"
  // (the store refused; fail closed). Thread-safe.
  Result<Poco::Int64> append(AuditRecord record);

  // Work that must commit atomically with one record, e.g. the balikan obligation that the
  // record's returned data opens: the writer runs it inside the record's transaction, after
  // the record is inserted, with the record's seq. It must not begin, commit or roll back;
  // it throws to refuse. Then neither the record nor the companion's writes are kept, and
  // append() returns "audit_companion_failed" (detail: the exception's text) while the
  // other records of the same group commit are retried on their own and still land.
  using Companion = std::function<void(store::WriterTransaction&, Poco::Int64 seq)>;
  Result<Poco::Int64> append(AuditRecord record, Companion companion);

  // Re-reads the whole chain and checks every link, hash, the head and (when this log has
  // an anchor key) every anchor. With `expectedHead` (a head published earlier), also checks
  // that the chain still contains it. An error only when the store cannot be read.
  Result<VerifyReport> verify(std::optional<AuditHead> expectedHead = std::nullopt);

  // The current chain head.
  Result<AuditHead> head();

  // Records matching `q`, newest first, at most q.limit (1..1000).
  Result<std::vector<AuditRecord>> query(const AuditQuery& q);

 private:
  struct Pending;
  void writerLoop();
  // Commits `batch` in one transaction; false (results unset) when it must be retried
  // record by record because a companion refused.
  bool commitBatch(const std::vector<Pending*>& batch);
  void commitEach(const std::vector<Pending*>& batch);
  static void refuseCompanion(Pending& p);

  store::Database& db_;
  AuditOptions options_;
  std::mutex mu_;
  std::condition_variable wake_;  // writer: work queued or stopping
  std::condition_variable done_;  // appenders: their batch finished
  std::deque<Pending*> queue_;
  bool stopping_ = false;
  std::optional<Poco::Data::Session> writerSession_;  // writer thread only
  // SQLite: the writer's statements, prepared once (dropped before writerSession_).
  std::unique_ptr<store::SqliteStatements> prepared_;
  std::thread writer_;
};

}  // namespace gerbang::audit
