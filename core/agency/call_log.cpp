#include "core/agency/call_log.hpp"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

namespace gerbang::agency {
namespace {

using namespace Poco::Data::Keywords;

Error storeError(const std::exception& e) {
  // Poco's messages carry SQL and the ids we wrote, never population data.
  return Error{"store_unavailable", "Basis data tidak dapat diakses; coba lagi.",
               std::string("agency: call log: ") + e.what()};
}

}  // namespace

CallLog::CallLog(store::Database& db) : db_(db) {
  db_.migrate("agency", {"CREATE TABLE agency_route_calls ("
                         " id {AUTO_ID},"
                         " at_us {BIGINT} NOT NULL,"
                         " agreement_id VARCHAR(64) NOT NULL,"
                         " account VARCHAR(128) NOT NULL,"
                         " operator_id VARCHAR(64) NOT NULL,"
                         " route_id VARCHAR(64) NOT NULL,"
                         " method VARCHAR(8) NOT NULL,"
                         " http_status INTEGER NOT NULL,"
                         " outcome VARCHAR(40) NOT NULL,"
                         " dropped VARCHAR(500) NOT NULL)",
                         "CREATE INDEX agency_route_calls_by_agreement"
                         " ON agency_route_calls (agreement_id, id)"});
}

Status CallLog::append(const CallRecord& r) {
  try {
    Poco::Data::Session s = db_.session();
    Poco::Int64 at = Poco::Int64(r.at.time_since_epoch().count());
    std::string ag = r.agreementId, account = r.account.substr(0, 128),
                op = r.operatorId.substr(0, 64), route = r.routeId.substr(0, 64),
                method = r.method.substr(0, 8), outcome = r.outcome.substr(0, 40),
                dropped = r.dropped.substr(0, 500);
    int status = r.httpStatus;
    s << db_.sql("INSERT INTO agency_route_calls (at_us, agreement_id, account, operator_id, "
                 "route_id, method, http_status, outcome, dropped) VALUES (?, ?, ?, ?, ?, ?, ?, "
                 "?, ?)"),
        use(at), use(ag), use(account), use(op), use(route), use(method), use(status),
        use(outcome), use(dropped), now;
    return Status::Ok();
  } catch (const std::exception& e) {
    return storeError(e);
  }
}

Result<std::vector<CallRecord>> CallLog::recent(const std::string& agreementId, int limit) const {
  try {
    Poco::Data::Session s = db_.session();
    std::string ag = agreementId;
    Poco::Data::Statement st(s);
    st << db_.sql("SELECT id, at_us, agreement_id, account, operator_id, route_id, method, "
                  "http_status, outcome, dropped FROM agency_route_calls WHERE agreement_id = ? "
                  "ORDER BY id DESC LIMIT " +
                  std::to_string(limit)),
        use(ag);
    st.execute();
    Poco::Data::RecordSet rs(st);
    std::vector<CallRecord> out;
    for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
      CallRecord r;
      r.id = rs.value(0).convert<Poco::Int64>();
      r.at = TimePoint(std::chrono::microseconds(rs.value(1).convert<Poco::Int64>()));
      r.agreementId = rs.value(2).convert<std::string>();
      r.account = rs.value(3).convert<std::string>();
      r.operatorId = rs.value(4).convert<std::string>();
      r.routeId = rs.value(5).convert<std::string>();
      r.method = rs.value(6).convert<std::string>();
      r.httpStatus = rs.value(7).convert<int>();
      r.outcome = rs.value(8).convert<std::string>();
      r.dropped = rs.value(9).convert<std::string>();
      out.push_back(std::move(r));
    }
    return out;
  } catch (const std::exception& e) {
    return storeError(e);
  }
}

}  // namespace gerbang::agency
