// ObligationRepository: the data-balikan ("return data") obligations (issue 4 item 9).
//
// Rule 5 of every agreement (e.g. PKS Jawa Barat juknis, balikan: Keterangan Pencari Kerja;
// Purbalingga juknis: web service to the registry office's data-balikan application): the
// agency must send data balikan for every person whose data it accessed, and card-reader use
// requires balikan too. So each person whose data was returned (a lookup answered with data,
// or a KTP-el read) opens an obligation, keyed by (agreement, NIK HMAC): never the NIK. It is
// due `balikan.due_days` after access (plugin policy), fulfilled when a balikan record is
// accepted for that person, and delivered when that record reached the registry.
//
// One open obligation per person and agreement: accessing the same person again while an
// obligation is open keeps the earliest one (and its due date). After it is fulfilled, a new
// access opens a new obligation (a new service event needs its own balikan). A partial
// unique index enforces this across threads and hosts.
#pragma once

#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/store/database.hpp"
#include "core/store/sqlite_statements.hpp"

#include <Poco/Types.h>

#include <optional>
#include <string>
#include <vector>

namespace gerbang::obligation {

enum class Source { kLookup, kCard };
enum class ObligationStatus { kOpen, kFulfilled, kDelivered };

const char* sourceName(Source s);            // "lookup" | "card"
const char* statusName(ObligationStatus s);  // "open" | "fulfilled" | "delivered"

struct Obligation {
  Poco::Int64 id = 0;
  std::string agreement;
  std::string nikHmac;  // NikHasher::hash() output
  Source source = Source::kLookup;
  TimePoint openedAt;
  Date due;  // Jakarta day by which the balikan is due
  ObligationStatus status = ObligationStatus::kOpen;
  std::string balikanRecordId;  // set when fulfilled
  bool created = false;         // open(): true when this call created it
};

struct ObligationCounts {
  int open = 0;       // open, including overdue
  int overdue = 0;    // open and past the due day
  int fulfilled = 0;  // balikan recorded, not yet delivered
  int delivered = 0;  // balikan delivered to the registry
};

// Filters for listing; unset = any. Oldest first.
struct ObligationQuery {
  std::string agreement;
  std::optional<ObligationStatus> status;
  std::optional<Date> overdueAsOf;  // only open obligations due before this day
  int limit = 100;                  // 1..1000
};

class ObligationRepository {
 public:
  // Registers the "obligation" migrations on `db` (which must outlive this object). Throws
  // at startup when the store cannot be migrated.
  explicit ObligationRepository(store::Database& db);

  // Opens an obligation for a person whose data was returned at `openedAt`, due `dueDays`
  // Jakarta days later; or, when one is already open for (agreement, nikHmac), returns that
  // one unchanged (created = false). Errors: "invalid_nik_hmac" (not 64 lower-case hex: the
  // NIK itself must never come here), "invalid_obligation" (empty agreement, negative
  // dueDays), "store_unavailable".
  Result<Obligation> open(const std::string& agreement, const std::string& nikHmac, Source source,
                          TimePoint openedAt, int dueDays);

  // Like open(), inside a transaction a writer owns on `tx` (a connection of the same
  // Database): the lookup pipeline opens the obligation in the audit record's transaction
  // (AuditLog::append with a companion), so the record of the returned data and the duty
  // it creates commit together or not at all. Already open → no change. Throws
  // std::invalid_argument on a malformed key (as open()'s errors) and Poco::Exception when
  // the store refuses.
  void openWithin(store::WriterTransaction& tx, const std::string& agreement,
                  const std::string& nikHmac, Source source, TimePoint openedAt,
                  int dueDays) const;

  // Marks the open obligation of (agreement, nikHmac) fulfilled by balikan record
  // `balikanRecordId`. Errors: "obligation_not_found" when that person was never accessed
  // under the agreement, "obligation_not_open" when their obligations are all fulfilled.
  Status close(const std::string& agreement, const std::string& nikHmac,
               const std::string& balikanRecordId, TimePoint at);

  // Marks fulfilled obligations of `agreement` whose balikan record is `balikanRecordId`
  // delivered (the record reached the registry). "obligation_not_found" when none matched.
  Status markDelivered(const std::string& agreement, const std::string& balikanRecordId,
                       TimePoint at);

  // True when any obligation (any status) exists for (agreement, nikHmac): the person's data
  // was accessed under this agreement. The balikan intake refuses records for anyone else.
  Result<bool> exists(const std::string& agreement, const std::string& nikHmac);

  // Counts by status for `agreement`; overdue relative to `today` (Clock::today()).
  Result<ObligationCounts> counts(const std::string& agreement, const Date& today);

  // Obligations matching `q`, oldest first.
  Result<std::vector<Obligation>> list(const ObligationQuery& q);

 private:
  store::Database& db_;
};

}  // namespace gerbang::obligation
