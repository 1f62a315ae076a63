// gerbang balikan import|status|deliver|verify-package: the data-balikan intake from files,
// the obligation and delivery status per agreement, the delivery to the registry office's
// data-balikan web service (core/outbox), and the media package check.
#include "core/app/app_context.hpp"
#include "core/app/args.hpp"
#include "core/app/command.hpp"
#include "core/app/table.hpp"
#include "core/balikan/intake.hpp"
#include "core/balikan/media_package.hpp"
#include "core/lookup/lookup_host.hpp"
#include "core/obligation/obligation_repository.hpp"
#include "core/outbox/deliverer.hpp"
#include "core/outbox/delivery_host.hpp"
#include "core/outbox/outbox_repository.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <csignal>
#include <fstream>
#include <map>
#include <memory>
#include <pthread.h>

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

// The parts every subcommand but verify-package needs.
struct Parts {
  explicit Parts(AppContext& ctx)
      : hasher(lookup::LookupHost::hasherFrom(ctx.config())),
        obligations(ctx.database()),
        outbox(ctx.database()),
        intake(obligations, outbox, hasher, ctx.clock()) {
    intake.addPlugins(ctx.plugins());
  }
  audit::NikHasher hasher;
  obligation::ObligationRepository obligations;
  outbox::OutboxRepository outbox;
  balikan::IntakeService intake;
};

void requireAgreement(Parts& p, const std::string& id) {
  if (!p.intake.knows(id))
    throw std::runtime_error("agreement '" + id +
                             "' has no loaded plugin with a balikan schema (see gerbang plugins)");
}

int importFile(AppContext& ctx, const std::vector<std::string>& args) {
  Args a(args, {{"agreement"}, {"sheet"}, {"report"}}, 1);
  if (a.positionals().size() != 1) throw UsageError("expects one FILE (CSV or XLSX)");
  const std::string agreement = a.required("agreement");
  Parts p(ctx);
  requireAgreement(p, agreement);
  std::ifstream in(a.positionals()[0], std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + a.positionals()[0]);
  balikan::UploadOptions opt;
  opt.sheet = a.value("sheet").value_or("");
  std::ofstream reportFile;
  std::ostringstream reportText;
  std::ostream* report = &reportText;
  if (auto path = a.value("report")) {
    reportFile.open(*path, std::ios::binary | std::ios::trunc);
    if (!reportFile) throw std::runtime_error("cannot write the error report to " + *path);
    report = &reportFile;
  }
  auto r = p.intake.importFile(agreement, in, opt, report);
  if (!r.ok()) {
    ctx.err() << "gerbang balikan import: " << r.error().message << "\n";
    return kExitFailed;
  }
  ctx.out() << "Baris dibaca: " << r->summary.rowsRead << "\n"
            << "Diterima: " << r->accepted << " (sudah diterima sebelumnya: " << r->alreadyQueued
            << ")\n"
            << "Tidak sah: " << r->summary.invalid << "\n"
            << "Ditolak: " << r->refused << "\n";
  if (r->errorLines > 0) {
    if (a.value("report"))
      ctx.out() << "Laporan kesalahan (" << r->errorLines << " baris): " << *a.value("report")
                << "\n";
    else
      ctx.err() << reportText.str();
  }
  return r->summary.invalid + r->refused > 0 ? kExitFailed : kExitOk;
}

int status(AppContext& ctx, const std::vector<std::string>& args) {
  Args a(args, {{"agreement"}, {"limit"}, {"format"}});
  const std::string agreement = a.required("agreement");
  const int limit = a.integer("limit", 1, 100000).value_or(100);
  const std::string format = a.choice("format", {"table", "json"});
  Parts p(ctx);
  requireAgreement(p, agreement);
  auto st = p.intake.status(agreement, limit);
  if (!st.ok()) {
    ctx.err() << "gerbang balikan status: " << st.error().message << "\n";
    return kExitFailed;
  }
  if (format == "json") {
    Poco::JSON::Object o(true), ob(true), out(true);
    ob.set("open", st->obligations.open);
    ob.set("overdue", st->obligations.overdue);
    ob.set("fulfilled", st->obligations.fulfilled);
    ob.set("delivered", st->obligations.delivered);
    out.set("pending", st->outbox.pending);
    out.set("sending", st->outbox.sending);
    out.set("delivered", st->outbox.delivered);
    out.set("failed", st->outbox.failed);
    o.set("agreement", agreement);
    o.set("obligations", ob);
    o.set("outbox", out);
    Poco::JSON::Array recs;
    for (const auto& it : st->records) {
      Poco::JSON::Object r(true);
      r.set("record", it.key);
      r.set("status", outbox::statusName(it.status));
      r.set("attempts", it.attempts);
      r.set("accepted_at", timeText(it.createdAt));
      if (it.deliveredAt) r.set("delivered_at", timeText(*it.deliveredAt));
      if (!it.receipt.empty()) r.set("receipt", it.receipt);
      if (!it.lastError.empty()) r.set("last_error", it.lastError);
      recs.add(r);
    }
    o.set("records", recs);
    o.stringify(ctx.out());
    ctx.out() << "\n";
    return kExitOk;
  }
  ctx.out() << "Kewajiban data balikan " << agreement << ": terbuka " << st->obligations.open
            << " (lewat tenggat " << st->obligations.overdue << "), terpenuhi "
            << st->obligations.fulfilled << ", terkirim " << st->obligations.delivered << "\n"
            << "Antrean kirim: menunggu " << st->outbox.pending << ", sedang dikirim "
            << st->outbox.sending << ", terkirim " << st->outbox.delivered << ", gagal "
            << st->outbox.failed << "\n\n";
  Table t({"catatan", "status", "percobaan", "diterima", "terkirim", "keterangan"});
  for (const auto& it : st->records)
    t.add({it.key.substr(0, 16), outbox::statusName(it.status), std::to_string(it.attempts),
           timeText(it.createdAt), it.deliveredAt ? timeText(*it.deliveredAt) : "",
           it.lastError.empty() ? it.receipt : it.lastError});
  t.print(ctx.out());
  return kExitOk;
}

int deliver(AppContext& ctx, const std::vector<std::string>& args) {
  Args a(args, {{"agreement"}, {"once", false}, {"interval-ms"}});
  const std::string agreement = a.value("agreement").value_or("");
  const int intervalMs = a.integer("interval-ms", 10, 3600000).value_or(5000);
  auto& conf = ctx.config();
  Parts p(ctx);
  if (!agreement.empty()) requireAgreement(p, agreement);
  const Clock& clock = ctx.clock();
  plugin::Registry& plugins = ctx.plugins();
  outbox::DeliveryHost host(
      conf, p.outbox, clock,
      [&plugins](const std::string& id) {
        const plugin::LoadedPlugin* pl = plugins.find(id);
        return pl != nullptr ? pl->manifest().agencyName : id;
      },
      [&](const std::string& ag, const std::string& key) {
        // The obligation follows its record; a failure here leaves it "fulfilled" while the
        // outbox shows the receipt (status reads both).
        (void)p.obligations.markDelivered(ag, key, clock.now());
      });
  outbox::Deliverer& deliverer = host.deliverer();
  if (a.flag("once")) {
    auto r = deliverer.deliverDue(agreement);
    // Payloads erased by an earlier, killed run may still sit in the SQLite WAL.
    p.outbox.checkpoint();
    if (!r.ok()) {
      ctx.err() << "gerbang balikan deliver: " << r.error().message << " (" << r.error().detail
                << ")\n";
      return kExitFailed;
    }
    ctx.out() << "Terkirim: " << r->delivered << ", sudah ada di Dukcapil: " << r->duplicates
              << ", dicoba ulang nanti: " << r->retried << ", gagal: " << r->failed
              << ", permintaan: " << r->requests << "\n";
    if (!r->lastError.empty()) ctx.err() << "Kesalahan terakhir: " << r->lastError << "\n";
    return kExitOk;
  }
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  host.startWorker(std::chrono::milliseconds(intervalMs), agreement);
  ctx.err() << "gerbang balikan deliver: running; SIGINT or SIGTERM stops\n";
  int sig = 0;
  sigwait(&set, &sig);
  host.stopWorker();
  p.outbox.checkpoint();
  auto t = host.totals();
  ctx.out() << "Terkirim: " << t.delivered << ", sudah ada di Dukcapil: " << t.duplicates
            << ", dicoba ulang: " << t.retried << ", gagal: " << t.failed << "\n";
  return kExitOk;
}

int verifyPackage(AppContext& ctx, const std::vector<std::string>& args) {
  Args a(args, {}, 1);
  if (a.positionals().size() != 1) throw UsageError("expects one package FILE");
  auto r = balikan::verifyPackage(a.positionals()[0]);
  if (!r.ok()) {
    ctx.err() << "gerbang balikan verify-package: " << r.error().message << "\n";
    return kExitFailed;
  }
  for (const std::string& f : r->findings()) ctx.out() << f << "\n";
  if (!r->ok()) return kExitFailed;
  ctx.out() << "Paket utuh: " << r->files.size() << " berkas, " << r->records
            << " catatan, perjanjian " << r->agreement << "\n";
  return kExitOk;
}

int run(AppContext& ctx, const std::vector<std::string>& args) {
  if (args.empty()) throw UsageError("missing subcommand (import, status, deliver, verify-package)");
  const std::string sub = args.front();
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (sub == "import") return importFile(ctx, rest);
  if (sub == "status") return status(ctx, rest);
  if (sub == "deliver") return deliver(ctx, rest);
  if (sub == "verify-package") return verifyPackage(ctx, rest);
  throw UsageError("unknown subcommand '" + sub + "' (import, status, deliver, verify-package)");
}

}  // namespace

Command balikanCommand() {
  return {"balikan", "data balikan: import files, obligation status, delivery, media packages",
          "Usage: gerbang balikan import --agreement ID [--sheet NAME] [--report FILE] FILE\n"
          "       gerbang balikan status --agreement ID [--limit N] [--format table|json]\n"
          "       gerbang balikan deliver [--agreement ID] [--once] [--interval-ms N]\n"
          "       gerbang balikan verify-package FILE\n\n"
          "import validates a CSV or XLSX file against the agreement's schema, refuses rows\n"
          "about people never accessed under the agreement, queues the rest for delivery and\n"
          "writes the row-level error report (CSV) to --report (else stderr); exit 1 when\n"
          "any row was not accepted (the accepted ones are kept).\n"
          "status shows open, overdue, fulfilled and delivered obligations and each queued\n"
          "record (no NIKs). deliver sends due records to the data-balikan web service\n"
          "(balikan.url, balikan.token, see docs/balikan.md): --once one pass, else until\n"
          "SIGINT/SIGTERM.\n",
          run};
}

}  // namespace gerbang::app
