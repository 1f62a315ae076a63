#include "core/quota/quota_ledger.hpp"

#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

#include <algorithm>
#include <tuple>

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::useRef;

namespace gerbang::quota {
namespace {

Error exhausted(const std::optional<int>& limit) {
  return Error{"quota_exhausted", "Kuota akses hari ini telah habis",
               "daily limit " + std::to_string(limit.value_or(0)) + " reached"};
}

Error storeError(const std::string& what, const std::string& why) {
  // Fail closed: without a durable count there is no registry call.
  return Error{"store_unavailable",
               "Penyimpanan data Gerbang tidak dapat diakses; akses ditolak demi keamanan",
               "quota: " + what + ": " + why};
}

}  // namespace

QuotaLedger::QuotaLedger(store::Database& db) : db_(db) {
  db_.migrate("quota",
              {"CREATE TABLE quota_usage ("
               " agreement VARCHAR(64) NOT NULL,"
               " user_id VARCHAR(128) NOT NULL,"
               " day CHAR(10) NOT NULL,"  // Jakarta calendar day, YYYY-MM-DD
               " used INTEGER NOT NULL CHECK (used >= 0),"
               " PRIMARY KEY (agreement, user_id, day))"});
  writer_ = std::thread([this] { writerLoop(); });
}

struct QuotaLedger::Pending {
  const std::string& agreement;
  const std::string& userId;
  std::string day;
  std::optional<int> limit;
  int usedAfter = -1;
  std::optional<Error> error;
  bool done = false;
};

QuotaLedger::~QuotaLedger() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
}

Result<Reservation> QuotaLedger::reserve(const std::string& agreement, const std::string& userId,
                                         const Date& day, std::optional<int> limit) {
  if (limit && *limit <= 0) return exhausted(limit);
  Pending p{agreement, userId, day.iso(), limit, -1, std::nullopt, false};
  {
    std::unique_lock lock(mu_);
    if (stopping_) return storeError("reserve", "the quota ledger is shutting down");
    queue_.push_back(&p);
    wake_.notify_one();
    done_.wait(lock, [&] { return p.done; });
  }
  if (p.error) return *p.error;
  if (p.usedAfter < 0) return exhausted(limit);
  return Reservation{agreement, userId, day, p.usedAfter, limit, false};
}

void QuotaLedger::writerLoop() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) {
      if (stopping_) break;
      continue;
    }
    std::vector<Pending*> batch;
    while (!queue_.empty() && batch.size() < 256) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    commitBatch(batch);
    lock.lock();
    for (Pending* p : batch) p->done = true;
    done_.notify_all();
  }
  prepared_.reset();
  writerSession_.reset();
}

void QuotaLedger::commitBatch(const std::vector<Pending*>& queued) {
  const bool pg = db_.backend() == store::Backend::kPostgres;
  // Rows are locked in one global order (agreement, user, day), so two hosts' batches that
  // touch the same rows wait for each other instead of deadlocking. Arrival order is kept
  // among requests for the same row.
  std::vector<Pending*> batch = queued;
  std::stable_sort(batch.begin(), batch.end(), [](const Pending* a, const Pending* b) {
    return std::tie(a->agreement, a->userId, a->day) < std::tie(b->agreement, b->userId, b->day);
  });
  try {
    if (!writerSession_) {
      writerSession_.emplace(db_.session());
      // A granted hit must survive a crash before the registry is called.
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
    if (!pg) {
      if (!prepared_) prepared_ = std::make_unique<store::SqliteStatements>(s);
      commitPrepared(batch);
      return;
    }
    s.begin();
    try {
      for (Pending* p : batch) {
        p->usedAfter = -1;
        Poco::Data::Statement st(s);
        // One atomic statement per request: insert the day's row with this hit, or add the
        // hit to the existing row only while it is under the limit. On PostgreSQL the
        // conflicting row is locked (until commit) and the WHERE re-checked on its latest
        // version; SQLite serialises writers. So callers on any number of hosts never spend
        // more than `limit` between them, and no row comes back once the limit is reached.
        if (p->limit) {
          st << db_.sql(
              "INSERT INTO quota_usage (agreement, user_id, day, used) VALUES (?, ?, ?, 1) "
              "ON CONFLICT (agreement, user_id, day) DO UPDATE "
              "SET used = quota_usage.used + 1 WHERE quota_usage.used < ? "
              "RETURNING used"),
              useRef(p->agreement), useRef(p->userId), useRef(p->day), useRef(*p->limit),
              into(p->usedAfter);
        } else {
          // Unlimited still counts: the semester report states usage.
          st << db_.sql(
              "INSERT INTO quota_usage (agreement, user_id, day, used) VALUES (?, ?, ?, 1) "
              "ON CONFLICT (agreement, user_id, day) DO UPDATE "
              "SET used = quota_usage.used + 1 RETURNING used"),
              useRef(p->agreement), useRef(p->userId), useRef(p->day), into(p->usedAfter);
        }
        st.execute();
      }
      s.commit();
    } catch (...) {
      try {
        if (s.isTransaction()) s.rollback();
      } catch (...) {
      }
      throw;
    }
  } catch (const std::exception& e) {
    // Rolled back: nobody in the batch holds a hit (fail closed, no registry call).
    prepared_.reset();
    writerSession_.reset();
    std::string why = e.what();
    if (const auto* pe = dynamic_cast<const Poco::Exception*>(&e)) why = pe->displayText();
    for (Pending* p : batch) {
      p->usedAfter = -1;
      p->error = storeError("reserve", why);
    }
  }
}

void QuotaLedger::commitPrepared(const std::vector<Pending*>& batch) {
  // The same statements as the PostgreSQL path below, prepared once on this connection.
  static const std::string kLimited =
      "INSERT INTO quota_usage (agreement, user_id, day, used) VALUES (?, ?, ?, 1) "
      "ON CONFLICT (agreement, user_id, day) DO UPDATE "
      "SET used = quota_usage.used + 1 WHERE quota_usage.used < ? RETURNING used";
  static const std::string kUnlimited =
      "INSERT INTO quota_usage (agreement, user_id, day, used) VALUES (?, ?, ?, 1) "
      "ON CONFLICT (agreement, user_id, day) DO UPDATE "
      "SET used = quota_usage.used + 1 RETURNING used";
  store::SqliteStatements& sql = *prepared_;
  sql.begin();
  try {
    for (Pending* p : batch) {
      p->usedAfter = -1;
      auto& st = sql(p->limit ? kLimited : kUnlimited);
      st.bind(1, p->agreement).bind(2, p->userId).bind(3, p->day);
      if (p->limit) st.bind(4, Poco::Int64(*p->limit));
      if (st.step()) p->usedAfter = int(st.int64At(0));
      st.run();
    }
    sql.commit();
  } catch (...) {
    sql.rollback();
    throw;
  }
}

Status QuotaLedger::release(Reservation& reservation) {
  if (reservation.released)
    return Error{"already_released", "Kuota untuk permintaan ini sudah dikembalikan",
                 "quota: reservation released twice"};
  const std::string dayText = reservation.day.iso();
  int usedAfter = -1;
  try {
    Poco::Data::Session s = db_.session();
    Poco::Data::Statement st(s);
    st << db_.sql(
        "UPDATE quota_usage SET used = used - 1 "
        "WHERE agreement = ? AND user_id = ? AND day = ? AND used > 0 RETURNING used"),
        useRef(reservation.agreement), useRef(reservation.userId), useRef(dayText), into(usedAfter);
    st.execute();
  } catch (const Poco::Exception& e) {
    return storeError("release", e.displayText());
  } catch (const std::exception& e) {
    return storeError("release", e.what());
  }
  if (usedAfter < 0)
    return Error{"reservation_not_found", "Catatan kuota untuk permintaan ini tidak ditemukan",
                 "quota: nothing to release for that agreement, user id and day"};
  reservation.released = true;
  reservation.usedAfter = usedAfter;
  return Status::Ok();
}

Result<int> QuotaLedger::used(const std::string& agreement, const std::string& userId,
                              const Date& day) {
  const std::string dayText = day.iso();
  int used = 0;
  try {
    Poco::Data::Session s = db_.session();
    Poco::Data::Statement st(s);
    st << db_.sql("SELECT used FROM quota_usage WHERE agreement = ? AND user_id = ? AND day = ?"),
        useRef(agreement), useRef(userId), useRef(dayText), into(used);
    st.execute();
  } catch (const Poco::Exception& e) {
    return storeError("used", e.displayText());
  } catch (const std::exception& e) {
    return storeError("used", e.what());
  }
  return used;
}

Result<std::optional<int>> QuotaLedger::remaining(const std::string& agreement,
                                                  const std::string& userId, const Date& day,
                                                  std::optional<int> limit) {
  Result<int> u = used(agreement, userId, day);
  if (!u.ok()) return u.error();
  if (!limit) return std::optional<int>{};
  return std::optional<int>{*limit > *u ? *limit - *u : 0};
}

}  // namespace gerbang::quota
