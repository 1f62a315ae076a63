// OutboxRepository: the durable outbox of accepted data-balikan records (issue 6 item 5,
// "nothing lost, nothing twice").
//
// One row per accepted record, keyed by an idempotency key (HMAC of agreement + record,
// computed by the intake; never the NIK). The payload is the record as the registry's
// data-balikan service wants it ({"NIK": ..., "param": [...]}): it holds the NIK because it is
// the data the agency must send back. Once the registry acknowledged the record, the payload
// is erased in the same transaction that records the receipt (delivered_at, the registry's
// message): the outbox keeps a receipt, not the data.
//
// States: pending → sending (claimed with a lease) → delivered | back to pending (retry at
// next_attempt_at) | failed_permanent (the registry refused the record itself). Every change
// is one statement or one transaction, so a `kill -9` at any moment leaves each row in a
// state the next process can continue from: a 'sending' row whose lease ran out is claimed
// again and re-sent; the receiver's duplicate answer ("Data sudah pernah dikirim") makes
// that safe.
//
// SQLite: each connection this repository uses runs with secure_delete on, so an erased
// payload is overwritten with zeros in the database file, and checkpoint() truncates the WAL,
// whose older frames would still hold it.
#pragma once

#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/store/database.hpp"

#include <Poco/Types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace gerbang::outbox {

enum class ItemStatus { kPending, kSending, kDelivered, kFailedPermanent };
// "pending" | "sending" | "delivered" | "failed_permanent"
const char* statusName(ItemStatus s);

// One outbox row. `payload` is empty once delivered (and in list(), which never returns it).
struct Item {
  Poco::Int64 id = 0;
  std::string agreement;
  std::string key;  // idempotency key: 64 lower-case hex digits
  std::string payload;
  ItemStatus status = ItemStatus::kPending;
  int attempts = 0;  // sends started (a claim counts as one)
  TimePoint createdAt;
  TimePoint nextAttemptAt;
  std::string lastError;  // operator text, never personal data
  std::optional<TimePoint> deliveredAt;
  std::string receipt;  // the registry's message on acknowledgement ("Success", ...)
};

struct EnqueueResult {
  Item item;
  bool created = false;  // false: a record with the same key was already in the outbox
};

struct OutboxCounts {
  int pending = 0;  // waiting, including retries
  int sending = 0;  // claimed by a worker (or left by a crashed one until its lease ends)
  int delivered = 0;
  int failed = 0;  // failed_permanent
};

class OutboxRepository {
 public:
  // Registers the "outbox" migrations on `db` (which must outlive this object). Throws at
  // startup when the store cannot be migrated.
  explicit OutboxRepository(store::Database& db);

  // Adds a record, due at once. When a row with this key exists, returns it unchanged
  // (created = false): the same record accepted twice is sent once. Errors:
  // "invalid_outbox_item" (empty agreement, key not 64 hex digits, empty payload),
  // "store_unavailable".
  Result<EnqueueResult> enqueue(const std::string& agreement, const std::string& key,
                                const std::string& payload, TimePoint now);

  // Claims up to `limit` rows of `agreement` (empty = any agreement) that are pending and
  // due (next_attempt_at <= now), or sending with an expired lease (left by a crash):
  // sets them 'sending', counts an attempt and leases them until now + lease. One
  // statement: two workers never claim the same row while its lease runs. Oldest first;
  // payloads included.
  Result<std::vector<Item>> claim(const std::string& agreement, int limit, TimePoint now,
                                  std::chrono::microseconds lease);

  // Acknowledged by the registry: status delivered, payload erased, receipt kept. Only a
  // row this worker holds ('sending') changes; returns the ids that changed.
  Result<std::vector<Poco::Int64>> markDelivered(const std::vector<Poco::Int64>& ids,
                                                 const std::string& receipt, TimePoint at);
  // Not delivered this time: back to pending, due at `nextAttempt`, with the reason.
  Status markRetry(Poco::Int64 id, TimePoint nextAttempt, const std::string& error);
  // The registry refused the record itself (not a transport problem): failed_permanent.
  // The payload is kept so an operator can correct and re-submit it.
  Status markFailed(Poco::Int64 id, const std::string& error);

  // Counts by status for `agreement` (empty = all).
  Result<OutboxCounts> counts(const std::string& agreement);
  // When the newest delivered row of `agreement` (empty = all) was acknowledged, or nullopt
  // when none was.
  Result<std::optional<TimePoint>> lastDeliveredAt(const std::string& agreement);
  // Rows of `agreement` (empty = all), oldest first, without payloads.
  Result<std::vector<Item>> list(const std::string& agreement, int limit = 100);
  // The row with this key, without payload, or nullopt.
  Result<std::optional<Item>> findByKey(const std::string& key);
  // The agreements that have work (pending or sending rows).
  Result<std::vector<std::string>> agreementsWithWork();

  // SQLite: folds the WAL into the database and truncates it, so frames holding erased
  // payloads leave the disk. PostgreSQL: nothing. Best effort (a busy reader may keep the
  // WAL); returns false when the WAL could not be truncated.
  bool checkpoint();

 private:
  Poco::Data::Session session();
  store::Database& db_;
};

}  // namespace gerbang::outbox
