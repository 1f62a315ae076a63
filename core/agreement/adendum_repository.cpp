#include "core/agreement/adendum_repository.hpp"

#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

#include <stdexcept>

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

namespace gerbang::agreement {

namespace {

const std::string kCacheTopic = "agreement_adenda";

// Lists are stored comma-joined (element and part names never contain a comma); an empty
// text means "unchanged", which is unambiguous because a narrowed list is never empty.
std::string join(const std::optional<std::vector<std::string>>& v) {
  std::string out;
  if (!v) return out;
  for (const auto& s : *v) {
    if (!out.empty()) out += ',';
    out += s;
  }
  return out;
}

std::optional<std::vector<std::string>> split(const std::string& s) {
  if (s.empty()) return std::nullopt;
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t comma = s.find(',', start);
    out.push_back(s.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

Date parseStoredDate(const std::string& s) {
  auto d = Date::parseIso(s);
  if (!d)
    throw std::runtime_error("agreement store: malformed date '" + s + "' in agreement_adenda");
  return *d;
}

}  // namespace

AdendumRepository::AdendumRepository(store::Database& db) : db_(db) {
  // Dates are ISO text (they are Jakarta calendar days, not instants); quota 0 and empty
  // lists mean "unchanged", so no column needs NULL handling on either backend.
  db_.migrate("agreement", {"CREATE TABLE agreement_adenda ("
                            " id {AUTO_ID},"
                            " agency_id VARCHAR(64) NOT NULL,"
                            " number VARCHAR(128) NOT NULL,"
                            " adendum_date VARCHAR(10) NOT NULL,"
                            " new_end VARCHAR(10) NOT NULL DEFAULT '',"
                            " quota_per_day INTEGER NOT NULL DEFAULT 0,"
                            " poc_passed INTEGER NOT NULL DEFAULT 0,"
                            " elements TEXT NOT NULL DEFAULT '',"
                            " address_parts TEXT NOT NULL DEFAULT '',"
                            " recorded_by VARCHAR(128) NOT NULL,"
                            " recorded_at {BIGINT} NOT NULL,"
                            " UNIQUE (agency_id, number))"});
}

Result<Adendum> AdendumRepository::add(const Adendum& a) {
  std::string agency = a.agencyId;
  std::string number = a.number;
  std::string date = a.date.iso();
  std::string newEnd = a.newEnd ? a.newEnd->iso() : "";
  int quota = a.quotaPerDay.value_or(0);
  int poc = a.pocPassed ? 1 : 0;
  std::string elements = join(a.elements);
  std::string parts = join(a.addressParts);
  std::string by = a.recordedBy;
  Poco::Int64 at = a.recordedAt.time_since_epoch().count();
  auto duplicate = [&] {
    return Error{"adendum_duplicate",
                 "Adendum nomor " + a.number + " sudah tercatat untuk " + a.agencyId +
                     " / Adendum " + a.number + " is already recorded for " + a.agencyId,
                 ""};
  };
  // Whatever happens below, the next list() reads the store again.
  const store::Database::TouchOnExit touch(db_, kCacheTopic);
  try {
    Poco::Data::Session s = db_.session();
    int existing = 0;
    s << db_.sql("SELECT COUNT(*) FROM agreement_adenda WHERE agency_id = ? AND number = ?"),
        use(agency), use(number), into(existing), now;
    if (existing > 0) return duplicate();
    s << db_.sql(
        "INSERT INTO agreement_adenda (agency_id, number, adendum_date, new_end,"
        " quota_per_day, poc_passed, elements, address_parts, recorded_by, recorded_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        use(agency), use(number), use(date), use(newEnd), use(quota), use(poc), use(elements),
        use(parts), use(by), use(at), now;
    Poco::Int64 id = 0;
    s << db_.sql("SELECT id FROM agreement_adenda WHERE agency_id = ? AND number = ?"), use(agency),
        use(number), into(id), now;
    Adendum out = a;
    out.id = id;
    return out;
  } catch (const Poco::Exception& e) {
    // A concurrent recorder may have won the UNIQUE race between the check and the insert.
    try {
      Poco::Data::Session s = db_.session();
      int existing = 0;
      s << db_.sql("SELECT COUNT(*) FROM agreement_adenda WHERE agency_id = ? AND number = ?"),
          use(agency), use(number), into(existing), now;
      if (existing > 0) return duplicate();
    } catch (const Poco::Exception&) {
    }
    return Error{"store_error", "Adendum tidak dapat disimpan / the Adendum could not be stored",
                 e.displayText()};
  }
}

std::vector<Adendum> AdendumRepository::list(const std::string& agencyId) const {
  const uint64_t generation = db_.generation(kCacheTopic);
  if (auto hit = cache_.get(agencyId, generation)) return std::move(*hit);
  std::vector<Adendum> out = read(agencyId);
  cache_.put(agencyId, out, generation);
  return out;
}

std::vector<Adendum> AdendumRepository::read(const std::string& agencyId) const {
  std::string agency = agencyId;
  std::vector<Poco::Int64> ids, ats;
  std::vector<std::string> numbers, dates, ends, elements, parts, bys;
  std::vector<int> quotas, pocs;
  try {
    Poco::Data::Session s = db_.session();
    s << db_.sql(
        "SELECT id, number, adendum_date, new_end, quota_per_day, poc_passed, elements,"
        " address_parts, recorded_by, recorded_at FROM agreement_adenda"
        " WHERE agency_id = ? ORDER BY adendum_date, id"),
        use(agency), into(ids), into(numbers), into(dates), into(ends), into(quotas), into(pocs),
        into(elements), into(parts), into(bys), into(ats), now;
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("agreement store: cannot read adenda: " + e.displayText());
  }
  std::vector<Adendum> out;
  out.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    Adendum a;
    a.id = ids[i];
    a.agencyId = agencyId;
    a.number = numbers[i];
    a.date = parseStoredDate(dates[i]);
    if (!ends[i].empty()) a.newEnd = parseStoredDate(ends[i]);
    if (quotas[i] > 0) a.quotaPerDay = quotas[i];
    a.pocPassed = pocs[i] != 0;
    a.elements = split(elements[i]);
    a.addressParts = split(parts[i]);
    a.recordedBy = bys[i];
    a.recordedAt = TimePoint{std::chrono::microseconds{ats[i]}};
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace gerbang::agreement
