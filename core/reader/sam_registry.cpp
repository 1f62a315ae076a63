#include "core/reader/sam_registry.hpp"

#include <Poco/Data/Session.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Nullable.h>

#include <sstream>

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

namespace gerbang::reader {
namespace {

SamRecord toRecord(const std::string& uid, const std::string& agreement, const std::string& act,
                   const Poco::Nullable<std::string>& deact) {
  SamRecord r;
  r.samUid = uid;
  r.agreementId = agreement;
  r.activated = Date::parseIso(act).value_or(Date{});
  if (!deact.isNull()) r.deactivated = Date::parseIso(deact.value());
  return r;
}

}  // namespace

SamRepository::SamRepository(store::Database& db) : db_(db) {
  db_.migrate("reader_sam", {"CREATE TABLE reader_sam ("
                             " sam_uid VARCHAR(64) PRIMARY KEY,"
                             " agreement_id VARCHAR(64) NOT NULL,"
                             " activated VARCHAR(10) NOT NULL,"
                             " deactivated VARCHAR(10))"});
}

Status SamRepository::activate(const std::string& uid, const std::string& agreement,
                               const Date& day) {
  auto existing = find(uid);
  if (existing && !existing->deactivated)
    return Error{"sam_exists", "SAM ini sudah tercatat aktif.", "SAM " + uid + " already active"};
  auto s = db_.session();
  std::string act = day.iso();
  std::string u = uid, a = agreement;
  if (existing) {
    s << db_.sql(
        "UPDATE reader_sam SET agreement_id = ?, activated = ?, deactivated = NULL "
        "WHERE sam_uid = ?"),
        use(a), use(act), use(u), now;
  } else {
    s << db_.sql("INSERT INTO reader_sam (sam_uid, agreement_id, activated) VALUES (?, ?, ?)"),
        use(u), use(a), use(act), now;
  }
  return Status::Ok();
}

Status SamRepository::deactivate(const std::string& uid, const Date& day) {
  if (!find(uid)) return Error{"sam_unknown", "SAM tidak tercatat.", "SAM " + uid + " unknown"};
  auto s = db_.session();
  std::string d = day.iso(), u = uid;
  s << db_.sql("UPDATE reader_sam SET deactivated = ? WHERE sam_uid = ?"), use(d), use(u), now;
  return Status::Ok();
}

std::optional<SamRecord> SamRepository::find(const std::string& uid) const {
  auto s = db_.session();
  std::string u = uid, agreement, act;
  Poco::Nullable<std::string> deact;
  Poco::Data::Statement st(s);
  st << db_.sql("SELECT agreement_id, activated, deactivated FROM reader_sam WHERE sam_uid = ?"),
      use(u), into(agreement), into(act), into(deact);
  if (st.execute() == 0) return std::nullopt;
  return toRecord(uid, agreement, act, deact);
}

std::vector<SamRecord> SamRepository::forAgreement(const std::string& agreementId) const {
  auto s = db_.session();
  std::string a = agreementId;
  std::vector<std::string> uids, acts;
  std::vector<Poco::Nullable<std::string>> deacts;
  s << db_.sql(
      "SELECT sam_uid, activated, deactivated FROM reader_sam WHERE agreement_id = ? "
      "ORDER BY sam_uid"),
      use(a), into(uids), into(acts), into(deacts), now;
  std::vector<SamRecord> out;
  for (size_t i = 0; i < uids.size(); ++i)
    out.push_back(toRecord(uids[i], agreementId, acts[i], deacts[i]));
  return out;
}

Status SamRepository::authorizeUse(const std::string& uid, const std::string& agreementId,
                                   const AgreementTerm& term, const Date& today) const {
  // Rule 8: no access after the term (unless an Adendum moved term.end).
  if (!term.active || today > term.end)
    return Error{"agreement_ended", kSamEndDuty,
                 "agreement " + agreementId + " ended " + term.end.iso() +
                     (term.active ? "" : " (inactive)")};
  auto r = find(uid);
  if (!r)
    return Error{"sam_not_activated",
                 "SAM di pembaca belum tercatat diaktivasi untuk PKS ini; catat aktivasi SAM "
                 "terlebih dahulu.",
                 "SAM " + uid + " not recorded"};
  if (r->deactivated)
    return Error{"sam_deactivated", "SAM ini telah dinonaktifkan dan tidak boleh dipakai.",
                 "SAM " + uid + " deactivated " + r->deactivated->iso()};
  if (r->agreementId != agreementId)
    return Error{"sam_other_agreement", "SAM ini diaktivasi untuk PKS lain.",
                 "SAM " + uid + " belongs to " + r->agreementId + ", not " + agreementId};
  return Status::Ok();
}

Result<std::string> SamRepository::bastJson(const std::string& uid, const AgreementTerm& term,
                                            const Date& handoverDate) const {
  auto r = find(uid);
  if (!r) return Error{"sam_unknown", "SAM tidak tercatat.", "SAM " + uid + " unknown"};
  Poco::JSON::Object o;
  o.set("document", "BAST pengembalian konfigurasi SAM");
  o.set("sam_uid", r->samUid);
  o.set("agreement_id", r->agreementId);
  o.set("activated", r->activated.iso());
  o.set("agreement_end", term.end.iso());
  o.set("handover_date", handoverDate.iso());
  Poco::JSON::Array duties;
  duties.add("Mengembalikan konfigurasi SAM kepada Dinas Dukcapil");
  duties.add("Menonaktifkan SAM dan pembaca KTP-el");
  o.set("duties", duties);
  o.set("status", r->deactivated ? "deactivated" : "active");
  if (r->deactivated) o.set("deactivated", r->deactivated->iso());
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

}  // namespace gerbang::reader
