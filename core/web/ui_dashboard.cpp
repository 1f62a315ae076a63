#include "core/web/ui_dashboard.hpp"

#include "core/web/web_app.hpp"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <chrono>
#include <map>

namespace gerbang::web {
namespace {

constexpr int kDays = 7;
constexpr int kMaxCounted = 1000;  // AuditLog::query's limit

bool weekend(Date d) {
  std::chrono::weekday w{d.sysDays()};
  return w == std::chrono::Saturday || w == std::chrono::Sunday;
}

void dashboard(UiServices& s, Request& req, Response& res) {
  const std::string id = req.param("id");
  auto ag = s.agreements.find(id);
  if (!ag) return res.error(404, "agreement_not_found", "Perjanjian tidak ditemukan.");
  const Date today = s.clock.today();
  const auto status = ag->status(today);
  const auto terms = ag->termsOn(today);
  Poco::JSON::Object out;
  out.set("today", today.iso());
  out.set("endsOn", status.end.iso());
  out.set("daysLeft", status.daysLeft);
  out.set("accessAllowed", status.allowsAccess());

  Poco::JSON::Object quota;
  quota.set("perDay", terms.quotaPerDay ? Poco::Dynamic::Var(*terms.quotaPerDay) : Poco::Dynamic::Var());
  const std::string userId = s.registry.userId(id);
  int used = 0;
  if (!userId.empty()) {
    auto u = s.quota.used(id, userId, today);
    if (!u.ok()) return res.error(503, "store_unavailable", "Data kuota tidak dapat dibaca.");
    used = *u;
  }
  quota.set("usedToday", used);
  quota.set("leftToday", terms.quotaPerDay ? Poco::Dynamic::Var(std::max(0, *terms.quotaPerDay - used))
                                           : Poco::Dynamic::Var());
  out.set("quota", quota);

  Poco::JSON::Array perDay;
  std::map<std::string, int> outcomesToday;
  bool capped = false;
  for (int i = kDays - 1; i >= 0; --i) {
    audit::AuditQuery q;
    q.agreement = id;
    q.day = today.addDays(-i);
    q.limit = kMaxCounted;
    auto recs = s.audit.query(q);
    if (!recs.ok()) return res.error(503, "audit_unavailable", "Log audit tidak dapat dibaca.");
    if (int(recs->size()) >= kMaxCounted) capped = true;
    Poco::JSON::Object d;
    d.set("day", q.day->iso());
    d.set("count", int(recs->size()));
    perDay.add(d);
    if (i == 0)
      for (const auto& r : *recs) ++outcomesToday[r.outcome];
  }
  out.set("lookupsPerDay", perDay);
  out.set("capped", capped);
  Poco::JSON::Object outcomes;
  for (const auto& [k, v] : outcomesToday) outcomes.set(k, v);
  out.set("outcomesToday", outcomes);
  out.set("patternBlocksToday", outcomesToday.count("pattern_blocked") ? outcomesToday["pattern_blocked"] : 0);

  auto counts = s.obligations.counts(id, today);
  if (!counts.ok()) return res.error(503, "store_unavailable", "Data kewajiban tidak dapat dibaca.");
  Poco::JSON::Object ob;
  ob.set("open", counts->open);
  ob.set("overdue", counts->overdue);
  ob.set("fulfilled", counts->fulfilled);
  ob.set("delivered", counts->delivered);
  out.set("obligations", ob);

  Poco::JSON::Array duties;
  auto duty = [&](const char* kind, const std::string& label, Date due) {
    Poco::JSON::Object d;
    d.set("kind", kind);
    d.set("label", label);
    d.set("due", due.iso());
    d.set("daysLeft", today.daysUntil(due));
    duties.add(d);
  };
  const auto& m = ag->manifest();
  // Every PKS: a semester report on the use of the data (S1 by June, S2 by December).
  if (m.reports.semester)
    duty("semester_report", "Laporan semester penggunaan data kependudukan",
         nextSemesterReportDue(today, m.reports.deadlineWorkingDays));
  // Juknis 2025: ask for the extension at least two months before the term ends.
  duty("extension_request", "Pengajuan perpanjangan PKS (paling lambat 2 bulan sebelum berakhir)",
       status.end.addDays(-m.extensionNoticeDays));
  out.set("duties", duties);
  res.json(200, out);
}

}  // namespace

Date addWorkingDays(Date from, int n) {
  Date d = from;
  while (n > 0) {
    d = d.addDays(1);
    if (!weekend(d)) --n;
  }
  return d;
}

Date nextSemesterReportDue(Date today, int workingDays) {
  for (int year = today.year() - 1; year <= today.year() + 1; ++year)
    for (unsigned month : {6u, 12u}) {
      Date end(year, month, month == 6 ? 30u : 31u);
      Date due = workingDays > 0 ? addWorkingDays(end, workingDays) : end;
      if (today.daysUntil(due) >= 0) return due;
    }
  return today;  // unreachable: the next year's June always follows
}

void registerUiDashboardRoutes(Router& router, UiServices& services) {
  UiServices* s = &services;
  router.add({"GET", "/api/v1/agreements/{id}/dashboard", Access::kSession, kEveryRole, "id",
              "Dasbor kepatuhan: kuota, pencarian, blokir pola, balikan, kewajiban",
              [s](Request& q, Response& r) { dashboard(*s, q, r); }});
}

}  // namespace gerbang::web
