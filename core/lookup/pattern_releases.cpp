#include "core/lookup/pattern_releases.hpp"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Data/Transaction.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include <unistd.h>

namespace gerbang::lookup {
namespace {

using namespace Poco::Data::Keywords;

Poco::Int64 micros(TimePoint t) { return Poco::Int64(t.time_since_epoch().count()); }

Error storeError(const std::exception& e) {
  // Poco's messages carry SQL and values we wrote (ids and reasons), never population data.
  return Error{"store_unavailable", "Basis data tidak dapat diakses; coba lagi.",
               std::string("lookup: pattern releases: ") + e.what()};
}

// Unique per call within this host (process id, thread, counter, time).
std::string claimToken() {
  static std::atomic<unsigned long> counter{0};
  return std::to_string(::getpid()) + "-" +
         std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()) % 1000000007) +
         "-" + std::to_string(counter.fetch_add(1)) + "-" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1000000007);
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

}  // namespace

PatternReleases::PatternReleases(store::Database& db) : db_(db) {
  db_.migrate("lookup",
              {"CREATE TABLE lookup_pattern_releases ("
               " id {AUTO_ID},"
               " operator_id VARCHAR(64) NOT NULL,"
               " supervisor_id VARCHAR(64) NOT NULL,"
               " reason VARCHAR(500) NOT NULL,"
               " created_at {BIGINT} NOT NULL,"
               " used_at {BIGINT})",
               "CREATE INDEX lookup_pattern_releases_pending"
               " ON lookup_pattern_releases (operator_id, used_at)",
               // Who took a release: the claim is written by the conditional UPDATE and read
               // back, since not every backend reports affected rows through Poco::Data.
               "ALTER TABLE lookup_pattern_releases ADD COLUMN claim VARCHAR(64)"});
}

Status PatternReleases::add(std::string_view operatorId, std::string_view supervisorId,
                            std::string_view reason, TimePoint at) {
  if (blank(reason) || reason.size() > 500)
    return Error{"release_invalid", "Alasan pelepasan wajib diisi (paling banyak 500 karakter).",
                 "reason blank or too long"};
  if (operatorId.empty() || supervisorId.empty() || operatorId == supervisorId)
    return Error{"release_invalid", "Penanggung jawab tidak boleh melepas blokir dirinya sendiri.",
                 "supervisor is the operator"};
  try {
    Poco::Data::Session s = db_.session();
    Poco::Data::Transaction tx(s);
    std::string op(operatorId), sup(supervisorId), why(reason);
    Poco::Int64 atUs = micros(at);
    // Replace a release not yet used: mark it used "by replacement" at the same instant.
    s << db_.sql("UPDATE lookup_pattern_releases SET used_at = ? WHERE operator_id = ? AND "
                 "used_at IS NULL"),
        use(atUs), use(op), now;
    s << db_.sql("INSERT INTO lookup_pattern_releases (operator_id, supervisor_id, reason, "
                 "created_at) VALUES (?, ?, ?, ?)"),
        use(op), use(sup), use(why), use(atUs), now;
    tx.commit();
    return Status::Ok();
  } catch (const std::exception& e) {
    return storeError(e);
  }
}

Result<std::optional<PatternRelease>> PatternReleases::take(std::string_view operatorId,
                                                            TimePoint at) {
  try {
    Poco::Data::Session s = db_.session();
    std::string op(operatorId);
    Poco::Int64 atUs = micros(at);
    // A few attempts: another process may take the same row between our read and update.
    for (int attempt = 0; attempt < 5; ++attempt) {
      std::vector<Poco::Int64> ids, created;
      std::vector<std::string> sups, reasons;
      s << db_.sql("SELECT id, supervisor_id, reason, created_at FROM lookup_pattern_releases "
                   "WHERE operator_id = ? AND used_at IS NULL ORDER BY id DESC"),
          use(op), into(ids), into(sups), into(reasons), into(created), now;
      if (ids.empty()) return std::optional<PatternRelease>();
      Poco::Int64 id = ids.front();
      std::string claim = claimToken();
      s << db_.sql("UPDATE lookup_pattern_releases SET used_at = ?, claim = ? WHERE id = ? AND "
                   "used_at IS NULL"),
          use(atUs), use(claim), use(id), Poco::Data::Keywords::now;
      Poco::Int64 mine = 0;
      s << db_.sql("SELECT COUNT(*) FROM lookup_pattern_releases WHERE id = ? AND claim = ?"),
          use(id), use(claim), into(mine), Poco::Data::Keywords::now;
      if (mine == 1) {
        PatternRelease r;
        r.id = id;
        r.operatorId = op;
        r.supervisorId = sups.front();
        r.reason = reasons.front();
        r.createdAt = TimePoint{std::chrono::microseconds{created.front()}};
        return std::optional<PatternRelease>(std::move(r));
      }
    }
    return std::optional<PatternRelease>();
  } catch (const std::exception& e) {
    return storeError(e);
  }
}

Result<bool> PatternReleases::pending(std::string_view operatorId) {
  try {
    Poco::Data::Session s = db_.session();
    std::string op(operatorId);
    Poco::Int64 n = 0;
    s << db_.sql("SELECT COUNT(*) FROM lookup_pattern_releases WHERE operator_id = ? AND "
                 "used_at IS NULL"),
        use(op), into(n), now;
    return n > 0;
  } catch (const std::exception& e) {
    return storeError(e);
  }
}

Result<std::vector<PatternReleases::Entry>> PatternReleases::list(
    const std::vector<std::string>& operatorIds, int limit) const {
  std::vector<Entry> out;
  if (operatorIds.empty() || limit < 1) return out;
  if (limit > 1000) limit = 1000;
  try {
    Poco::Data::Session s = db_.session();
    Poco::Data::Statement st(s);
    std::string text =
        "SELECT id, operator_id, supervisor_id, reason, created_at, COALESCE(used_at, -1),"
        " CASE WHEN claim IS NULL THEN 0 ELSE 1 END FROM lookup_pattern_releases"
        " WHERE operator_id IN (";
    for (size_t i = 0; i < operatorIds.size(); ++i) text += i ? ", ?" : "?";
    text += ") ORDER BY id DESC LIMIT ?";
    st << db_.sql(text);
    for (const auto& id : operatorIds) st, useRef(id);
    st, useRef(limit);
    std::vector<Poco::Int64> ids, created, used;
    std::vector<std::string> ops, sups, reasons;
    std::vector<int> claimed;
    st, into(ids), into(ops), into(sups), into(reasons), into(created), into(used),
        into(claimed);
    st.execute();
    for (size_t i = 0; i < ids.size(); ++i) {
      Entry e;
      e.release.id = ids[i];
      e.release.operatorId = ops[i];
      e.release.supervisorId = sups[i];
      e.release.reason = reasons[i];
      e.release.createdAt = TimePoint{std::chrono::microseconds{created[i]}};
      if (used[i] >= 0) {
        e.usedAt = TimePoint{std::chrono::microseconds{used[i]}};
        // take() writes a claim; add() replacing an unused release does not.
        e.state = claimed[i] ? Entry::State::kUsed : Entry::State::kReplaced;
      }
      out.push_back(std::move(e));
    }
    return out;
  } catch (const std::exception& e) {
    return storeError(e);
  }
}

}  // namespace gerbang::lookup
