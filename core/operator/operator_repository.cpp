#include "core/operator/operator_repository.hpp"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

#include <algorithm>
#include <cctype>

using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

namespace gerbang::op {
namespace {

// Read-cache topic of everything authorize() depends on (operators, memberships, NDAs,
// SPTJMs).
const std::string kCacheTopic = "operator";

const std::vector<std::string> kMigrations{
    // password_hash: placeholder for the web app's login (nullable until it exists).
    "CREATE TABLE operators ("
    " id {AUTO_ID},"
    " user_id VARCHAR(64) NOT NULL UNIQUE,"
    " nik VARCHAR(16) NOT NULL DEFAULT '',"
    " full_name VARCHAR(200) NOT NULL,"
    " nip VARCHAR(18) NOT NULL DEFAULT '',"
    " employment_status VARCHAR(100) NOT NULL DEFAULT '',"
    " job_position VARCHAR(200) NOT NULL DEFAULT '',"
    " office_region_code VARCHAR(16) NOT NULL DEFAULT '',"
    " office_name VARCHAR(200) NOT NULL DEFAULT '',"
    " office_address VARCHAR(500) NOT NULL DEFAULT '',"
    " role VARCHAR(16) NOT NULL,"
    " active INTEGER NOT NULL,"
    " nda_number VARCHAR(100) NOT NULL DEFAULT '',"
    " nda_date VARCHAR(10) NOT NULL DEFAULT '',"
    " password_hash VARCHAR(255))",
    "CREATE TABLE operator_agreements ("
    " user_id VARCHAR(64) NOT NULL,"
    " agreement_id VARCHAR(64) NOT NULL,"
    " PRIMARY KEY (user_id, agreement_id))",
    "CREATE TABLE agreement_sptjm ("
    " agreement_id VARCHAR(64) PRIMARY KEY,"
    " sptjm_number VARCHAR(100) NOT NULL,"
    " sptjm_date VARCHAR(10) NOT NULL,"
    " signer_name VARCHAR(200) NOT NULL,"
    " signer_position VARCHAR(200) NOT NULL)",
};

constexpr std::string_view kColumns =
    "user_id, nik, full_name, nip, employment_status, job_position, office_region_code, "
    "office_name, office_address, role, active, nda_number, nda_date";

// One write transaction. On SQLite it is BEGIN IMMEDIATE: a deferred transaction that
// reads before writing fails at once with SQLITE_BUSY when another writer got there first
// (the busy timeout does not apply to the lock upgrade); taking the write lock up front
// makes concurrent writers queue instead. Rolls back when left without commit(), so the
// pooled session goes back clean.
class TxGuard {
 public:
  TxGuard(Poco::Data::Session& s, const store::Database& db)
      : s_(s), sqlite_(db.backend() == store::Backend::kSqlite) {
    if (sqlite_)
      s_ << "BEGIN IMMEDIATE", now;
    else
      s_.begin();
  }
  ~TxGuard() {
    if (done_) return;
    try {
      if (sqlite_)
        s_ << "ROLLBACK", now;
      else if (s_.isTransaction())
        s_.rollback();
    } catch (...) {  // NOLINT(bugprone-empty-catch): the original error is reported
    }
  }
  void commit() {
    if (sqlite_)
      s_ << "COMMIT", now;
    else
      s_.commit();
    done_ = true;
  }
  TxGuard(const TxGuard&) = delete;
  TxGuard& operator=(const TxGuard&) = delete;

 private:
  Poco::Data::Session& s_;
  const bool sqlite_;
  bool done_ = false;
};

Error storeError(const Poco::Exception& e) {
  return Error{"store_unavailable", "Basis data Gerbang tidak dapat diakses; pencarian dihentikan.",
               "operator store: " + e.displayText()};
}

Error invalid(std::string_view label, std::string_view why, std::string_view field) {
  return Error{"operator_invalid", std::string(label) + " " + std::string(why) + ".",
               "operator: field " + std::string(field) + " is invalid"};
}

Error unknownOperator() {
  return Error{"operator_unknown", "Operator tidak terdaftar di Gerbang.",
               "no operator with this user id"};
}

bool allDigits(std::string_view s, size_t n) {
  return s.size() == n &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool validUserId(std::string_view s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
}

bool validAgreementId(std::string_view s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// "33", "3303", "33.03", "330301", "33.03.01", "33.03.01.2001", "3303012001".
bool validRegionCode(std::string_view s) {
  std::string digits;
  size_t groups = 0, inGroup = 0;
  const size_t sizes[] = {2, 2, 2, 4};
  const bool dotted = s.find('.') != std::string_view::npos;
  for (char c : s) {
    if (c == '.') {
      if (groups >= 3 || inGroup != sizes[groups]) return false;
      ++groups;
      inGroup = 0;
    } else if (c >= '0' && c <= '9') {
      digits += c;
      ++inGroup;
    } else {
      return false;
    }
  }
  if (dotted) return groups < 4 && inGroup == sizes[groups];
  return digits.size() == 2 || digits.size() == 4 || digits.size() == 6 || digits.size() == 10;
}

bool hasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) == 0x7f;
  });
}

// Checks lengths against the columns and refuses control characters (the values are
// printed on forms and screens).
Status checkText(std::string_view value, size_t max, std::string_view label,
                 std::string_view field) {
  if (value.size() > max)
    return invalid(label, "terlalu panjang (paling banyak " + std::to_string(max) + " karakter)",
                   field);
  if (hasControl(value)) return invalid(label, "memuat karakter yang tidak diizinkan", field);
  return Status::Ok();
}

Status validate(const Operator& op) {
  if (!validUserId(op.userId))
    return invalid("User ID aplikasi",
                   "harus 1-64 karakter huruf, angka, titik, garis bawah atau "
                   "tanda hubung",
                   "user_id");
  if (op.fullName.find_first_not_of(' ') == std::string::npos)
    return invalid("Nama lengkap", "wajib diisi", "full_name");
  if (!op.nik.empty() && !allDigits(op.nik, 16))
    return invalid("NIK operator", "harus 16 digit angka", "nik");
  if (!op.nip.empty() && !allDigits(op.nip, 18))
    return invalid("NIP", "harus 18 digit angka", "nip");
  if (!op.officeRegionCode.empty() && !validRegionCode(op.officeRegionCode))
    return invalid("Kode wilayah kantor", "tidak sesuai format kode wilayah Kemendagri",
                   "office_region_code");
  struct {
    const std::string& v;
    size_t max;
    const char* label;
    const char* field;
  } texts[] = {{op.fullName, 200, "Nama lengkap", "full_name"},
               {op.employmentStatus, 100, "Status kepegawaian", "employment_status"},
               {op.position, 200, "Jabatan", "job_position"},
               {op.officeName, 200, "Nama kantor", "office_name"},
               {op.officeAddress, 500, "Alamat kantor", "office_address"}};
  for (const auto& t : texts)
    if (Status s = checkText(t.v, t.max, t.label, t.field); !s.ok()) return s;
  for (const auto& a : op.agreements)
    if (!validAgreementId(a))
      return invalid("Perjanjian", "harus berupa id agensi plugin ([a-z0-9-])", "agreements");
  if (op.nda) {
    if (op.nda->number.find_first_not_of(' ') == std::string::npos)
      return invalid("Nomor NDA", "wajib diisi bila NDA dicatat", "nda_number");
    if (Status s = checkText(op.nda->number, 100, "Nomor NDA", "nda_number"); !s.ok()) return s;
  }
  return Status::Ok();
}

std::string text(const Poco::Data::RecordSet& rs, size_t col, size_t row) {
  Poco::Dynamic::Var v = rs.value(col, row);
  return v.isEmpty() ? std::string() : v.convert<std::string>();
}

Operator readOperator(const Poco::Data::RecordSet& rs, size_t row) {
  Operator op;
  op.userId = text(rs, 0, row);
  op.nik = text(rs, 1, row);
  op.fullName = text(rs, 2, row);
  op.nip = text(rs, 3, row);
  op.employmentStatus = text(rs, 4, row);
  op.position = text(rs, 5, row);
  op.officeRegionCode = text(rs, 6, row);
  op.officeName = text(rs, 7, row);
  op.officeAddress = text(rs, 8, row);
  op.role = parseRole(text(rs, 9, row)).value_or(Role::kOperator);
  op.active = rs.value(10, row).convert<int>() != 0;
  const std::string ndaNumber = text(rs, 11, row);
  if (!ndaNumber.empty()) {
    // Written by recordNda()/add() from a Date, so it parses; an edited row without a
    // valid date counts as no NDA (fail closed).
    if (auto d = Date::parseIso(text(rs, 12, row))) op.nda = Nda{ndaNumber, *d};
  }
  return op;
}

std::vector<std::string> agreementsOf(Poco::Data::Session& s, const store::Database& db,
                                      std::string userId) {
  std::vector<std::string> out;
  s << db.sql(
      "SELECT agreement_id FROM operator_agreements WHERE user_id = ? "
      "ORDER BY agreement_id"),
      use(userId), Poco::Data::Keywords::into(out), now;
  return out;
}

}  // namespace

std::string_view roleName(Role role) {
  switch (role) {
    case Role::kOperator:
      return "operator";
    case Role::kSupervisor:
      return "supervisor";
    case Role::kAdmin:
      return "admin";
  }
  return "operator";
}

std::optional<Role> parseRole(std::string_view name) {
  if (name == "operator") return Role::kOperator;
  if (name == "supervisor") return Role::kSupervisor;
  if (name == "admin") return Role::kAdmin;
  return std::nullopt;
}

OperatorRepository::OperatorRepository(store::Database& db) : db_(db) {
  db_.migrate("operator", kMigrations);
}

Status OperatorRepository::add(const Operator& op) {
  const store::Database::TouchOnExit touch(db_, kCacheTopic);
  if (Status v = validate(op); !v.ok()) return v;
  try {
    Poco::Data::Session s = db_.session();
    std::string userId = op.userId, nik = op.nik, fullName = op.fullName, nip = op.nip,
                status = op.employmentStatus, position = op.position, region = op.officeRegionCode,
                officeName = op.officeName, officeAddress = op.officeAddress,
                role(roleName(op.role)), ndaNumber = op.nda ? op.nda->number : "",
                ndaDate = op.nda ? op.nda->date.iso() : "";
    int active = op.active ? 1 : 0;
    TxGuard tx(s, db_);
    int existing = 0;
    s << db_.sql("SELECT COUNT(*) FROM operators WHERE user_id = ?"), use(userId),
        Poco::Data::Keywords::into(existing), now;
    if (existing != 0) {
      return Error{"operator_exists", "User ID aplikasi sudah dipakai operator lain.",
                   "operator: user id already exists"};
    }
    s << db_.sql("INSERT INTO operators (" + std::string(kColumns) +
                 ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        use(userId), use(nik), use(fullName), use(nip), use(status), use(position), use(region),
        use(officeName), use(officeAddress), use(role), use(active), use(ndaNumber), use(ndaDate),
        now;
    std::vector<std::string> agreements = op.agreements;
    std::sort(agreements.begin(), agreements.end());
    agreements.erase(std::unique(agreements.begin(), agreements.end()), agreements.end());
    for (std::string a : agreements)
      s << db_.sql("INSERT INTO operator_agreements (user_id, agreement_id) VALUES (?, ?)"),
          use(userId), use(a), now;
    tx.commit();
    return Status::Ok();
  } catch (const Poco::Exception& e) {
    // A concurrent add() of the same user id loses on the UNIQUE constraint.
    if (auto again = find(op.userId); again.ok())
      return Error{"operator_exists", "User ID aplikasi sudah dipakai operator lain.",
                   "operator: user id already exists"};
    return storeError(e);
  }
}

Result<Operator> OperatorRepository::find(std::string_view userId) const {
  try {
    Poco::Data::Session s = db_.session();
    std::string id(userId);
    Poco::Data::Statement st(s);
    st << db_.sql("SELECT " + std::string(kColumns) + " FROM operators WHERE user_id = ?"), use(id);
    st.execute();
    Poco::Data::RecordSet rs(st);
    if (rs.rowCount() == 0) return unknownOperator();
    Operator op = readOperator(rs, 0);
    op.agreements = agreementsOf(s, db_, op.userId);
    return op;
  } catch (const Poco::Exception& e) {
    return storeError(e);
  }
}

Result<std::vector<Operator>> OperatorRepository::list() const {
  try {
    Poco::Data::Session s = db_.session();
    Poco::Data::Statement st(s);
    st << "SELECT " + std::string(kColumns) + " FROM operators ORDER BY user_id";
    st.execute();
    Poco::Data::RecordSet rs(st);
    std::vector<Operator> out;
    for (size_t row = 0; row < rs.rowCount(); ++row) {
      out.push_back(readOperator(rs, row));
      out.back().agreements = agreementsOf(s, db_, out.back().userId);
    }
    return out;
  } catch (const Poco::Exception& e) {
    return storeError(e);
  }
}

Status OperatorRepository::setActive(std::string_view userId, bool active) {
  const store::Database::TouchOnExit touch(db_, kCacheTopic);
  try {
    Poco::Data::Session s = db_.session();
    std::string id(userId);
    int flag = active ? 1 : 0;
    Poco::Data::Statement st(s);
    st << db_.sql("UPDATE operators SET active = ? WHERE user_id = ?"), use(flag), use(id);
    if (st.execute() == 0) return unknownOperator();
    return Status::Ok();
  } catch (const Poco::Exception& e) {
    return storeError(e);
  }
}

Status OperatorRepository::recordNda(std::string_view userId, const Nda& nda) {
  const store::Database::TouchOnExit touch(db_, kCacheTopic);
  if (nda.number.find_first_not_of(' ') == std::string::npos)
    return invalid("Nomor NDA", "wajib diisi", "nda_number");
  if (Status s = checkText(nda.number, 100, "Nomor NDA", "nda_number"); !s.ok()) return s;
  try {
    Poco::Data::Session s = db_.session();
    std::string id(userId), number = nda.number, date = nda.date.iso();
    Poco::Data::Statement st(s);
    st << db_.sql("UPDATE operators SET nda_number = ?, nda_date = ? WHERE user_id = ?"),
        use(number), use(date), use(id);
    if (st.execute() == 0) return unknownOperator();
    return Status::Ok();
  } catch (const Poco::Exception& e) {
    return storeError(e);
  }
}

Status OperatorRepository::addAgreement(std::string_view userId, std::string_view agreementId) {
  const store::Database::TouchOnExit touch(db_, kCacheTopic);
  if (!validAgreementId(agreementId))
    return invalid("Perjanjian", "harus berupa id agensi plugin ([a-z0-9-])", "agreements");
  auto op = find(userId);
  if (!op.ok()) return op.error();
  if (std::find(op->agreements.begin(), op->agreements.end(), agreementId) != op->agreements.end())
    return Status::Ok();
  try {
    Poco::Data::Session s = db_.session();
    std::string id(userId), a(agreementId);
    s << db_.sql("INSERT INTO operator_agreements (user_id, agreement_id) VALUES (?, ?)"), use(id),
        use(a), now;
    return Status::Ok();
  } catch (const Poco::Exception& e) {
    // Lost a race with the same insert: the membership exists, which is what was asked.
    if (auto again = find(userId);
        again.ok() && std::find(again->agreements.begin(), again->agreements.end(), agreementId) !=
                          again->agreements.end())
      return Status::Ok();
    return storeError(e);
  }
}

Status OperatorRepository::removeAgreement(std::string_view userId, std::string_view agreementId) {
  const store::Database::TouchOnExit touch(db_, kCacheTopic);
  auto op = find(userId);
  if (!op.ok()) return op.error();
  try {
    Poco::Data::Session s = db_.session();
    std::string id(userId), a(agreementId);
    s << db_.sql("DELETE FROM operator_agreements WHERE user_id = ? AND agreement_id = ?"), use(id),
        use(a), now;
    return Status::Ok();
  } catch (const Poco::Exception& e) {
    return storeError(e);
  }
}

Status OperatorRepository::recordSptjm(const Sptjm& sp) {
  const store::Database::TouchOnExit touch(db_, kCacheTopic);
  const auto bad = [](std::string_view label, std::string_view field) {
    return Error{"sptjm_invalid", std::string(label) + " SPTJM wajib diisi.",
                 "sptjm: field " + std::string(field) + " is empty or invalid"};
  };
  if (!validAgreementId(sp.agreementId)) return bad("Perjanjian", "agreement_id");
  const std::pair<const std::string*, std::pair<const char*, const char*>> fields[] = {
      {&sp.number, {"Nomor", "sptjm_number"}},
      {&sp.signerName, {"Nama penandatangan", "signer_name"}},
      {&sp.signerPosition, {"Jabatan penandatangan", "signer_position"}}};
  for (const auto& [v, names] : fields)
    if (v->find_first_not_of(' ') == std::string::npos || v->size() > 200 || hasControl(*v))
      return bad(names.first, names.second);
  try {
    Poco::Data::Session s = db_.session();
    std::string a = sp.agreementId, number = sp.number, date = sp.date.iso(), name = sp.signerName,
                position = sp.signerPosition;
    TxGuard tx(s, db_);
    s << db_.sql("DELETE FROM agreement_sptjm WHERE agreement_id = ?"), use(a), now;
    s << db_.sql(
        "INSERT INTO agreement_sptjm (agreement_id, sptjm_number, sptjm_date, "
        "signer_name, signer_position) VALUES (?, ?, ?, ?, ?)"),
        use(a), use(number), use(date), use(name), use(position), now;
    tx.commit();
    return Status::Ok();
  } catch (const Poco::Exception& e) {
    return storeError(e);
  }
}

Result<Sptjm> OperatorRepository::sptjm(std::string_view agreementId) const {
  try {
    Poco::Data::Session s = db_.session();
    std::string a(agreementId);
    Poco::Data::Statement st(s);
    st << db_.sql(
        "SELECT sptjm_number, sptjm_date, signer_name, signer_position "
        "FROM agreement_sptjm WHERE agreement_id = ?"),
        use(a);
    st.execute();
    Poco::Data::RecordSet rs(st);
    std::optional<Date> date;
    if (rs.rowCount() != 0) date = Date::parseIso(text(rs, 1, 0));
    if (!date)
      return Error{"no_sptjm",
                   "SPTJM kepala instansi untuk perjanjian ini belum tercatat; pencarian "
                   "tidak diizinkan.",
                   "no SPTJM on file for agreement " + a};
    return Sptjm{a, text(rs, 0, 0), *date, text(rs, 2, 0), text(rs, 3, 0)};
  } catch (const Poco::Exception& e) {
    return storeError(e);
  }
}

Status OperatorRepository::authorize(std::string_view userId, std::string_view agreementId) const {
  std::pair<std::string, std::string> key{std::string(userId), std::string(agreementId)};
  const uint64_t generation = db_.generation(kCacheTopic);
  if (granted_.get(key, generation)) return Status::Ok();
  Status s = authorizeUncached(userId, agreementId);
  if (s.ok()) granted_.put(key, true, generation);
  return s;
}

Status OperatorRepository::authorizeUncached(std::string_view userId,
                                             std::string_view agreementId) const {
  auto op = find(userId);
  if (!op.ok()) return op.error();
  if (!op->active)
    return Error{"operator_disabled", "User ID non aktif, silahkan menghubungi Admin",
                 "operator is disabled"};
  if (std::find(op->agreements.begin(), op->agreements.end(), agreementId) == op->agreements.end())
    return Error{"not_member",
                 "Operator tidak terdaftar pada perjanjian kerja sama ini; pencarian tidak "
                 "diizinkan.",
                 "operator is not a member of agreement " + std::string(agreementId)};
  // Every juknis: an operator signs the NDA before using access.
  if (!op->nda)
    return Error{"no_nda",
                 "Operator belum menandatangani pernyataan kerahasiaan (NDA); pencarian tidak "
                 "diizinkan.",
                 "no NDA on file for the operator"};
  // Every PKS: the agency head's SPTJM is on file before access is used.
  auto sp = sptjm(agreementId);
  if (!sp.ok()) return sp.error();
  return Status::Ok();
}

std::vector<std::string> OperatorRepository::missingUserIdFields(const Operator& op) {
  const auto blank = [](const std::string& s) {
    return s.find_first_not_of(' ') == std::string::npos;
  };
  std::vector<std::string> missing;
  if (blank(op.nik)) missing.emplace_back("NIK");
  if (blank(op.fullName)) missing.emplace_back("Nama Lengkap");
  if (blank(op.nip)) missing.emplace_back("NIP");
  if (blank(op.employmentStatus)) missing.emplace_back("Status Kepegawaian");
  if (blank(op.position)) missing.emplace_back("Jabatan");
  if (blank(op.officeRegionCode)) missing.emplace_back("Kode Wilayah Kantor");
  if (blank(op.officeName)) missing.emplace_back("Nama Kantor");
  if (blank(op.officeAddress)) missing.emplace_back("Alamat Kantor");
  if (blank(op.userId)) missing.emplace_back("User ID Aplikasi Lokal");
  return missing;
}

Result<std::string> OperatorRepository::userIdForm(std::string_view userId) const {
  auto op = find(userId);
  if (!op.ok()) return op.error();
  const auto missing = missingUserIdFields(*op);
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    return Error{
        "form_incomplete", "Formulir permohonan User ID belum lengkap; belum diisi: " + list + ".",
        "user id application incomplete: " + std::to_string(missing.size()) + " field(s) missing"};
  }
  std::string agreements;
  for (const auto& a : op->agreements) agreements += (agreements.empty() ? "" : ", ") + a;
  const std::pair<const char*, std::string> lines[] = {
      {"NIK", op->nik},
      {"Nama Lengkap", op->fullName},
      {"NIP", op->nip},
      {"Status Kepegawaian", op->employmentStatus},
      {"Jabatan", op->position},
      {"Kode Wilayah Kantor", op->officeRegionCode},
      {"Nama Kantor", op->officeName},
      {"Alamat Kantor", op->officeAddress},
      {"User ID Aplikasi Lokal", op->userId},
      {"Peran", std::string(roleName(op->role))},
      {"Perjanjian", agreements.empty() ? "-" : agreements},
      {"NDA", op->nda ? op->nda->number + ", " + op->nda->date.dmy() : "belum ada"},
  };
  std::string out = "FORMULIR PERMOHONAN USER ID HAK AKSES DATA KEPENDUDUKAN\n\n";
  for (const auto& [label, value] : lines) {
    std::string l = label;
    l.resize(24, ' ');
    out += l + ": " + value + "\n";
  }
  return out;
}

}  // namespace gerbang::op
