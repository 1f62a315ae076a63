#include "core/balikan/intake_routes.hpp"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

namespace gerbang::balikan {
namespace {

int httpStatusFor(const Error& e) {
  if (e.code == "agreement_not_found") return 404;
  if (e.code == kNotAccessedCode) return 422;
  if (e.code == "store_unavailable") return 503;
  return 400;
}

Poco::JSON::Array errorsJson(const std::vector<RowError>& errors) {
  Poco::JSON::Array arr;
  for (const RowError& e : errors) {
    Poco::JSON::Object o;
    if (e.row > 0) o.set("row", Poco::UInt64(e.row));
    o.set("field", e.field);
    o.set("label", e.label);
    o.set("reason", e.reason);
    arr.add(o);
  }
  return arr;
}

std::string isoTime(TimePoint t) {
  return Poco::DateTimeFormatter::format(
      Poco::Timestamp(Poco::Timestamp::TimeVal(t.time_since_epoch().count())),
      Poco::DateTimeFormat::ISO8601_FORMAT);
}

}  // namespace

void registerBalikanRoutes(web::Router& router, IntakeService& intake,
                           std::function<void()> onAccepted) {
  router.add(web::Route{"POST",
                        "/api/v1/agreements/{id}/balikan",
                        web::Access::kApiToken,
                        {},
                        "id",
                        "Terima satu catatan data balikan (JSON)",
                        [&intake, onAccepted](web::Request& req, web::Response& res) {
                          std::vector<RowError> errors;
                          auto r = intake.acceptJson(req.param("id"), req.body, &errors);
                          res.setHeader("Cache-Control", "no-store");
                          if (!r.ok()) {
                            Poco::JSON::Object o;
                            o.set("error", r.error().code);
                            o.set("message", r.error().message);
                            if (!errors.empty()) o.set("errors", errorsJson(errors));
                            return res.json(httpStatusFor(r.error()), o);
                          }
                          if (onAccepted) onAccepted();
                          Poco::JSON::Object o;
                          o.set("status", "accepted");
                          o.set("record", r->key);
                          o.set("already_queued", r->alreadyQueued);
                          o.set("obligation_closed", r->obligationClosed);
                          res.json(201, o);
                        }});

  router.add(web::Route{
      "POST",
      "/api/v1/agreements/{id}/balikan/upload",
      web::Access::kApiToken,
      {},
      "id",
      "Unggah berkas data balikan (CSV atau XLSX) dan dapatkan laporan kesalahan per baris",
      [&intake, onAccepted](web::Request& req, web::Response& res) {
        UploadOptions opt;
        if (auto it = req.query.find("sheet"); it != req.query.end()) opt.sheet = it->second;
        const bool csvReport = req.query.count("report") != 0 && req.query.at("report") == "csv";
        std::istringstream in(req.body);
        std::ostringstream report;
        auto r = intake.importFile(req.param("id"), in, opt, &report);
        res.setHeader("Cache-Control", "no-store");
        if (!r.ok()) return res.error(httpStatusFor(r.error()), r.error());
        if (r->accepted > 0 && onAccepted) onAccepted();
        if (csvReport) {
          res.status = 200;
          res.contentType = "text/csv; charset=utf-8";
          res.body = report.str();
          res.setHeader("Content-Disposition", "attachment; filename=\"laporan-kesalahan.csv\"");
          res.setHeader("X-Balikan-Rows", std::to_string(r->summary.rowsRead));
          res.setHeader("X-Balikan-Accepted", std::to_string(r->accepted));
          res.setHeader("X-Balikan-Invalid", std::to_string(r->summary.invalid));
          res.setHeader("X-Balikan-Refused", std::to_string(r->refused));
          return;
        }
        Poco::JSON::Object o;
        o.set("rows", Poco::UInt64(r->summary.rowsRead));
        o.set("accepted", Poco::UInt64(r->accepted));
        o.set("already_queued", Poco::UInt64(r->alreadyQueued));
        o.set("invalid", Poco::UInt64(r->summary.invalid));
        o.set("refused", Poco::UInt64(r->refused));
        o.set("blank", Poco::UInt64(r->summary.blank));
        o.set("error_lines", Poco::UInt64(r->errorLines));
        o.set("error_report_csv", report.str());
        res.json(200, o);
      }});

  router.add(web::Route{"GET",
                        "/api/v1/agreements/{id}/balikan/status",
                        web::Access::kApiToken,
                        {},
                        "id",
                        "Status kewajiban dan pengiriman data balikan",
                        [&intake](web::Request& req, web::Response& res) {
                          auto st = intake.status(req.param("id"), 1000);
                          if (!st.ok()) return res.error(httpStatusFor(st.error()), st.error());
                          Poco::JSON::Object o, ob, out;
                          ob.set("open", st->obligations.open);
                          ob.set("overdue", st->obligations.overdue);
                          ob.set("fulfilled", st->obligations.fulfilled);
                          ob.set("delivered", st->obligations.delivered);
                          out.set("pending", st->outbox.pending);
                          out.set("sending", st->outbox.sending);
                          out.set("delivered", st->outbox.delivered);
                          out.set("failed", st->outbox.failed);
                          o.set("obligations", ob);
                          o.set("outbox", out);
                          Poco::JSON::Array recs;
                          for (const outbox::Item& it : st->records) {
                            Poco::JSON::Object r;
                            r.set("record", it.key);
                            r.set("status", outbox::statusName(it.status));
                            r.set("attempts", it.attempts);
                            r.set("accepted_at", isoTime(it.createdAt));
                            if (it.deliveredAt) r.set("delivered_at", isoTime(*it.deliveredAt));
                            if (!it.receipt.empty()) r.set("receipt", it.receipt);
                            if (!it.lastError.empty()) r.set("last_error", it.lastError);
                            recs.add(r);
                          }
                          o.set("records", recs);
                          res.setHeader("Cache-Control", "no-store");
                          res.json(200, o);
                        }});
}

}  // namespace gerbang::balikan
