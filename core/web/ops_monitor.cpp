#include "core/web/ops_monitor.hpp"

#include "core/audit/crypto.hpp"
#include "core/outbox/outbox_repository.hpp"
#include "core/web/web_app.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace gerbang::web {
namespace {

using Steady = std::chrono::steady_clock;
constexpr int kPage = 1000;  // AuditLog::query's largest page

std::string num(Poco::Int64 n) {
  std::string s = std::to_string(n);
  s.insert(s.begin(), '#');
  return s;
}

// A check whose answer is reused for `ttl` (the probe behind it is slow or external).
HealthCheck cached(std::chrono::steady_clock::duration ttl, HealthCheck check) {
  struct State {
    std::mutex mutex;
    std::optional<Steady::time_point> at;
    HealthResult last;
  };
  auto st = std::make_shared<State>();
  return [st, ttl, check = std::move(check)]() {
    std::lock_guard lock(st->mutex);
    const auto now = Steady::now();
    if (!st->at || ttl <= Steady::duration::zero() || now - *st->at >= ttl) {
      try {
        st->last = check();
      } catch (const std::exception& e) {
        st->last = HealthResult{HealthState::kFail, std::string("pemeriksaan gagal: ") + e.what()};
      }
      st->at = now;
    }
    return st->last;
  };
}

}  // namespace

// ----- audit chain ----------------------------------------------------------------------

AuditChainWatch::AuditChainWatch(audit::AuditLog& log, std::optional<std::string> anchorKey)
    : log_(log), anchorKey_(std::move(anchorKey)), lastHash_(audit::kGenesisHash) {}

Result<ChainStatus> AuditChainWatch::refresh(bool full) {
  std::lock_guard lock(mutex_);
  if (full || !started_) {
    // Start over from record 1: a full check is the only way back from a failed one.
    started_ = true;
    status_ = ChainStatus{};
    status_.fullCheck = true;
    lastHash_ = std::string(audit::kGenesisHash);
    counts_.clear();
  } else {
    status_.fullCheck = false;
  }
  return advance();
}

Result<ChainStatus> AuditChainWatch::advance() {
  if (!status_.ok) return status_;
  auto fail = [this](Poco::Int64 seq, std::string reason, std::string message) {
    status_.ok = false;
    status_.badSeq = seq;
    status_.reason = std::move(reason);
    status_.message = std::move(message);
    return status_;
  };
  auto head = log_.head();
  if (!head.ok()) return head.error();
  status_.headSeq = head->seq;
  Poco::Int64 last = status_.verifiedSeq;
  if (head->seq < last)
    return fail(head->seq + 1, "head_mismatch",
                "Catatan audit " + num(head->seq + 1) + " sampai " + num(last) +
                    " hilang (catatan terbaru dihapus)");
  while (last < head->seq) {
    audit::AuditQuery q;
    q.beforeSeq = std::min(last + kPage, head->seq) + 1;
    q.limit = kPage;
    auto page = log_.query(q);
    if (!page.ok()) return page.error();
    std::vector<audit::AuditRecord> recs;
    for (auto& r : *page)
      if (r.seq > last) recs.push_back(std::move(r));
    std::sort(recs.begin(), recs.end(),
              [](const audit::AuditRecord& a, const audit::AuditRecord& b) { return a.seq < b.seq; });
    if (recs.empty() || recs.front().seq != last + 1)
      return fail(last + 1, "missing", "Catatan audit " + num(last + 1) + " hilang (dihapus)");
    for (const audit::AuditRecord& r : recs) {
      if (r.seq != last + 1)
        return fail(last + 1, "missing", "Catatan audit " + num(last + 1) + " hilang (dihapus)");
      if (r.prevHash != lastHash_)
        return fail(r.seq, "broken_link",
                    "Catatan audit " + num(r.seq) +
                        " tidak tersambung ke catatan sebelumnya (disisipkan, dipindah, atau "
                        "catatan sebelumnya diubah dan di-hash ulang)");
      if (audit::recordHash(r) != r.hash)
        return fail(r.seq, "altered", "Isi catatan audit " + num(r.seq) + " telah diubah");
      if (anchorKey_ &&
          !audit::constantTimeEquals(audit::recordAnchor(*anchorKey_, r.hash), r.anchor))
        return fail(r.seq, "anchor_mismatch",
                    "Jangkar berkunci catatan audit " + num(r.seq) +
                        " tidak cocok (rantai dihitung ulang tanpa kunci audit)");
      lastHash_ = r.hash;
      last = r.seq;
      status_.verifiedSeq = last;
      ++counts_[{r.agreement, r.outcome}];
    }
  }
  if (head->seq == last && head->hash != lastHash_)
    return fail(last, "head_mismatch",
                "Kepala rantai audit tidak cocok dengan catatan " + num(last));
  status_.message = last == 0 ? "Rantai audit masih kosong"
                              : "Rantai audit utuh sampai catatan " + num(last);
  return status_;
}

std::map<std::pair<std::string, std::string>, long> AuditChainWatch::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

HealthCheck auditChainHealthCheck(AuditChainWatch& watch, std::chrono::steady_clock::duration ttl) {
  return cached(ttl, [&watch]() {
    auto st = watch.refresh();
    if (!st.ok())
      return HealthResult{HealthState::kFail,
                          "log audit tidak dapat dibaca: " + st.error().message};
    if (!st->ok)
      return HealthResult{HealthState::kFail,
                          st->message + " (" + st->reason + "); jalankan `gerbang audit verify`"};
    return HealthResult{HealthState::kOk, st->message + " (kepala rantai terverifikasi)"};
  });
}

// ----- portal ---------------------------------------------------------------------------

HealthCheck portalHealthCheck(std::string baseUrl, std::chrono::milliseconds timeout,
                              std::chrono::steady_clock::duration ttl) {
  return cached(ttl, [baseUrl = std::move(baseUrl), timeout]() {
    if (baseUrl.empty())
      return HealthResult{HealthState::kDegraded,
                          "portal.url belum diatur: pencarian NIK ke Dukcapil tidak tersedia"};
    Poco::URI uri;
    try {
      uri = Poco::URI(baseUrl);
    } catch (const Poco::Exception&) {
      return HealthResult{HealthState::kFail, "portal.url bukan alamat yang sah"};
    }
    const std::string where = uri.getHost() + ":" + std::to_string(uri.getPort());
    const Poco::Timespan span(Poco::Timespan::TimeDiff(timeout.count()) * 1000);
    const auto start = Steady::now();
    auto ms = [&]() {
      return std::to_string(
          std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - start).count());
    };
    try {
      if (uri.getScheme() == "https") {
        Poco::Net::StreamSocket sock;
        sock.connect(Poco::Net::SocketAddress(uri.getHost(), uri.getPort()), span);
        return HealthResult{HealthState::kOk, "portal " + where + " menerima sambungan TCP (" +
                                                  ms() + " ms; sertifikat diperiksa saat pencarian)"};
      }
      Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
      session.setTimeout(span, span, span);
      Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET, "/",
                                 Poco::Net::HTTPMessage::HTTP_1_1);
      session.sendRequest(req);
      Poco::Net::HTTPResponse resp;
      session.receiveResponse(resp);
      return HealthResult{HealthState::kOk, "portal " + where + " menjawab HTTP " +
                                                std::to_string(int(resp.getStatus())) + " dalam " +
                                                ms() + " ms"};
    } catch (const Poco::TimeoutException&) {
      return HealthResult{HealthState::kFail, "portal " + where + " tidak menjawab dalam " +
                                                  std::to_string(timeout.count()) +
                                                  " ms: pencarian NIK akan gagal"};
    } catch (const Poco::Exception& e) {
      return HealthResult{HealthState::kFail, "portal " + where + " tidak dapat dihubungi (" +
                                                  e.displayText() + "): pencarian NIK akan gagal"};
    }
  });
}

// ----- agreements -----------------------------------------------------------------------

HealthCheck agreementsHealthCheck(const agreement::AgreementService& agreements) {
  return [&agreements]() {
    const Date today = agreements.today();
    int open = 0;
    bool warn = false;
    std::string detail;
    const auto all = agreements.all();
    for (const auto& ag : all) {
      const auto s = ag.status(today);
      std::string line = ag.id() + ": ";
      switch (s.phase) {
        case agreement::Phase::kActive:
          line += "aktif s.d. " + s.end.iso() + " (" + std::to_string(s.daysLeft) + " hari)";
          break;
        case agreement::Phase::kExpiring:
          // Juknis 2025: ask for the extension at least two months before the end.
          line += "berakhir " + s.end.iso() + " (" + std::to_string(s.daysLeft) +
                  " hari lagi): ajukan Adendum perpanjangan";
          warn = true;
          break;
        case agreement::Phase::kExpired:
          // DOMAIN rule 8: access stops at the end of the term unless an Adendum extends it.
          line += "berakhir " + s.end.iso() + ", akses ditutup sampai ada Adendum";
          warn = true;
          break;
        case agreement::Phase::kNotStarted:
          line += "belum berlaku";
          warn = true;
          break;
      }
      if (s.allowsAccess()) ++open;
      detail += (detail.empty() ? "" : "; ") + line;
    }
    if (all.empty()) return HealthResult{HealthState::kFail, "tidak ada plugin perjanjian yang dimuat"};
    if (open == 0)
      return HealthResult{HealthState::kFail, "tidak ada perjanjian yang berlaku hari ini (" +
                                                  today.iso() + "): " + detail};
    return HealthResult{warn ? HealthState::kDegraded : HealthState::kOk, detail};
  };
}

// ----- the monitor ----------------------------------------------------------------------

OpsMonitor::OpsMonitor(WebApp& app, UiServices& services, outbox::OutboxRepository* outbox,
                       OpsMonitorConfig config)
    : services_(services), outbox_(outbox), chain_(services.audit, config.anchorKey) {
  auto& h = app.health();
  h.add("audit_chain", auditChainHealthCheck(chain_, config.chainTtl));
  h.add("portal", portalHealthCheck(config.portalUrl, config.portalTimeout, config.portalTtl));
  h.add("agreements", agreementsHealthCheck(services.agreements));

  auto& m = app.metrics();
  lookups_ = &m.counter("gerbang_lookups_total",
                        "Lookup attempts by agreement and outcome (from the verified audit chain).",
                        {"agreement", "outcome"});
  quotaUsed_ = &m.gauge("gerbang_quota_used_today", "Registry hits used today (WIB day).",
                        {"agreement"});
  quotaLeft_ = &m.gauge("gerbang_quota_left_today",
                        "Registry hits left today (WIB day); +Inf when unlimited.", {"agreement"});
  obligationsOpen_ = &m.gauge("gerbang_obligations_open",
                              "Balikan obligations open (including overdue).", {"agreement"});
  obligationsOverdue_ = &m.gauge("gerbang_obligations_overdue",
                                 "Balikan obligations open and past their due day.", {"agreement"});
  outboxItems_ = &m.gauge("gerbang_outbox_items", "Balikan outbox records by state.",
                          {"agreement", "state"});
  chainSeq_ = &m.gauge("gerbang_audit_chain_verified_seq",
                       "Audit records verified from the start of the chain.");
  chainOk_ = &m.gauge("gerbang_audit_chain_ok", "1 when the audit chain verified, else 0.");
  m.addCollector([this]() { collect(); });
}

OpsMonitor::~OpsMonitor() = default;

void OpsMonitor::collect() {
  std::lock_guard lock(collectMutex_);
  auto st = chain_.refresh();
  if (st.ok()) {
    chainSeq_->set({}, double(st->verifiedSeq));
    chainOk_->set({}, st->ok ? 1 : 0);
  }
  // A counter only grows: publish what the verified chain added since the last scrape.
  for (const auto& [key, n] : chain_.counts()) {
    long& seen = published_[key];
    if (n > seen) {
      lookups_->inc({key.first, key.second}, double(n - seen));
      seen = n;
    }
  }
  const Date today = services_.clock.today();
  for (const auto& ag : services_.agreements.all()) {
    const std::string& id = ag.id();
    const auto terms = ag.termsOn(today);
    const std::string userId = services_.registry.userId(id);
    int used = 0;
    if (!userId.empty()) {
      auto u = services_.quota.used(id, userId, today);
      if (u.ok()) used = *u;
    }
    quotaUsed_->set({id}, used);
    quotaLeft_->set({id}, terms.quotaPerDay ? double(std::max(0, *terms.quotaPerDay - used))
                                            : std::numeric_limits<double>::infinity());
    auto c = services_.obligations.counts(id, today);
    if (c.ok()) {
      obligationsOpen_->set({id}, c->open);
      obligationsOverdue_->set({id}, c->overdue);
    }
    if (outbox_) {
      auto o = outbox_->counts(id);
      if (o.ok()) {
        outboxItems_->set({id, "pending"}, o->pending);
        outboxItems_->set({id, "sending"}, o->sending);
        outboxItems_->set({id, "delivered"}, o->delivered);
        outboxItems_->set({id, "failed"}, o->failed);
      }
    }
  }
}

}  // namespace gerbang::web
