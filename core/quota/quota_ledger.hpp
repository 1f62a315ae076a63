// QuotaLedger: the exact, durable daily quota of registry hits ("Hit NIK") per agreement,
// User ID and calendar day in Asia/Jakarta.
//
// Why it is built this way (issue 4 item 6; juknis quota clauses, e.g. Jawa Barat: 75 hits
// per day on a single User ID; Purbalingga: 200; Karanganyar: 1,000):
//  - A hit is reserved *before* the registry call, with one atomic conditional upsert in the
//    store, so concurrent callers (threads of this host, other processes, other hosts on
//    one PostgreSQL) can never spend more than the limit between them.
//  - The count lives in the store, so a restart keeps it; the day key is a Jakarta date, so
//    the quota resets at 00:00 WIB (17:00 UTC).
//  - Local refusals (format, pattern, validity) never call reserve(); a reservation is only
//    released when the request certainly never reached the registry. Anything that may have
//    reached it counts, because the registry counts it too.
//  - Unlimited agreements (limit nullopt, e.g. after a passed PoC) still count usage, for the
//    semester report.
//  - Durable group commit: reserve() queues its request and blocks; one writer thread runs
//    every queued upsert, in order, in one transaction (SQLite synchronous=FULL; PostgreSQL
//    synchronous_commit=on), commits, and only then answers. A granted reservation is on
//    disk before the registry is called, and concurrent lookups share one fsync.
#pragma once

#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/store/database.hpp"
#include "core/store/sqlite_statements.hpp"

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace gerbang::quota {

// One reserved hit. Obtained from reserve(); give it back to release() only when the
// request certainly never reached the registry.
struct Reservation {
  std::string agreement;
  std::string userId;
  Date day;
  int usedAfter = 0;         // hits used that day including this one
  std::optional<int> limit;  // the limit it was reserved against; nullopt = unlimited
  bool released = false;     // set by release()

  // Hits left that day after this one; nullopt when unlimited.
  std::optional<int> remaining() const {
    if (!limit) return std::nullopt;
    return *limit > usedAfter ? *limit - usedAfter : 0;
  }
};

class QuotaLedger {
 public:
  // Registers the "quota" migrations on `db` (which must outlive the ledger) and starts the
  // writer thread. Throws at startup when the store cannot be migrated.
  explicit QuotaLedger(store::Database& db);
  // Answers every queued reservation, then stops the writer.
  ~QuotaLedger();
  QuotaLedger(const QuotaLedger&) = delete;
  QuotaLedger& operator=(const QuotaLedger&) = delete;

  // Reserves one hit for (agreement, userId, day). With a limit, refuses with code
  // "quota_exhausted" ("Kuota akses hari ini telah habis") once `limit` hits are used that
  // day; a limit <= 0 refuses at once. A store failure answers "store_unavailable" (fail
  // closed: no reservation, no registry call). Thread- and process-safe.
  // `day` is Date::jakartaDayOf(clock.now()) of the attempt.
  Result<Reservation> reserve(const std::string& agreement, const std::string& userId,
                              const Date& day, std::optional<int> limit);

  // Gives back a reservation whose request certainly never reached the registry (e.g. the
  // connection was refused before anything was sent). Marks it released; a second release
  // of the same Reservation is refused ("already_released"). Never takes the count below
  // zero.
  Status release(Reservation& reservation);

  // Hits used that day (0 when none).
  Result<int> used(const std::string& agreement, const std::string& userId, const Date& day);

  // Hits left that day under `limit`; nullopt when unlimited.
  Result<std::optional<int>> remaining(const std::string& agreement, const std::string& userId,
                                       const Date& day, std::optional<int> limit);

 private:
  struct Pending;
  void writerLoop();
  void commitBatch(const std::vector<Pending*>& batch);
  // commitBatch on SQLite, with statements prepared once (prepared_). Throws on failure.
  void commitPrepared(const std::vector<Pending*>& batch);

  store::Database& db_;
  std::mutex mu_;
  std::condition_variable wake_;  // writer: work queued or stopping
  std::condition_variable done_;  // callers: their batch finished
  std::deque<Pending*> queue_;
  bool stopping_ = false;
  std::optional<Poco::Data::Session> writerSession_;  // writer thread only
  // SQLite: the writer's statements, prepared once (dropped before writerSession_).
  std::unique_ptr<store::SqliteStatements> prepared_;
  std::thread writer_;
};

}  // namespace gerbang::quota
