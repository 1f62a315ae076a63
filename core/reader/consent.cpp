#include "core/reader/consent.hpp"

#include "core/reader/bytes.hpp"

#include <Poco/Data/Session.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <sstream>

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

namespace gerbang::reader {
namespace {

bool isNik(std::string_view s) {
  return s.size() == 16 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Whether `name` may be stored for `p` (same rule as minimise()).
bool permittedName(const std::string& name, const PermittedFields& p) {
  const bool alamat = contains(p.elements, "ALAMAT");
  for (const auto& e : kCardElements) {
    if (e.name != name) continue;
    if (e.addressPart) return alamat && contains(p.addressParts, name);
    if (e.name == "ALAMAT")
      return alamat && (p.addressParts.empty() || contains(p.addressParts, name));
    return contains(p.elements, name);
  }
  return false;
}

}  // namespace

Result<std::string> ConsentRepository::nikHmac(std::string_view nik,
                                               const std::string& agreementId) const {
  if (!isNik(nik))
    return Error{"nik_invalid", "NIK harus 16 angka.", "consent: NIK is not 16 digits"};
  return hasher_.hash(agreementId, nik);
}

ConsentRepository::ConsentRepository(store::Database& db, const audit::NikHasher& hasher,
                                     const Clock& clock)
    : db_(db), hasher_(hasher), clock_(clock) {
  db_.migrate("reader_consent",
              {"CREATE TABLE reader_consent ("
               " id {AUTO_ID},"
               " nik_hmac VARCHAR(64) NOT NULL,"
               " operator_id VARCHAR(128) NOT NULL,"
               " agreement_id VARCHAR(64) NOT NULL,"
               " consented_at {BIGINT} NOT NULL)",
               "CREATE INDEX reader_consent_nik ON reader_consent (nik_hmac, agreement_id)",
               "CREATE TABLE reader_card_data ("
               " id {AUTO_ID},"
               " consent_id {BIGINT} NOT NULL REFERENCES reader_consent (id),"
               " agreement_id VARCHAR(64) NOT NULL,"
               " operator_id VARCHAR(128) NOT NULL,"
               " card_uid VARCHAR(64) NOT NULL,"
               " sam_uid VARCHAR(64) NOT NULL,"
               " stored_at {BIGINT} NOT NULL,"
               " fields TEXT NOT NULL)"});
}

Result<Poco::Int64> ConsentRepository::recordConsent(std::string_view nik, const std::string& op,
                                                     const std::string& agreement) {
  auto hashed = nikHmac(nik, agreement);
  if (!hashed) return hashed.error();
  if (op.empty())
    return Error{"operator_missing", "Operator wajib dicatat pada persetujuan.",
                 "consent: no operator"};
  auto s = db_.session();
  std::string h = *hashed, o = op, a = agreement;
  Poco::Int64 at = clock_.now().time_since_epoch().count();
  s.begin();
  s << db_.sql(
      "INSERT INTO reader_consent (nik_hmac, operator_id, agreement_id, consented_at) "
      "VALUES (?, ?, ?, ?)"),
      use(h), use(o), use(a), use(at), now;
  Poco::Int64 id = 0;
  s << db_.sql("SELECT MAX(id) FROM reader_consent WHERE nik_hmac = ? AND agreement_id = ?"),
      use(h), use(a), into(id), now;
  s.commit();
  return id;
}

std::optional<ConsentRecord> ConsentRepository::findConsent(std::string_view nik,
                                                            const std::string& agreement) const {
  auto hashed = nikHmac(nik, agreement);
  if (!hashed) return std::nullopt;
  auto s = db_.session();
  std::string h = *hashed, a = agreement;
  std::vector<Poco::Int64> ids, ats;
  std::vector<std::string> ops;
  s << db_.sql(
      "SELECT id, operator_id, consented_at FROM reader_consent "
      "WHERE nik_hmac = ? AND agreement_id = ? ORDER BY id DESC"),
      use(h), use(a), into(ids), into(ops), into(ats), now;
  if (ids.empty()) return std::nullopt;
  return ConsentRecord{ids[0], h, ops[0], agreement, TimePoint{std::chrono::microseconds{ats[0]}}};
}

std::vector<ConsentRecord> ConsentRepository::consents(const std::string& agreement) const {
  auto s = db_.session();
  std::string a = agreement;
  std::vector<Poco::Int64> ids, ats;
  std::vector<std::string> hs, ops;
  s << db_.sql(
      "SELECT id, nik_hmac, operator_id, consented_at FROM reader_consent "
      "WHERE agreement_id = ? ORDER BY id"),
      use(a), into(ids), into(hs), into(ops), into(ats), now;
  std::vector<ConsentRecord> out;
  for (size_t i = 0; i < ids.size(); ++i)
    out.push_back({ids[i], hs[i], ops[i], agreement, TimePoint{std::chrono::microseconds{ats[i]}}});
  return out;
}

Result<Poco::Int64> ConsentRepository::storeCardRead(const CardRead& read, const std::string& op,
                                                     const std::string& agreement,
                                                     const PermittedFields& permitted) {
  auto nik = read.fields.find("NIK");
  if (nik == read.fields.end())
    return Error{"nik_missing", "Data kartu tanpa NIK tidak dapat disimpan.",
                 "card read has no NIK"};
  // 2025 juknis: card data may be stored only after the resident consents.
  auto consent = findConsent(nik->second, agreement);
  if (!consent)
    return Error{"consent_required",
                 "Data KTP-el tidak disimpan: belum ada persetujuan penduduk untuk PKS ini.",
                 "no consent recorded for this resident and agreement"};
  Poco::JSON::Object o;
  for (const auto& [name, value] : read.fields)
    if (permittedName(name, permitted)) o.set(name, value);
  std::ostringstream json;
  o.stringify(json);
  std::string fields = json.str(), a = agreement, opId = op, uid = read.cardUid, sam = read.samUid;
  Poco::Int64 cid = consent->id;
  Poco::Int64 at = clock_.now().time_since_epoch().count();
  auto s = db_.session();
  s.begin();
  s << db_.sql(
      "INSERT INTO reader_card_data (consent_id, agreement_id, operator_id, card_uid, "
      "sam_uid, stored_at, fields) VALUES (?, ?, ?, ?, ?, ?, ?)"),
      use(cid), use(a), use(opId), use(uid), use(sam), use(at), use(fields), now;
  Poco::Int64 id = 0;
  s << db_.sql("SELECT MAX(id) FROM reader_card_data WHERE consent_id = ?"), use(cid), into(id),
      now;
  s.commit();
  wipe(fields);
  return id;
}

std::optional<std::map<std::string, std::string>> ConsentRepository::storedFields(
    Poco::Int64 id) const {
  auto s = db_.session();
  std::vector<std::string> rows;
  Poco::Int64 i = id;
  s << db_.sql("SELECT fields FROM reader_card_data WHERE id = ?"), use(i), into(rows), now;
  if (rows.empty()) return std::nullopt;
  Poco::JSON::Parser p;
  auto obj = p.parse(rows[0]).extract<Poco::JSON::Object::Ptr>();
  std::map<std::string, std::string> out;
  for (const auto& k : obj->getNames()) out[k] = obj->getValue<std::string>(k);
  return out;
}

}  // namespace gerbang::reader
