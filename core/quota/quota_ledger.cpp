#include "core/quota/quota_ledger.hpp"

#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

using Poco::Data::Keywords::into;
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
}

Result<Reservation> QuotaLedger::reserve(const std::string& agreement, const std::string& userId,
                                         const Date& day, std::optional<int> limit) {
  if (limit && *limit <= 0) return exhausted(limit);
  const std::string dayText = day.iso();
  int usedAfter = -1;
  try {
    Poco::Data::Session s = db_.session();
    Poco::Data::Statement st(s);
    // One atomic statement: insert the day's row with this hit, or add the hit to the
    // existing row only while it is under the limit. On PostgreSQL the conflicting row is
    // locked and the WHERE re-checked on its latest version; SQLite serialises writers. So
    // concurrent callers on any number of hosts never spend more than `limit`, and no row
    // is returned when the limit is reached.
    if (limit) {
      st << db_.sql(
          "INSERT INTO quota_usage (agreement, user_id, day, used) VALUES (?, ?, ?, 1) "
          "ON CONFLICT (agreement, user_id, day) DO UPDATE "
          "SET used = quota_usage.used + 1 WHERE quota_usage.used < ? "
          "RETURNING used"),
          useRef(agreement), useRef(userId), useRef(dayText), useRef(*limit), into(usedAfter);
    } else {
      // Unlimited still counts: the semester report states usage.
      st << db_.sql(
          "INSERT INTO quota_usage (agreement, user_id, day, used) VALUES (?, ?, ?, 1) "
          "ON CONFLICT (agreement, user_id, day) DO UPDATE "
          "SET used = quota_usage.used + 1 RETURNING used"),
          useRef(agreement), useRef(userId), useRef(dayText), into(usedAfter);
    }
    st.execute();
  } catch (const Poco::Exception& e) {
    return storeError("reserve", e.displayText());
  } catch (const std::exception& e) {
    return storeError("reserve", e.what());
  }
  if (usedAfter < 0) return exhausted(limit);
  return Reservation{agreement, userId, day, usedAfter, limit, false};
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
