#include "core/balikan/ui_routes.hpp"

#include "core/audit/crypto.hpp"
#include "core/balikan/csv_reader.hpp"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <openssl/rand.h>

#include <algorithm>
#include <charconv>
#include <set>
#include <sstream>

namespace gerbang::balikan {
namespace {

using web::Role;

// Who may call what (docs/balikan.md "Screens"): the records and the backlog concern people
// the agency looked up, so only the agreement's operators and supervisors (rule 1: access
// for the agreement's purpose, by its own staff); the form spec holds no personal data and
// admins may see it; delivery figures are compliance figures, so evaluators too.
const std::vector<Role> kWorkers{Role::kOperator, Role::kSupervisor};
const std::vector<Role> kFormReaders{Role::kOperator, Role::kSupervisor, Role::kAdmin};
const std::vector<Role> kFigures{Role::kOperator, Role::kSupervisor, Role::kAdmin,
                                 Role::kEvaluator};

int httpStatusFor(const Error& e) {
  if (e.code == "agreement_not_found") return 404;
  if (e.code == kNotAccessedCode) return 422;
  if (e.code == "store_unavailable") return 503;
  return 400;
}

std::string isoTime(TimePoint t) {
  return Poco::DateTimeFormatter::format(
      Poco::Timestamp(Poco::Timestamp::TimeVal(t.time_since_epoch().count())),
      Poco::DateTimeFormat::ISO8601_FORMAT);
}

const char* typeName(plugin::BalikanField::Type t) {
  switch (t) {
    case plugin::BalikanField::Type::kString:
      return "string";
    case plugin::BalikanField::Type::kInteger:
      return "integer";
    case plugin::BalikanField::Type::kDate:
      return "date";
    case plugin::BalikanField::Type::kEnum:
      return "enum";
    case plugin::BalikanField::Type::kNik:
      return "nik";
  }
  return "string";
}

// A hint under the field, in the operator's words.
std::string hintFor(const plugin::BalikanField& f) {
  switch (f.type) {
    case plugin::BalikanField::Type::kNik:
      return "16 digit NIK orang yang datanya diakses dalam PKS ini.";
    case plugin::BalikanField::Type::kDate:
      return "Format tanggal dd-mm-yyyy, misalnya 23-11-2026.";
    case plugin::BalikanField::Type::kInteger:
      return "Angka bulat tanpa titik atau koma.";
    case plugin::BalikanField::Type::kEnum:
      return "Pilih salah satu nilai yang tersedia.";
    case plugin::BalikanField::Type::kString:
      break;
  }
  std::string h;
  if (!f.pattern.empty()) h = "Harus sesuai format yang ditetapkan PKS.";
  if (f.maxLength > 0)
    h += (h.empty() ? "" : " ") + std::string("Paling banyak ") + std::to_string(f.maxLength) +
         " karakter.";
  return h;
}

void formSpec(BalikanUiServices& s, web::Request& req, web::Response& res) {
  const Schema* schema = s.intake.schema(req.param("id"));
  if (schema == nullptr)
    return res.error(404, "agreement_not_found", "Perjanjian tidak ditemukan.");
  Poco::JSON::Array fields;
  for (const plugin::BalikanField& f : schema->fields()) {
    Poco::JSON::Object o;
    o.set("name", f.name);
    o.set("label", f.label);
    o.set("type", typeName(f.type));
    o.set("required", f.required);
    if (f.maxLength > 0) o.set("maxLength", f.maxLength);
    else if (f.type == plugin::BalikanField::Type::kNik) o.set("maxLength", 16);
    o.set("pattern", f.pattern);
    Poco::JSON::Array values;
    for (const auto& v : f.values) values.add(v);
    o.set("values", values);
    o.set("hint", hintFor(f));
    fields.add(o);
  }
  Poco::JSON::Object out;
  out.set("agreement", req.param("id"));
  out.set("fields", fields);
  Poco::JSON::Array types;
  types.add("text/csv");
  types.add(kXlsxMediaType);
  out.set("uploadTypes", types);
  res.json(200, out);
}

Poco::JSON::Array errorsJson(const std::vector<RowError>& errors) {
  Poco::JSON::Array arr;
  for (const RowError& e : errors) {
    Poco::JSON::Object o;
    o.set("field", e.field);
    o.set("label", e.label);
    o.set("reason", e.reason);
    arr.add(o);
  }
  return arr;
}

void addRecord(BalikanUiServices& s, web::Request& req, web::Response& res) {
  std::vector<RowError> errors;
  auto r = s.intake.acceptJson(req.param("id"), req.body, &errors);
  res.setHeader("Cache-Control", "no-store");
  if (!r.ok()) {
    Poco::JSON::Object o;
    o.set("error", r.error().code);
    o.set("message", r.error().message);
    o.set("errors", errorsJson(errors));
    return res.json(httpStatusFor(r.error()), o);
  }
  if (s.onAccepted) s.onAccepted();
  Poco::JSON::Object o;
  o.set("record", r->key);
  o.set("alreadyQueued", r->alreadyQueued);
  o.set("obligationClosed", r->obligationClosed);
  o.set("message", r->alreadyQueued
                       ? "Data balikan ini sudah pernah diterima; tidak dikirim dua kali."
                       : "Data balikan diterima dan masuk antrean pengiriman ke Dukcapil.");
  res.json(r->alreadyQueued ? 200 : 201, o);
}

// The upload's media type: CSV or XLSX, else an Indonesian refusal.
std::optional<FileKind> uploadKind(const web::Request& req, web::Response& res) {
  std::string ct = req.header("Content-Type");
  ct = ct.substr(0, ct.find(';'));
  ct.erase(ct.find_last_not_of(' ') + 1);
  for (char& c : ct) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (ct == "text/csv") return FileKind::kCsv;
  if (ct == kXlsxMediaType) return FileKind::kXlsx;
  res.error(415, "unsupported_media_type",
            "Kolom 'Content-Type' harus text/csv (berkas CSV) atau " + std::string(kXlsxMediaType) +
                " (berkas Excel .xlsx).");
  return std::nullopt;
}

// The report CSV (baris;kolom;alasan) read back as rows, with our own CSV reader.
class ReportRows final : public RowVisitor {
 public:
  explicit ReportRows(std::size_t max) : max_(max) {}
  bool onHeader(const RawRow&) override { return true; }
  bool onRow(const RawRow& row) override {
    if (row.cells.size() < 3) return true;
    ++count;
    if (rows.size() < max_) {
      Poco::JSON::Object o;
      std::uint64_t n = 0;
      std::from_chars(row.cells[0].data(), row.cells[0].data() + row.cells[0].size(), n);
      if (n > 0) o.set("row", Poco::UInt64(n));
      else o.set("row", Poco::Dynamic::Var());
      o.set("column", std::string(row.cells[1]));
      o.set("reason", std::string(row.cells[2]));
      rows.add(o);
    }
    return true;
  }
  Poco::JSON::Array rows;
  std::uint64_t count = 0;

 private:
  std::size_t max_;
};

void upload(BalikanUiServices& s, UploadReports& reports, web::Request& req, web::Response& res) {
  res.setHeader("Cache-Control", "no-store");
  auto kind = uploadKind(req, res);
  if (!kind) return;
  if (req.body.empty())
    return res.error(400, "balikan_file_invalid", "Berkas kosong: pilih berkas CSV atau XLSX.");
  UploadOptions opt;
  opt.kind = *kind;
  if (auto it = req.query.find("sheet"); it != req.query.end()) opt.sheet = it->second.substr(0, 64);
  std::istringstream in(req.body);
  std::ostringstream report;
  const std::string id = req.param("id");
  auto r = s.intake.importFile(id, in, opt, &report);
  if (!r.ok()) return res.error(httpStatusFor(r.error()), r.error());
  if (r->accepted > r->alreadyQueued && s.onAccepted) s.onAccepted();
  std::istringstream reportIn(report.str());
  CsvReader reader(reportIn, CsvOptions{';'});
  ReportRows rows(kMaxErrorRows);
  (void)reader.read(rows);
  Poco::JSON::Object o;
  o.set("rows", Poco::UInt64(r->summary.rowsRead));
  o.set("accepted", Poco::UInt64(r->accepted));
  o.set("alreadyQueued", Poco::UInt64(r->alreadyQueued));
  o.set("invalid", Poco::UInt64(r->summary.invalid));
  o.set("refused", Poco::UInt64(r->refused));
  o.set("blank", Poco::UInt64(r->summary.blank));
  o.set("errors", rows.rows);
  o.set("errorCount", Poco::UInt64(rows.count));
  if (r->errorLines > 0) {
    const std::string uploadId =
        reports.add(id, req.principal ? req.principal->username : "", report.str());
    o.set("uploadId", uploadId);
    o.set("errorReport", "/api/v1/agreements/" + id + "/balikan/uploads/" + uploadId +
                             "/errors.csv");
  } else {
    o.set("uploadId", Poco::Dynamic::Var());
    o.set("errorReport", Poco::Dynamic::Var());
  }
  res.json(200, o);
}

void errorReport(UploadReports& reports, web::Request& req, web::Response& res) {
  auto csv = reports.find(req.param("uploadId"), req.param("id"),
                          req.principal ? req.principal->username : "");
  if (!csv)
    return res.error(404, "upload_not_found",
                     "Laporan kesalahan unggahan ini tidak ada atau sudah kedaluwarsa; unggah "
                     "berkasnya lagi.");
  res.status = 200;
  res.contentType = "text/csv; charset=utf-8";
  res.body = *csv;
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Content-Disposition",
                "attachment; filename=\"laporan-kesalahan-balikan.csv\"");
}

// A positive integer query parameter in [1, max], `fallback` when absent; false (and a 400
// naming the parameter) when malformed.
bool intParam(const web::Request& req, web::Response& res, const std::string& name, int max,
              int& value) {
  auto it = req.query.find(name);
  if (it == req.query.end()) return true;
  int v = 0;
  auto [p, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  if (ec != std::errc() || p != it->second.data() + it->second.size() || v < 1 || v > max) {
    res.error(400, "invalid_field",
              "Parameter '" + name + "' harus bilangan bulat 1 sampai " + std::to_string(max) +
                  ".");
    return false;
  }
  value = v;
  return true;
}

// The audit records of one agreement's found answers on `day`, by NIK HMAC (the newest
// first per person): who looked the person up and for which service reference.
std::map<std::string, std::vector<audit::AuditRecord>> accessesOn(audit::AuditLog& log,
                                                                  const std::string& agreement,
                                                                  Date day) {
  std::map<std::string, std::vector<audit::AuditRecord>> out;
  audit::AuditQuery q;
  q.agreement = agreement;
  q.day = day;
  q.limit = 1000;
  auto recs = log.query(q);
  if (!recs.ok()) return out;
  for (auto& r : *recs)
    if (!r.nikHmac.empty() && !r.elements.empty()) out[r.nikHmac].push_back(std::move(r));
  return out;
}

void backlog(BalikanUiServices& s, web::Request& req, web::Response& res) {
  const std::string id = req.param("id");
  if (!s.intake.knows(id))
    return res.error(404, "agreement_not_found", "Perjanjian tidak ditemukan.");
  std::string filter = "open";
  if (auto it = req.query.find("filter"); it != req.query.end()) filter = it->second;
  if (filter != "open" && filter != "overdue")
    return res.error(400, "invalid_field", "Parameter 'filter' harus \"open\" atau \"overdue\".");
  int page = 1, pageSize = 50;
  if (!intParam(req, res, "page", 1000, page) || !intParam(req, res, "pageSize", 200, pageSize))
    return;
  const Date today = s.clock.today();
  obligation::ObligationQuery q;
  q.agreement = id;
  q.status = obligation::ObligationStatus::kOpen;
  if (filter == "overdue") q.overdueAsOf = today;
  q.limit = 1000;
  auto list = s.obligations.list(q);
  if (!list.ok()) return res.error(503, list.error());
  auto counts = s.obligations.counts(id, today);
  if (!counts.ok()) return res.error(503, counts.error());
  const std::size_t total = list->size();
  const std::size_t from = std::min(total, std::size_t(page - 1) * std::size_t(pageSize));
  const std::size_t to = std::min(total, from + std::size_t(pageSize));
  std::map<std::string, std::map<std::string, std::vector<audit::AuditRecord>>> byDay;
  Poco::JSON::Array items;
  for (std::size_t i = from; i < to; ++i) {
    const obligation::Obligation& ob = (*list)[i];
    const Date opened = Date::jakartaDayOf(ob.openedAt);
    auto day = byDay.find(opened.iso());
    if (day == byDay.end())
      day = byDay.emplace(opened.iso(), accessesOn(s.audit, id, opened)).first;
    Poco::JSON::Object o;
    o.set("id", ob.id);
    // A prefix of the keyed hash lets staff tell rows apart without any way back to the NIK.
    o.set("person", ob.nikHmac.substr(0, 12));
    o.set("source", obligation::sourceName(ob.source));
    o.set("openedAt", isoTime(ob.openedAt));
    o.set("openedOn", opened.iso());
    o.set("due", ob.due.iso());
    const int late = ob.due.daysUntil(today);
    o.set("daysOverdue", late > 0 ? late : 0);
    o.set("overdue", late > 0);
    // The access that opened it: the audit record of this person closest before openedAt.
    std::string op, purpose;
    if (auto a = day->second.find(ob.nikHmac); a != day->second.end()) {
      for (const audit::AuditRecord& r : a->second)
        if (r.at <= ob.openedAt + std::chrono::seconds{5}) {
          op = r.operatorId;
          purpose = r.purposeRef;
          break;
        }
      if (op.empty()) {
        op = a->second.back().operatorId;
        purpose = a->second.back().purposeRef;
      }
    }
    o.set("operator", op);
    o.set("purposeRef", purpose);
    items.add(o);
  }
  Poco::JSON::Object out;
  out.set("today", today.iso());
  out.set("filter", filter);
  out.set("page", page);
  out.set("pageSize", pageSize);
  out.set("total", Poco::UInt64(total));
  out.set("open", counts->open);
  out.set("overdue", counts->overdue);
  out.set("fulfilled", counts->fulfilled);
  out.set("delivered", counts->delivered);
  out.set("items", items);
  res.setHeader("Cache-Control", "no-store");
  res.json(200, out);
}

void delivery(BalikanUiServices& s, web::Request& req, web::Response& res) {
  const std::string id = req.param("id");
  if (!s.intake.knows(id))
    return res.error(404, "agreement_not_found", "Perjanjian tidak ditemukan.");
  auto c = s.outbox.counts(id);
  if (!c.ok()) return res.error(503, c.error());
  auto last = s.outbox.lastDeliveredAt(id);
  if (!last.ok()) return res.error(503, last.error());
  Poco::JSON::Object o;
  o.set("pending", c->pending);
  o.set("sending", c->sending);
  o.set("delivered", c->delivered);
  o.set("failed", c->failed);
  o.set("lastDelivery", *last ? Poco::Dynamic::Var(isoTime(**last)) : Poco::Dynamic::Var());
  o.set("worker", s.deliveryWorker);
  res.setHeader("Cache-Control", "no-store");
  res.json(200, o);
}

}  // namespace

std::string UploadReports::add(const std::string& agreement, const std::string& owner,
                               std::string csv) {
  unsigned char raw[16];
  if (RAND_bytes(raw, sizeof raw) != 1) throw std::runtime_error("balikan: no random bytes");
  std::string id = audit::toHex(raw, sizeof raw);
  const TimePoint now = clock_.now();
  std::lock_guard lock(mu_);
  std::erase_if(entries_, [&](const auto& e) { return e.second.expires <= now; });
  entries_[id] = Entry{agreement, owner, std::move(csv), now + kUploadReportTtl};
  return id;
}

std::optional<std::string> UploadReports::find(const std::string& id,
                                               const std::string& agreement,
                                               const std::string& owner) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end() || it->second.expires <= clock_.now() ||
      it->second.agreement != agreement || it->second.owner != owner)
    return std::nullopt;
  return it->second.csv;
}

void registerBalikanUiRoutes(web::Router& router, BalikanUiServices& s) {
  auto reports = std::make_shared<UploadReports>(s.clock);
  const std::string base = "/api/v1/agreements/{id}";
  router.add({"GET", base + "/balikan/form", web::Access::kSession, kFormReaders, "id",
              "Isian data balikan dari skema PKS (kolom, label, jenis, wajib, pola)",
              [&s](web::Request& q, web::Response& r) { formSpec(s, q, r); }});
  router.add({"POST", base + "/balikan/records", web::Access::kSession, kWorkers, "id",
              "Simpan satu catatan data balikan dari layar operator",
              [&s](web::Request& q, web::Response& r) { addRecord(s, q, r); }});
  router.add({"POST", base + "/balikan/uploads", web::Access::kSession, kWorkers, "id",
              "Unggah berkas data balikan (CSV atau XLSX) dari layar operator",
              [&s, reports](web::Request& q, web::Response& r) { upload(s, *reports, q, r); }});
  router.add({"GET", base + "/balikan/uploads/{uploadId}/errors.csv", web::Access::kSession,
              kWorkers, "id", "Unduh laporan kesalahan per baris dari satu unggahan (CSV)",
              [reports](web::Request& q, web::Response& r) { errorReport(*reports, q, r); }});
  router.add({"GET", base + "/obligations", web::Access::kSession, kWorkers, "id",
              "Daftar kewajiban data balikan yang belum dipenuhi (tanpa NIK)",
              [&s](web::Request& q, web::Response& r) { backlog(s, q, r); }});
  router.add({"GET", base + "/balikan/delivery", web::Access::kSession, kFigures, "id",
              "Status pengiriman data balikan: antrean, terkirim, gagal, pengiriman terakhir",
              [&s](web::Request& q, web::Response& r) { delivery(s, q, r); }});
}

}  // namespace gerbang::balikan
