#include "core/obligation/obligation_repository.hpp"

#include "core/audit/crypto.hpp"

#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

#include <chrono>
#include <stdexcept>

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::useRef;

namespace gerbang::obligation {
namespace {

constexpr const char* kColumns =
    "id, agreement, nik_hmac, source, opened_at_us, due_day, status, balikan_record_id";

Error storeError(const std::string& what, const Poco::Exception& e) {
  return Error{"store_unavailable", "Penyimpanan data Gerbang tidak dapat diakses",
               "obligation: " + what + ": " + e.displayText()};
}

std::optional<Error> checkKey(const std::string& agreement, const std::string& nikHmac) {
  if (agreement.empty() || agreement.size() > 64)
    return Error{"invalid_obligation", "Perjanjian kerja sama tidak sah",
                 "obligation: agreement empty or over 64 characters"};
  // Only the keyed hash may be stored: a NIK (16 digits) or anything else is refused.
  if (!audit::isDigestHex(nikHmac))
    return Error{"invalid_nik_hmac", "Penanda penduduk tidak sah",
                 "obligation: nik_hmac is not 64 lower-case hex digits (pass NikHasher::hash "
                 "output)"};
  return std::nullopt;
}

ObligationStatus parseStatus(const std::string& s) {
  if (s == "fulfilled") return ObligationStatus::kFulfilled;
  if (s == "delivered") return ObligationStatus::kDelivered;
  return ObligationStatus::kOpen;
}

Poco::Int64 micros(TimePoint t) { return Poco::Int64(t.time_since_epoch().count()); }

struct Rows {
  std::vector<Poco::Int64> id, openedAt;
  std::vector<std::string> agreement, nik, source, due, status, record;

  void bind(Poco::Data::Statement& st) {
    st, into(id), into(agreement), into(nik), into(source), into(openedAt), into(due), into(status),
        into(record);
  }
  Obligation at(size_t i) const {
    Obligation o;
    o.id = id[i];
    o.agreement = agreement[i];
    o.nikHmac = nik[i];
    o.source = source[i] == "card" ? Source::kCard : Source::kLookup;
    o.openedAt = TimePoint{std::chrono::microseconds{openedAt[i]}};
    // Written by this repository as ISO dates; a row edited by hand into garbage reads as
    // the epoch day rather than throwing on the request path.
    o.due = Date::parseIso(due[i]).value_or(Date());
    o.status = parseStatus(status[i]);
    o.balikanRecordId = record[i];
    return o;
  }
};

}  // namespace

const char* sourceName(Source s) { return s == Source::kCard ? "card" : "lookup"; }

const char* statusName(ObligationStatus s) {
  switch (s) {
    case ObligationStatus::kOpen:
      return "open";
    case ObligationStatus::kFulfilled:
      return "fulfilled";
    case ObligationStatus::kDelivered:
      return "delivered";
  }
  return "open";
}

ObligationRepository::ObligationRepository(store::Database& db) : db_(db) {
  db_.migrate("obligation",
              {"CREATE TABLE obligation ("
               " id {AUTO_ID},"
               " agreement VARCHAR(64) NOT NULL,"
               " nik_hmac VARCHAR(64) NOT NULL,"
               " source VARCHAR(8) NOT NULL CHECK (source IN ('lookup', 'card')),"
               " opened_at_us {BIGINT} NOT NULL,"
               " due_day VARCHAR(10) NOT NULL,"  // Jakarta day, YYYY-MM-DD
               " status VARCHAR(10) NOT NULL CHECK (status IN ('open', 'fulfilled', 'delivered')),"
               " balikan_record_id VARCHAR(128) NOT NULL DEFAULT '',"
               " closed_at_us {BIGINT} NOT NULL DEFAULT 0,"
               " delivered_at_us {BIGINT} NOT NULL DEFAULT 0)",
               // At most one open obligation per person and agreement, on every host.
               "CREATE UNIQUE INDEX obligation_one_open ON obligation (agreement, nik_hmac) "
               "WHERE status = 'open'",
               "CREATE INDEX obligation_by_person ON obligation (agreement, nik_hmac)",
               "CREATE INDEX obligation_by_status ON obligation (agreement, status, due_day)"});
}

Result<Obligation> ObligationRepository::open(const std::string& agreement,
                                              const std::string& nikHmac, Source source,
                                              TimePoint openedAt, int dueDays) {
  if (auto e = checkKey(agreement, nikHmac)) return *e;
  if (dueDays < 0)
    return Error{"invalid_obligation", "Tenggat data balikan tidak sah",
                 "obligation: negative due days"};
  std::string src = sourceName(source);
  Poco::Int64 at = micros(openedAt);
  std::string due = Date::jakartaDayOf(openedAt).addDays(dueDays).iso();
  try {
    Poco::Data::Session s = db_.session();
    // Two rounds at most: a second only when another host closed the obligation between
    // our insert and our read.
    for (int round = 0; round < 2; ++round) {
      std::vector<Poco::Int64> inserted;
      {
        // The partial unique index turns a second open into a no-op, even when two hosts
        // race: the earliest open obligation stays.
        Poco::Data::Statement st(s);
        st << db_.sql(
            "INSERT INTO obligation (agreement, nik_hmac, source, opened_at_us, due_day,"
            " status) VALUES (?, ?, ?, ?, ?, 'open') ON CONFLICT DO NOTHING RETURNING id"),
            useRef(agreement), useRef(nikHmac), useRef(src), useRef(at), useRef(due),
            into(inserted);
        st.execute();
      }
      Rows rows;
      Poco::Data::Statement q(s);
      q << db_.sql(std::string("SELECT ") + kColumns +
                   " FROM obligation WHERE agreement = ? AND nik_hmac = ? AND status = 'open'"),
          useRef(agreement), useRef(nikHmac);
      rows.bind(q);
      q.execute();
      if (rows.id.empty()) continue;  // opened and closed elsewhere meanwhile: open again
      Obligation o = rows.at(0);
      o.created = !inserted.empty() && inserted[0] == o.id;
      return o;
    }
  } catch (const Poco::Exception& e) {
    return storeError("open", e);
  }
  return Error{"store_unavailable", "Penyimpanan data Gerbang tidak dapat diakses",
               "obligation: open: the open obligation vanished twice (concurrent closes)"};
}

void ObligationRepository::openWithin(store::WriterTransaction& tx, const std::string& agreement,
                                      const std::string& nikHmac, Source source,
                                      TimePoint openedAt, int dueDays) const {
  if (auto e = checkKey(agreement, nikHmac)) throw std::invalid_argument(e->detail);
  if (dueDays < 0) throw std::invalid_argument("obligation: negative due days");
  std::string src = sourceName(source);
  Poco::Int64 at = micros(openedAt);
  std::string due = Date::jakartaDayOf(openedAt).addDays(dueDays).iso();
  // The partial unique index turns a second open into a no-op.
  static const std::string kOpen =
      "INSERT INTO obligation (agreement, nik_hmac, source, opened_at_us, due_day, status)"
      " VALUES (?, ?, ?, ?, ?, 'open') ON CONFLICT DO NOTHING";
  if (tx.prepared != nullptr) {
    (*tx.prepared)(kOpen).bind(1, agreement).bind(2, nikHmac).bind(3, src).bind(4, at).bind(5, due).run();
    return;
  }
  Poco::Data::Statement st(tx.session);
  st << db_.sql(kOpen), useRef(agreement), useRef(nikHmac), useRef(src), useRef(at), useRef(due);
  st.execute();
}

Status ObligationRepository::close(const std::string& agreement, const std::string& nikHmac,
                                   const std::string& balikanRecordId, TimePoint at) {
  if (auto e = checkKey(agreement, nikHmac)) return *e;
  if (balikanRecordId.empty() || balikanRecordId.size() > 128)
    return Error{"invalid_obligation", "Nomor catatan data balikan tidak sah",
                 "obligation: balikan record id empty or over 128 characters"};
  Poco::Int64 atUs = micros(at);
  try {
    Poco::Data::Session s = db_.session();
    std::vector<Poco::Int64> closed;
    Poco::Data::Statement st(s);
    st << db_.sql(
        "UPDATE obligation SET status = 'fulfilled', balikan_record_id = ?,"
        " closed_at_us = ? WHERE agreement = ? AND nik_hmac = ? AND status = 'open'"
        " RETURNING id"),
        useRef(balikanRecordId), useRef(atUs), useRef(agreement), useRef(nikHmac), into(closed);
    st.execute();
    if (!closed.empty()) return Status::Ok();
  } catch (const Poco::Exception& e) {
    return storeError("close", e);
  }
  Result<bool> known = exists(agreement, nikHmac);
  if (!known.ok()) return known.error();
  if (!*known)
    return Error{"obligation_not_found",
                 "Penduduk ini tidak pernah diakses di bawah perjanjian ini; data balikan "
                 "ditolak",
                 "obligation: no access recorded for that person under the agreement"};
  return Error{"obligation_not_open", "Data balikan untuk penduduk ini sudah tercatat",
               "obligation: every obligation of that person is already fulfilled"};
}

Status ObligationRepository::markDelivered(const std::string& agreement,
                                           const std::string& balikanRecordId, TimePoint at) {
  Poco::Int64 atUs = micros(at);
  try {
    Poco::Data::Session s = db_.session();
    std::vector<Poco::Int64> done;
    Poco::Data::Statement st(s);
    st << db_.sql(
        "UPDATE obligation SET status = 'delivered', delivered_at_us = ?"
        " WHERE agreement = ? AND balikan_record_id = ? AND status = 'fulfilled'"
        " RETURNING id"),
        useRef(atUs), useRef(agreement), useRef(balikanRecordId), into(done);
    st.execute();
    if (done.empty())
      return Error{"obligation_not_found",
                   "Tidak ada kewajiban data balikan yang menunggu pengiriman untuk catatan ini",
                   "obligation: no fulfilled obligation for that balikan record"};
    return Status::Ok();
  } catch (const Poco::Exception& e) {
    return storeError("markDelivered", e);
  }
}

Result<bool> ObligationRepository::exists(const std::string& agreement,
                                          const std::string& nikHmac) {
  if (auto e = checkKey(agreement, nikHmac)) return *e;
  try {
    Poco::Data::Session s = db_.session();
    int n = 0;
    Poco::Data::Statement st(s);
    st << db_.sql("SELECT COUNT(*) FROM obligation WHERE agreement = ? AND nik_hmac = ?"),
        useRef(agreement), useRef(nikHmac), into(n);
    st.execute();
    return n > 0;
  } catch (const Poco::Exception& e) {
    return storeError("exists", e);
  }
}

Result<ObligationCounts> ObligationRepository::counts(const std::string& agreement,
                                                      const Date& today) {
  std::string todayText = today.iso();
  try {
    Poco::Data::Session s = db_.session();
    std::vector<std::string> status;
    std::vector<int> n;
    {
      Poco::Data::Statement st(s);
      st << db_.sql("SELECT status, COUNT(*) FROM obligation WHERE agreement = ? GROUP BY status"),
          useRef(agreement), into(status), into(n);
      st.execute();
    }
    ObligationCounts c;
    for (size_t i = 0; i < status.size(); ++i) {
      if (status[i] == "open")
        c.open = n[i];
      else if (status[i] == "fulfilled")
        c.fulfilled = n[i];
      else if (status[i] == "delivered")
        c.delivered = n[i];
    }
    Poco::Data::Statement st(s);
    // Due on day D means the balikan may still arrive on D; overdue from D + 1.
    st << db_.sql(
        "SELECT COUNT(*) FROM obligation WHERE agreement = ? AND status = 'open'"
        " AND due_day < ?"),
        useRef(agreement), useRef(todayText), into(c.overdue);
    st.execute();
    return c;
  } catch (const Poco::Exception& e) {
    return storeError("counts", e);
  }
}

Result<std::vector<Obligation>> ObligationRepository::list(const ObligationQuery& q) {
  if (q.limit < 1 || q.limit > 1000)
    return Error{"invalid_query", "Batas jumlah catatan harus 1 sampai 1000",
                 "obligation list: limit " + std::to_string(q.limit)};
  std::string text = std::string("SELECT ") + kColumns + " FROM obligation WHERE agreement = ?";
  std::string status = q.status ? statusName(*q.status) : "";
  std::string before = q.overdueAsOf ? q.overdueAsOf->iso() : "";
  int limit = q.limit;
  if (q.status) text += " AND status = ?";
  if (q.overdueAsOf) text += " AND status = 'open' AND due_day < ?";
  text += " ORDER BY id LIMIT ?";
  try {
    Poco::Data::Session s = db_.session();
    Poco::Data::Statement st(s);
    std::string agreement = q.agreement;
    st << db_.sql(text), useRef(agreement);
    if (q.status) st, useRef(status);
    if (q.overdueAsOf) st, useRef(before);
    st, useRef(limit);
    Rows rows;
    rows.bind(st);
    st.execute();
    std::vector<Obligation> out;
    for (size_t i = 0; i < rows.id.size(); ++i) out.push_back(rows.at(i));
    return out;
  } catch (const Poco::Exception& e) {
    return storeError("list", e);
  }
}

}  // namespace gerbang::obligation
