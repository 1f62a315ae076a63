#include "core/outbox/outbox_repository.hpp"

#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

#include <algorithm>
#include <cctype>

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::useRef;

namespace gerbang::outbox {
namespace {

constexpr const char* kColumns =
    "id, agreement, idem_key, status, attempts, created_at_us, next_attempt_at_us, last_error,"
    " delivered_at_us, receipt";

Error storeError(const std::string& what, const Poco::Exception& e) {
  return Error{"store_unavailable", "Penyimpanan data Gerbang tidak dapat diakses",
               "outbox: " + what + ": " + e.displayText()};
}

Poco::Int64 micros(TimePoint t) { return Poco::Int64(t.time_since_epoch().count()); }
TimePoint fromMicros(Poco::Int64 us) { return TimePoint{std::chrono::microseconds{us}}; }

bool isKey(const std::string& k) {
  if (k.size() != 64) return false;
  for (char c : k)
    if (!std::isdigit(static_cast<unsigned char>(c)) && !(c >= 'a' && c <= 'f')) return false;
  return true;
}

ItemStatus parseStatus(const std::string& s) {
  if (s == "sending") return ItemStatus::kSending;
  if (s == "delivered") return ItemStatus::kDelivered;
  if (s == "failed_permanent") return ItemStatus::kFailedPermanent;
  return ItemStatus::kPending;
}

// Error texts are stored and shown to operators; keep them short.
std::string clip(const std::string& s) { return s.size() <= 500 ? s : s.substr(0, 500); }

struct Rows {
  std::vector<Poco::Int64> id, attempts, created, next, delivered;
  std::vector<std::string> agreement, key, status, lastError, receipt;

  void bind(Poco::Data::Statement& st) {
    st, into(id), into(agreement), into(key), into(status), into(attempts), into(created),
        into(next), into(lastError), into(delivered), into(receipt);
  }
  Item at(size_t i) const {
    Item it;
    it.id = id[i];
    it.agreement = agreement[i];
    it.key = key[i];
    it.status = parseStatus(status[i]);
    it.attempts = int(attempts[i]);
    it.createdAt = fromMicros(created[i]);
    it.nextAttemptAt = fromMicros(next[i]);
    it.lastError = lastError[i];
    if (delivered[i] != 0) it.deliveredAt = fromMicros(delivered[i]);
    it.receipt = receipt[i];
    return it;
  }
  std::vector<Item> all() const {
    std::vector<Item> out;
    for (size_t i = 0; i < id.size(); ++i) out.push_back(at(i));
    return out;
  }
};

}  // namespace

const char* statusName(ItemStatus s) {
  switch (s) {
    case ItemStatus::kPending:
      return "pending";
    case ItemStatus::kSending:
      return "sending";
    case ItemStatus::kDelivered:
      return "delivered";
    case ItemStatus::kFailedPermanent:
      return "failed_permanent";
  }
  return "pending";
}

OutboxRepository::OutboxRepository(store::Database& db) : db_(db) {
  db_.migrate("outbox",
              {"CREATE TABLE outbox ("
               " id {AUTO_ID},"
               " agreement VARCHAR(64) NOT NULL,"
               " idem_key VARCHAR(64) NOT NULL UNIQUE,"
               " payload TEXT NOT NULL,"  // erased ('') once delivered
               " status VARCHAR(16) NOT NULL CHECK (status IN"
               "  ('pending', 'sending', 'delivered', 'failed_permanent')),"
               " attempts {BIGINT} NOT NULL DEFAULT 0,"
               " created_at_us {BIGINT} NOT NULL,"
               " next_attempt_at_us {BIGINT} NOT NULL,"  // for 'sending': the lease's end
               " last_error VARCHAR(500) NOT NULL DEFAULT '',"
               " delivered_at_us {BIGINT} NOT NULL DEFAULT 0,"
               " receipt VARCHAR(500) NOT NULL DEFAULT '')",
               "CREATE INDEX outbox_due ON outbox (agreement, status, next_attempt_at_us)"});
}

Poco::Data::Session OutboxRepository::session() {
  Poco::Data::Session s = db_.session();
  // Erased payloads must not linger in freed space of the file (see the header).
  if (db_.backend() == store::Backend::kSqlite) s << "PRAGMA secure_delete = ON", now;
  return s;
}

Result<EnqueueResult> OutboxRepository::enqueue(const std::string& agreement,
                                                const std::string& key,
                                                const std::string& payload, TimePoint at) {
  if (agreement.empty() || agreement.size() > 64 || !isKey(key) || payload.empty())
    return Error{"invalid_outbox_item", "Catatan data balikan tidak dapat diantrekan",
                 "outbox: empty agreement or payload, or key not 64 lower-case hex digits"};
  Poco::Int64 atUs = micros(at);
  try {
    Poco::Data::Session s = session();
    std::vector<Poco::Int64> inserted;
    {
      Poco::Data::Statement st(s);
      st << db_.sql(
          "INSERT INTO outbox (agreement, idem_key, payload, status, created_at_us,"
          " next_attempt_at_us) VALUES (?, ?, ?, 'pending', ?, ?) ON CONFLICT DO NOTHING"
          " RETURNING id"),
          useRef(agreement), useRef(key), useRef(payload), useRef(atUs), useRef(atUs),
          into(inserted);
      st.execute();
    }
    Rows rows;
    Poco::Data::Statement q(s);
    q << db_.sql(std::string("SELECT ") + kColumns + " FROM outbox WHERE idem_key = ?"),
        useRef(key);
    rows.bind(q);
    q.execute();
    if (rows.id.empty())
      return Error{"store_unavailable", "Penyimpanan data Gerbang tidak dapat diakses",
                   "outbox: enqueued row not found"};
    EnqueueResult r{rows.at(0), !inserted.empty()};
    if (r.item.agreement != agreement)
      return Error{"invalid_outbox_item", "Catatan data balikan tidak dapat diantrekan",
                   "outbox: the key is already used by another agreement"};
    return r;
  } catch (const Poco::Exception& e) {
    return storeError("enqueue", e);
  }
}

Result<std::vector<Item>> OutboxRepository::claim(const std::string& agreement, int limit,
                                                  TimePoint at,
                                                  std::chrono::microseconds lease) {
  if (limit < 1) limit = 1;
  Poco::Int64 nowUs = micros(at);
  Poco::Int64 until = micros(at + lease);
  Poco::Int64 lim = limit;
  std::string any = agreement.empty() ? "1" : "0";
  try {
    Poco::Data::Session s = session();
    std::vector<Poco::Int64> ids, attempts;
    std::vector<std::string> agreements, keys, payloads;
    // One statement: on PostgreSQL a concurrent claimer re-checks the WHERE clause on the
    // row it waited for and skips it (its lease moved into the future); SQLite serialises
    // writers.
    Poco::Data::Statement st(s);
    st << db_.sql(
        "UPDATE outbox SET status = 'sending', attempts = attempts + 1,"
        " next_attempt_at_us = ? WHERE id IN (SELECT id FROM outbox WHERE"
        " (? = '1' OR agreement = ?) AND status IN ('pending', 'sending')"
        " AND next_attempt_at_us <= ? ORDER BY id LIMIT ?)"
        " AND status IN ('pending', 'sending') AND next_attempt_at_us <= ?"
        " RETURNING id, agreement, idem_key, payload, attempts"),
        useRef(until), useRef(any), useRef(agreement), useRef(nowUs), useRef(lim), useRef(nowUs),
        into(ids), into(agreements), into(keys), into(payloads), into(attempts);
    st.execute();
    std::vector<Item> out(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) {
      out[i].id = ids[i];
      out[i].agreement = agreements[i];
      out[i].key = keys[i];
      out[i].payload = payloads[i];
      out[i].status = ItemStatus::kSending;
      out[i].attempts = int(attempts[i]);
      out[i].nextAttemptAt = fromMicros(until);
    }
    std::sort(out.begin(), out.end(), [](const Item& a, const Item& b) { return a.id < b.id; });
    return out;
  } catch (const Poco::Exception& e) {
    return storeError("claim", e);
  }
}

Result<std::vector<Poco::Int64>> OutboxRepository::markDelivered(
    const std::vector<Poco::Int64>& ids, const std::string& receipt, TimePoint at) {
  Poco::Int64 atUs = micros(at);
  std::string r = clip(receipt);
  std::vector<Poco::Int64> changed;
  try {
    Poco::Data::Session s = session();
    s.begin();
    try {
      for (Poco::Int64 id : ids) {
        std::vector<Poco::Int64> done;
        Poco::Data::Statement st(s);
        st << db_.sql(
            "UPDATE outbox SET status = 'delivered', payload = '', delivered_at_us = ?,"
            " receipt = ?, last_error = '' WHERE id = ? AND status = 'sending' RETURNING id"),
            useRef(atUs), useRef(r), useRef(id), into(done);
        st.execute();
        if (!done.empty()) changed.push_back(id);
      }
      s.commit();
    } catch (...) {
      if (s.isTransaction()) s.rollback();
      throw;
    }
  } catch (const Poco::Exception& e) {
    return storeError("markDelivered", e);
  }
  return changed;
}

Status OutboxRepository::markRetry(Poco::Int64 id, TimePoint nextAttempt,
                                   const std::string& error) {
  Poco::Int64 next = micros(nextAttempt);
  std::string e = clip(error);
  try {
    Poco::Data::Session s = session();
    s << db_.sql(
             "UPDATE outbox SET status = 'pending', next_attempt_at_us = ?, last_error = ?"
             " WHERE id = ? AND status = 'sending'"),
        useRef(next), useRef(e), useRef(id), now;
  } catch (const Poco::Exception& ex) {
    return storeError("markRetry", ex);
  }
  return Status::Ok();
}

Status OutboxRepository::markFailed(Poco::Int64 id, const std::string& error) {
  std::string e = clip(error);
  try {
    Poco::Data::Session s = session();
    s << db_.sql(
             "UPDATE outbox SET status = 'failed_permanent', last_error = ?"
             " WHERE id = ? AND status = 'sending'"),
        useRef(e), useRef(id), now;
  } catch (const Poco::Exception& ex) {
    return storeError("markFailed", ex);
  }
  return Status::Ok();
}

Result<OutboxCounts> OutboxRepository::counts(const std::string& agreement) {
  std::string any = agreement.empty() ? "1" : "0";
  try {
    Poco::Data::Session s = session();
    std::vector<std::string> status;
    std::vector<Poco::Int64> n;
    s << db_.sql(
             "SELECT status, COUNT(*) FROM outbox WHERE (? = '1' OR agreement = ?)"
             " GROUP BY status"),
        useRef(any), useRef(agreement), into(status), into(n), now;
    OutboxCounts c;
    for (size_t i = 0; i < status.size(); ++i) {
      switch (parseStatus(status[i])) {
        case ItemStatus::kPending:
          c.pending = int(n[i]);
          break;
        case ItemStatus::kSending:
          c.sending = int(n[i]);
          break;
        case ItemStatus::kDelivered:
          c.delivered = int(n[i]);
          break;
        case ItemStatus::kFailedPermanent:
          c.failed = int(n[i]);
          break;
      }
    }
    return c;
  } catch (const Poco::Exception& e) {
    return storeError("counts", e);
  }
}

Result<std::optional<TimePoint>> OutboxRepository::lastDeliveredAt(const std::string& agreement) {
  std::string any = agreement.empty() ? "1" : "0";
  try {
    Poco::Data::Session s = session();
    Poco::Int64 us = 0;
    s << db_.sql(
             "SELECT COALESCE(MAX(delivered_at_us), 0) FROM outbox WHERE (? = '1' OR agreement = ?)"
             " AND status = 'delivered'"),
        useRef(any), useRef(agreement), into(us), now;
    if (us == 0) return std::optional<TimePoint>{};
    return std::optional<TimePoint>{fromMicros(us)};
  } catch (const Poco::Exception& e) {
    return storeError("last delivery", e);
  }
}

Result<std::vector<Item>> OutboxRepository::list(const std::string& agreement, int limit) {
  std::string any = agreement.empty() ? "1" : "0";
  Poco::Int64 lim = std::max(1, std::min(limit, 100000));
  try {
    Poco::Data::Session s = session();
    Rows rows;
    Poco::Data::Statement q(s);
    q << db_.sql(std::string("SELECT ") + kColumns +
                 " FROM outbox WHERE (? = '1' OR agreement = ?) ORDER BY id LIMIT ?"),
        useRef(any), useRef(agreement), useRef(lim);
    rows.bind(q);
    q.execute();
    return rows.all();
  } catch (const Poco::Exception& e) {
    return storeError("list", e);
  }
}

Result<std::optional<Item>> OutboxRepository::findByKey(const std::string& key) {
  try {
    Poco::Data::Session s = session();
    Rows rows;
    Poco::Data::Statement q(s);
    q << db_.sql(std::string("SELECT ") + kColumns + " FROM outbox WHERE idem_key = ?"),
        useRef(key);
    rows.bind(q);
    q.execute();
    if (rows.id.empty()) return std::optional<Item>();
    return std::optional<Item>(rows.at(0));
  } catch (const Poco::Exception& e) {
    return storeError("findByKey", e);
  }
}

Result<std::vector<std::string>> OutboxRepository::agreementsWithWork() {
  try {
    Poco::Data::Session s = session();
    std::vector<std::string> out;
    s << db_.sql(
             "SELECT DISTINCT agreement FROM outbox WHERE status IN ('pending', 'sending')"
             " ORDER BY agreement"),
        into(out), now;
    return out;
  } catch (const Poco::Exception& e) {
    return storeError("agreementsWithWork", e);
  }
}

bool OutboxRepository::checkpoint() {
  if (db_.backend() != store::Backend::kSqlite) return true;
  try {
    Poco::Data::Session s = session();
    int busy = 0, frames = 0, done = 0;
    s << "PRAGMA wal_checkpoint(TRUNCATE)", into(busy), into(frames), into(done), now;
    return busy == 0;
  } catch (const Poco::Exception&) {
    return false;
  }
}

}  // namespace gerbang::outbox
