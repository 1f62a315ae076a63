// gerbang audit verify [--agreement ID] | gerbang audit list [filters] [--format table|json]
// The hash-chained audit of every lookup attempt (core/audit). verify re-reads the whole
// chain and names the first record that was edited, deleted, inserted or moved.
#include "core/app/app_context.hpp"
#include "core/app/args.hpp"
#include "core/app/command.hpp"
#include "core/app/table.hpp"
#include "core/audit/audit_log.hpp"
#include "core/lookup/lookup_host.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <limits>

namespace gerbang::app {
namespace {

std::string timeText(TimePoint t) {
  auto secs = std::chrono::floor<std::chrono::seconds>(t + kJakartaOffset);
  auto day = std::chrono::floor<std::chrono::days>(secs);
  std::chrono::hh_mm_ss hms(secs - day);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()));
  return Date(std::chrono::year_month_day(day)).iso() + " " + buf + " WIB";
}

int verify(AppContext& ctx, audit::AuditLog& log, const std::vector<std::string>& args) {
  Args a(args, {{"agreement"}});
  auto r = log.verify();
  if (!r.ok()) {
    ctx.err() << "gerbang audit verify: " << r.error().message << "\n";
    return kExitFailed;
  }
  const audit::VerifyReport& v = r.value();
  if (!v.ok) {
    ctx.err() << "gerbang audit verify: RUSAK pada catatan #" << v.badSeq << " (" << v.reason
              << "): " << v.message << "\n";
    ctx.out() << "first_bad_record=" << v.badSeq << " reason=" << v.reason << "\n";
    return kExitFailed;
  }
  ctx.out() << "Rantai audit utuh: " << v.checked << " catatan diperiksa.\n";
  if (auto ag = a.value("agreement")) {
    audit::AuditQuery q;
    q.agreement = *ag;
    q.limit = 1;
    auto last = log.query(q);
    if (last.ok())
      ctx.out() << "Catatan terakhir untuk " << *ag << ": "
                << (last->empty() ? std::string("tidak ada")
                                  : "#" + std::to_string(last->front().seq))
                << "\n";
  }
  return kExitOk;
}

int list(AppContext& ctx, audit::AuditLog& log, const std::vector<std::string>& args) {
  Args a(args, {{"agreement"}, {"operator"}, {"outcome"}, {"day"}, {"before"}, {"limit"},
                {"format"}});
  audit::AuditQuery q;
  q.agreement = a.value("agreement");
  q.operatorId = a.value("operator");
  q.outcome = a.value("outcome");
  q.day = a.date("day");
  if (auto b = a.integer("before", 1, std::numeric_limits<int>::max())) q.beforeSeq = *b;
  q.limit = a.integer("limit", 1, 1000).value_or(100);
  const std::string format = a.choice("format", {"table", "json"});
  auto rows = log.query(q);
  if (!rows.ok()) {
    ctx.err() << "gerbang audit list: " << rows.error().message << "\n";
    return kExitFailed;
  }
  if (format == "json") {
    Poco::JSON::Array arr;
    for (const auto& r : rows.value()) {
      Poco::JSON::Object o(true);
      o.set("seq", r.seq);
      o.set("at", timeText(r.at));
      o.set("agreement", r.agreement);
      o.set("operator", r.operatorId);
      o.set("purpose", r.purposeRef);
      o.set("nik_hmac", r.nikHmac);
      o.set("outcome", r.outcome);
      Poco::JSON::Array el;
      for (const auto& e : r.elements) el.add(e);
      o.set("elements", el);
      if (r.quotaRemaining)
        o.set("quota_remaining", *r.quotaRemaining);
      else
        o.set("quota_remaining", Poco::Dynamic::Var());
      o.set("detail", r.detail);
      arr.add(o);
    }
    arr.stringify(ctx.out());
    ctx.out() << "\n";
    return kExitOk;
  }
  Table t({"#", "WAKTU", "PERJANJIAN", "OPERATOR", "RUJUKAN", "NIK (HMAC)", "HASIL", "ELEMEN",
           "SISA KUOTA"});
  for (const auto& r : rows.value()) {
    std::string el;
    for (const auto& e : r.elements) el += (el.empty() ? "" : ",") + e;
    t.add({std::to_string(r.seq), timeText(r.at), r.agreement, r.operatorId, r.purposeRef,
           r.nikHmac.empty() ? "-" : r.nikHmac.substr(0, 12) + "…", r.outcome, el,
           r.quotaRemaining ? std::to_string(*r.quotaRemaining) : "-"});
  }
  t.print(ctx.out());
  return kExitOk;
}

int run(AppContext& ctx, const std::vector<std::string>& args) {
  if (args.empty()) throw UsageError("missing subcommand (verify or list)");
  const std::string sub = args.front();
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (sub != "verify" && sub != "list")
    throw UsageError("unknown subcommand '" + sub + "' (verify or list)");
  audit::NikHasher hasher = lookup::LookupHost::hasherFrom(ctx.config());
  audit::AuditLog log(ctx.database(), lookup::LookupHost::auditOptions(hasher));
  return sub == "verify" ? verify(ctx, log, rest) : list(ctx, log, rest);
}

}  // namespace

Command auditCommand() {
  return {"audit", "verify and list the audit chain of lookups",
          "Usage: gerbang audit verify [--agreement ID]\n"
          "       gerbang audit list [--agreement ID] [--operator USER_ID] [--outcome CODE]\n"
          "                          [--day YYYY-MM-DD] [--before SEQ] [--limit N]\n"
          "                          [--format table|json]\n\n"
          "verify re-reads the whole chain (one chain for every agreement) and checks every\n"
          "link, hash and keyed anchor; exit 1 naming the first bad record. list shows\n"
          "records newest first; the person is shown only as the keyed hash of the NIK.\n",
          run};
}

}  // namespace gerbang::app
