#include "core/audit/audit_log.hpp"

#include "core/audit/crypto.hpp"

#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

#include <algorithm>
#include <chrono>

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::useRef;

namespace gerbang::audit {
namespace {

constexpr const char* kColumns =
    "seq, at_us, agreement, operator_id, purpose_ref, nik_hmac, outcome, elements, "
    "quota_remaining, detail, prev_hash, hash, anchor";

void field(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += '=';
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += '\n';
}

std::string joinElements(const std::vector<std::string>& elements) {
  std::string s;
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i) s += ',';
    s += elements[i];
  }
  return s;
}

std::vector<std::string> splitElements(const std::string& s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t start = 0;
  for (size_t p = s.find(','); p != std::string::npos; p = s.find(',', start)) {
    out.push_back(s.substr(start, p - start));
    start = p + 1;
  }
  out.push_back(s.substr(start));
  return out;
}

Poco::Int64 micros(TimePoint t) { return Poco::Int64(t.time_since_epoch().count()); }

// A run of 16 or more digits looks like a NIK (or KK): it never belongs in the audit text.
bool hasNikLikeRun(std::string_view s) {
  int run = 0;
  for (char c : s) {
    run = (c >= '0' && c <= '9') ? run + 1 : 0;
    if (run >= 16) return true;
  }
  return false;
}

Error invalid(const std::string& what) {
  return Error{"invalid_audit_record", "Catatan audit tidak sah; data tidak diberikan",
               "audit: " + what};
}

Error unavailable(const std::string& why) {
  // Fail closed (issue 4 item 8): no audit record, no data.
  return Error{"audit_unavailable",
               "Catatan audit tidak dapat disimpan; data tidak diberikan demi keamanan",
               "audit: " + why};
}

std::optional<Error> validate(const AuditRecord& r) {
  if (r.agreement.empty() || r.agreement.size() > 64)
    return invalid("agreement: empty or over 64 characters");
  if (r.operatorId.size() > 128) return invalid("operator: over 128 characters");
  if (r.purposeRef.size() > 256) return invalid("purpose reference: over 256 characters");
  if (r.outcome.empty() || r.outcome.size() > 64)
    return invalid("outcome: empty or over 64 characters");
  // The NIK itself must never reach the audit: only its keyed hash.
  if (!r.nikHmac.empty() && !isDigestHex(r.nikHmac))
    return invalid("nik_hmac: not 64 lower-case hex digits (pass NikHasher::hash output)");
  for (size_t i = 0; i < r.elements.size(); ++i) {
    const auto& e = r.elements[i];
    if (e.empty() || e.find(',') != std::string::npos || e.size() > 32)
      return invalid("elements[" + std::to_string(i) +
                     "]: empty, over 32 characters or has a comma");
  }
  if (joinElements(r.elements).size() > 1024) return invalid("elements: over 1024 characters");
  if (r.quotaRemaining && *r.quotaRemaining < 0) return invalid("quota_remaining: negative");
  if (r.detail.size() > 2000) return invalid("detail: over 2000 characters");
  for (const std::string* s : {&r.operatorId, &r.detail, &r.outcome})
    if (hasNikLikeRun(*s)) return invalid("a text field contains a 16-digit number (a NIK?)");
  return std::nullopt;
}

struct Rows {
  std::vector<Poco::Int64> seq, at;
  std::vector<std::string> agreement, op, purpose, nik, outcome, elements;
  std::vector<int> quota;
  std::vector<std::string> detail, prev, hash, anchor;

  AuditRecord record(size_t i) const {
    AuditRecord r;
    r.seq = seq[i];
    r.at = TimePoint{std::chrono::microseconds{at[i]}};
    r.agreement = agreement[i];
    r.operatorId = op[i];
    r.purposeRef = purpose[i];
    r.nikHmac = nik[i];
    r.outcome = outcome[i];
    r.elements = splitElements(elements[i]);
    if (quota[i] >= 0) r.quotaRemaining = quota[i];
    r.detail = detail[i];
    r.prevHash = prev[i];
    r.hash = hash[i];
    r.anchor = anchor[i];
    return r;
  }
};

void bindInto(Poco::Data::Statement& st, Rows& rows) {
  st, into(rows.seq), into(rows.at), into(rows.agreement), into(rows.op), into(rows.purpose),
      into(rows.nik), into(rows.outcome), into(rows.elements), into(rows.quota), into(rows.detail),
      into(rows.prev), into(rows.hash), into(rows.anchor);
}

}  // namespace

std::string canonicalRecord(const AuditRecord& r) {
  std::string out = "gerbang-audit-v1\n";
  out.reserve(512);
  field(out, "seq", std::to_string(r.seq));
  field(out, "at_us", std::to_string(micros(r.at)));
  field(out, "agreement", r.agreement);
  field(out, "operator", r.operatorId);
  field(out, "purpose_ref", r.purposeRef);
  field(out, "nik_hmac", r.nikHmac);
  field(out, "outcome", r.outcome);
  field(out, "elements", joinElements(r.elements));
  field(out, "quota_remaining", r.quotaRemaining ? std::to_string(*r.quotaRemaining) : "");
  field(out, "detail", r.detail);
  field(out, "prev_hash", r.prevHash);
  return out;
}

std::string recordHash(const AuditRecord& r) { return toHex(sha256(canonicalRecord(r))); }

std::string recordAnchor(std::string_view key, std::string_view hash) {
  std::string msg = "gerbang-audit-anchor-v1\n";
  msg += hash;
  return toHex(hmacSha256(key, msg));
}

struct AuditLog::Pending {
  AuditRecord record;
  std::optional<Result<Poco::Int64>> result;
  Companion companion;
  std::optional<std::string> companionFailure;  // set by the writer when it threw
};

namespace {
// Thrown through the batch's transaction when a companion refuses.
struct CompanionFailed : std::runtime_error {
  using std::runtime_error::runtime_error;
};
}  // namespace

AuditLog::AuditLog(store::Database& db, AuditOptions options)
    : db_(db), options_(std::move(options)) {
  if (options_.maxBatch == 0) options_.maxBatch = 1;
  const bool pg = db_.backend() == store::Backend::kPostgres;
  db_.migrate("audit",
              {"CREATE TABLE audit_log ("
               " seq {BIGINT} PRIMARY KEY,"
               " at_us {BIGINT} NOT NULL,"
               " agreement VARCHAR(64) NOT NULL,"
               " operator_id VARCHAR(128) NOT NULL,"
               " purpose_ref VARCHAR(256) NOT NULL,"
               " nik_hmac VARCHAR(64) NOT NULL,"
               " outcome VARCHAR(64) NOT NULL,"
               " elements VARCHAR(1024) NOT NULL,"
               " quota_remaining INTEGER NOT NULL,"  // -1 = unlimited or unknown
               " detail VARCHAR(2000) NOT NULL,"
               " prev_hash VARCHAR(64) NOT NULL,"
               " hash VARCHAR(64) NOT NULL,"
               " anchor VARCHAR(64) NOT NULL)",
               "CREATE INDEX audit_log_agreement_at ON audit_log (agreement, at_us)",
               "CREATE INDEX audit_log_operator_at ON audit_log (operator_id, at_us)",
               // The chain head: one row, locked by each batch so writers on several hosts
               // serialise and every record links to the one committed before it.
               "CREATE TABLE audit_head (id INTEGER PRIMARY KEY, seq {BIGINT} NOT NULL,"
               " hash VARCHAR(64) NOT NULL)",
               std::string("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '") +
                   std::string(kGenesisHash) + "')",
               // Append-only at the database too (defence in depth): Gerbang never updates or
               // deletes an audit record, so the store refuses it. Someone with DDL rights
               // can drop these triggers; the hash chain and the keyed anchor still catch
               // what they then do.
               pg ? "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql "
                    "AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$"
                  : "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
                    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
               pg ? "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
                    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
                  : "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
                    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"});
  writer_ = std::thread([this] { writerLoop(); });
}

AuditLog::~AuditLog() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
}

Result<Poco::Int64> AuditLog::append(AuditRecord record) { return append(std::move(record), {}); }

Result<Poco::Int64> AuditLog::append(AuditRecord record, Companion companion) {
  if (auto e = validate(record)) return *e;
  Pending p{std::move(record), std::nullopt, std::move(companion), std::nullopt};
  std::unique_lock lock(mu_);
  if (stopping_) return unavailable("the audit log is shutting down");
  queue_.push_back(&p);
  wake_.notify_one();
  done_.wait(lock, [&] { return p.result.has_value(); });
  return std::move(*p.result);
}

void AuditLog::writerLoop() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) {
      if (stopping_) break;
      continue;
    }
    std::vector<Pending*> batch;
    while (!queue_.empty() && batch.size() < options_.maxBatch) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    if (!commitBatch(batch)) {  // sets every result, or none when a companion refused
      if (batch.size() == 1)
        refuseCompanion(*batch.front());
      else
        commitEach(batch);
    }
    lock.lock();
    done_.notify_all();
  }
  prepared_.reset();
  writerSession_.reset();
}

void AuditLog::refuseCompanion(Pending& p) {
  p.result.emplace(Error{"audit_companion_failed",
                         "Catatan audit dan kewajiban terkait tidak dapat disimpan",
                         "audit: companion refused: " + p.companionFailure.value_or("")});
}

void AuditLog::commitEach(const std::vector<Pending*>& batch) {
  for (Pending* p : batch)
    if (!commitBatch({p})) refuseCompanion(*p);
}

bool AuditLog::commitBatch(const std::vector<Pending*>& batch) {
  const bool pg = db_.backend() == store::Backend::kPostgres;
  try {
    if (!writerSession_) {
      writerSession_.emplace(db_.session());
      // Durability is this session's promise, whatever the server or library defaults are.
      if (pg)
        *writerSession_ << (db_.config().durableCommits ? "SET synchronous_commit TO on"
                                                            : "SET synchronous_commit TO off"),
            now;
      else
        *writerSession_ << (db_.config().durableCommits ? "PRAGMA synchronous=FULL"
                                                            : "PRAGMA synchronous=NORMAL"),
            now;
    }
    Poco::Data::Session& s = *writerSession_;
    // SQLite: statements prepared once on this connection (Poco would parse each anew).
    if (!pg && !prepared_) prepared_ = std::make_unique<store::SqliteStatements>(s);
    static const std::string kTakeHead =
        "UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash";
    static const std::string kInsertOne = std::string("INSERT INTO audit_log (") + kColumns +
                                          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static const std::string kMoveHead = "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1";
    if (prepared_)
      prepared_->begin();
    else
      s.begin();
    try {
      // Take the head's row lock first (PostgreSQL: row lock held to commit; SQLite: the
      // write lock) and read it in the same statement, so the head is the latest and stays
      // ours until commit.
      AuditHead head;
      if (prepared_) {
        auto& st = (*prepared_)(kTakeHead);
        if (st.step()) {
          head.seq = st.int64At(0);
          head.hash = st.textAt(1);
        }
        st.run();
      } else {
        s << kTakeHead, into(head.seq), into(head.hash), now;
      }
      if (head.hash.empty()) throw Poco::DataException("the chain head row is missing");
      struct Row {
        Poco::Int64 at = 0;
        std::string elements;
        int quota = -1;
      };
      // Sized once: the statement binds references into it.
      std::vector<Row> rows(batch.size());
      for (size_t i = 0; i < batch.size(); ++i) {
        AuditRecord& r = batch[i]->record;
        r.seq = head.seq + 1;
        r.prevHash = head.hash;
        r.hash = recordHash(r);
        r.anchor = options_.anchorKey ? recordAnchor(*options_.anchorKey, r.hash) : "";
        rows[i] = Row{micros(r.at), joinElements(r.elements), r.quotaRemaining.value_or(-1)};
        head.seq = r.seq;
        head.hash = r.hash;
      }
      // SQLite: one prepared INSERT per record (no round trips to save in-process).
      for (size_t i = 0; prepared_ && i < batch.size(); ++i) {
        const AuditRecord& r = batch[i]->record;
        (*prepared_)(kInsertOne)
            .bind(1, r.seq)
            .bind(2, rows[i].at)
            .bind(3, r.agreement)
            .bind(4, r.operatorId)
            .bind(5, r.purposeRef)
            .bind(6, r.nikHmac)
            .bind(7, r.outcome)
            .bind(8, rows[i].elements)
            .bind(9, Poco::Int64(rows[i].quota))
            .bind(10, r.detail)
            .bind(11, r.prevHash)
            .bind(12, r.hash)
            .bind(13, r.anchor)
            .run();
      }
      // PostgreSQL: multi-row INSERTs (at most kRowsPerInsert each): one statement and one
      // round trip for many records instead of one per record.
      constexpr size_t kRowsPerInsert = 128;
      for (size_t from = 0; !prepared_ && from < batch.size(); from += kRowsPerInsert) {
        const size_t to = std::min(batch.size(), from + kRowsPerInsert);
        std::string text = std::string("INSERT INTO audit_log (") + kColumns + ") VALUES ";
        for (size_t i = from; i < to; ++i)
          text += i == from ? "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                            : ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        Poco::Data::Statement st(s);
        st << db_.sql(text);
        for (size_t i = from; i < to; ++i) {
          AuditRecord& r = batch[i]->record;
          st, useRef(r.seq), useRef(rows[i].at), useRef(r.agreement), useRef(r.operatorId),
              useRef(r.purposeRef), useRef(r.nikHmac), useRef(r.outcome), useRef(rows[i].elements),
              useRef(rows[i].quota), useRef(r.detail), useRef(r.prevHash), useRef(r.hash),
              useRef(r.anchor);
        }
        st.execute();
      }
      store::WriterTransaction tx{s, prepared_.get()};
      for (Pending* p : batch) {
        if (!p->companion) continue;
        try {
          p->companion(tx, p->record.seq);
        } catch (const Poco::Exception& e) {
          p->companionFailure = e.displayText();
          throw CompanionFailed(e.displayText());
        } catch (const std::exception& e) {
          p->companionFailure = e.what();
          throw CompanionFailed(e.what());
        }
      }
      if (prepared_) {
        (*prepared_)(kMoveHead).bind(1, head.seq).bind(2, head.hash).run();
        prepared_->commit();
      } else {
        s << db_.sql(kMoveHead), useRef(head.seq), useRef(head.hash), now;
        s.commit();
      }
    } catch (...) {
      if (prepared_) {
        prepared_->rollback();
      } else {
        try {
          if (s.isTransaction()) s.rollback();
        } catch (...) {
        }
      }
      throw;
    }
    for (Pending* p : batch) p->result.emplace(p->record.seq);
  } catch (const CompanionFailed&) {
    // Rolled back: the session is still good. Alone, the record fails; in a group, every
    // record is retried on its own so the others still land.
    for (Pending* p : batch) {
      p->record.seq = 0;
      p->record.prevHash.clear();
      p->record.hash.clear();
      p->record.anchor.clear();
    }
    return false;
  } catch (const std::exception& e) {
    // A broken connection is not reused; the next batch opens a fresh one.
    prepared_.reset();
    writerSession_.reset();
    std::string why = e.what();
    if (const auto* pe = dynamic_cast<const Poco::Exception*>(&e)) why = pe->displayText();
    for (Pending* p : batch) p->result.emplace(unavailable(why));
  }
  return true;
}

Result<AuditHead> AuditLog::head() {
  try {
    Poco::Data::Session s = db_.session();
    AuditHead h;
    Poco::Data::Statement st(s);
    st << "SELECT seq, hash FROM audit_head WHERE id = 1", into(h.seq), into(h.hash);
    if (st.execute() == 0) return unavailable("the chain head row is missing");
    return h;
  } catch (const Poco::Exception& e) {
    return unavailable(e.displayText());
  }
}

Result<VerifyReport> AuditLog::verify(std::optional<AuditHead> expectedHead) {
  VerifyReport rep;
  auto fail = [&](Poco::Int64 seq, std::string reason, std::string message) {
    rep.ok = false;
    rep.badSeq = seq;
    rep.reason = std::move(reason);
    rep.message = std::move(message);
    return rep;
  };
  const auto num = [](Poco::Int64 n) {
    // Not `"#" + std::to_string(n)`: GCC 12 at -O3 flags that with a false -Wrestrict.
    std::string s = std::to_string(n);
    s.insert(s.begin(), '#');
    return s;
  };
  try {
    Poco::Data::Session s = db_.session();
    Poco::Int64 expected = 1;
    std::string prevHash(kGenesisHash);
    bool expectedHeadSeen = !expectedHead || expectedHead->seq == 0;
    for (;;) {
      Rows rows;
      Poco::Int64 after = expected - 1;
      int page = 1000;
      Poco::Data::Statement st(s);
      st << db_.sql(std::string("SELECT ") + kColumns +
                    " FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?"),
          useRef(after), useRef(page);
      bindInto(st, rows);
      st.execute();
      for (size_t i = 0; i < rows.seq.size(); ++i) {
        AuditRecord r = rows.record(i);
        if (r.seq != expected)
          return fail(expected, "missing",
                      "Catatan audit " + num(expected) +
                          (r.seq - 1 > expected ? " sampai " + num(r.seq - 1) : std::string()) +
                          " hilang (dihapus)");
        if (r.prevHash != prevHash)
          return fail(r.seq, "broken_link",
                      "Catatan audit " + num(r.seq) +
                          " tidak tersambung ke catatan sebelumnya (disisipkan, dipindah, atau "
                          "catatan sebelumnya diubah dan di-hash ulang)");
        if (recordHash(r) != r.hash)
          return fail(r.seq, "altered", "Isi catatan audit " + num(r.seq) + " telah diubah");
        if (options_.anchorKey &&
            !constantTimeEquals(recordAnchor(*options_.anchorKey, r.hash), r.anchor))
          return fail(r.seq, "anchor_mismatch",
                      "Jangkar berkunci catatan audit " + num(r.seq) +
                          " tidak cocok (rantai dihitung ulang tanpa kunci audit)");
        if (expectedHead && r.seq == expectedHead->seq) {
          if (r.hash != expectedHead->hash)
            return fail(r.seq, "head_mismatch",
                        "Catatan audit " + num(r.seq) +
                            " berbeda dari kepala rantai yang tercatat sebelumnya");
          expectedHeadSeen = true;
        }
        prevHash = r.hash;
        ++expected;
        ++rep.checked;
      }
      if (rows.seq.size() < size_t(page)) break;
    }
    const Poco::Int64 last = expected - 1;
    if (!expectedHeadSeen)
      return fail(last + 1, "head_mismatch",
                  "Catatan audit " + num(last + 1) + " sampai " + num(expectedHead->seq) +
                      " hilang (kepala rantai yang tercatat sebelumnya tidak ditemukan)");
    AuditHead h;
    Poco::Data::Statement hs(s);
    hs << "SELECT seq, hash FROM audit_head WHERE id = 1", into(h.seq), into(h.hash);
    if (hs.execute() == 0)
      return fail(last + 1, "head_not_found", "Kepala rantai audit tidak ditemukan");
    if (h.seq > last)
      return fail(last + 1, "head_mismatch",
                  "Catatan audit " + num(last + 1) + " sampai " + num(h.seq) +
                      " hilang (catatan terbaru dihapus)");
    if (h.seq < last)
      return fail(h.seq + 1, "head_mismatch",
                  "Catatan audit " + num(h.seq + 1) + " ditambahkan di luar Gerbang");
    if (h.hash != prevHash)
      return fail(last, "head_mismatch",
                  "Kepala rantai audit tidak cocok dengan catatan " + num(last));
  } catch (const Poco::Exception& e) {
    return unavailable(e.displayText());
  }
  return rep;
}

Result<std::vector<AuditRecord>> AuditLog::query(const AuditQuery& q) {
  if (q.limit < 1 || q.limit > 1000)
    return Error{"invalid_query", "Batas jumlah catatan harus 1 sampai 1000",
                 "audit query: limit " + std::to_string(q.limit)};
  std::string text = std::string("SELECT ") + kColumns + " FROM audit_log WHERE 1 = 1";
  std::optional<std::string> agreement = q.agreement, op = q.operatorId, outcome = q.outcome;
  Poco::Int64 from = 0, to = 0, before = q.beforeSeq.value_or(0);
  int limit = q.limit;
  if (agreement) text += " AND agreement = ?";
  if (op) text += " AND operator_id = ?";
  if (outcome) text += " AND outcome = ?";
  if (q.day) {
    from = micros(q.day->jakartaStart());
    to = micros(q.day->addDays(1).jakartaStart());
    text += " AND at_us >= ? AND at_us < ?";
  }
  if (q.beforeSeq) text += " AND seq < ?";
  text += " ORDER BY seq DESC LIMIT ?";
  try {
    Poco::Data::Session s = db_.session();
    Poco::Data::Statement st(s);
    st << db_.sql(text);
    if (agreement) st, useRef(*agreement);
    if (op) st, useRef(*op);
    if (outcome) st, useRef(*outcome);
    if (q.day) st, useRef(from), useRef(to);
    if (q.beforeSeq) st, useRef(before);
    st, useRef(limit);
    Rows rows;
    bindInto(st, rows);
    st.execute();
    std::vector<AuditRecord> out;
    out.reserve(rows.seq.size());
    for (size_t i = 0; i < rows.seq.size(); ++i) out.push_back(rows.record(i));
    return out;
  } catch (const Poco::Exception& e) {
    return unavailable(e.displayText());
  }
}

}  // namespace gerbang::audit
