// gerbang serve [--bind ADDRESS] [--port N]
// The operator web app and REST API (core/web) on this host's closed network.
#include "core/agency/agency_routes.hpp"
#include "core/agreement/agreement_service.hpp"
#include "core/app/app_context.hpp"
#include "core/app/args.hpp"
#include "core/app/command.hpp"
#include "core/app/config.hpp"
#include "core/balikan/intake.hpp"
#include "core/balikan/intake_routes.hpp"
#include "core/balikan/ui_routes.hpp"
#include "core/outbox/delivery_host.hpp"
#include "core/lookup/lookup_host.hpp"
#include "core/lookup/lookup_routes.hpp"
#include "core/outbox/outbox_repository.hpp"
#include "core/web/health.hpp"
#include "core/web/ops_monitor.hpp"
#include "core/web/server.hpp"
#include "core/web/ui_admin.hpp"
#include "core/web/ui_dashboard.hpp"
#include "core/web/ui_lookup.hpp"
#include "core/web/ui_reader.hpp"
#include "core/web/ui_supervise.hpp"
#include "core/web/web_app.hpp"

#include <spdlog/spdlog.h>

#include <pthread.h>
#include <csignal>
#include <memory>
#include <ostream>

namespace gerbang::app {
namespace {

// The web layer's view of the agreements: core/agreement's terms after every Adendum.
class ServiceAgreementDirectory final : public web::AgreementDirectory {
 public:
  explicit ServiceAgreementDirectory(const agreement::AgreementService& service)
      : service_(service) {}

  std::vector<web::AgreementInfo> list() const override {
    std::vector<web::AgreementInfo> out;
    const Date today = service_.today();
    for (const auto& ag : service_.all()) {
      const auto& m = ag.manifest();
      agreement::AgreementStatus s = ag.status(today);
      web::AgreementInfo info;
      info.id = ag.id();
      info.title = m.agencyName.empty() ? m.shortName : m.agencyName;
      info.pksNumber = m.pksNumbers.empty() ? "" : m.pksNumbers.back();
      info.signedOn = m.signedOn;
      info.endsOn = s.end;
      switch (s.phase) {
        case agreement::Phase::kActive:
          info.status = "aktif";
          info.statusLabel = "Aktif";
          break;
        case agreement::Phase::kExpiring:
          // Juknis 2025: ask for the extension at least two months before the end.
          info.status = "aktif";
          info.statusLabel = "Aktif — segera ajukan perpanjangan";
          break;
        case agreement::Phase::kExpired:
          // DOMAIN rule 8: access stops at the end of the term unless an Adendum extends it.
          info.status = "berakhir";
          info.statusLabel = "Berakhir — akses ditutup";
          break;
        case agreement::Phase::kNotStarted:
          info.status = "belum_berlaku";
          info.statusLabel = "Belum berlaku";
          break;
      }
      out.push_back(std::move(info));
    }
    return out;
  }

 private:
  const agreement::AgreementService& service_;
};

int run(AppContext& ctx, const std::vector<std::string>& args) {
  Args a(args, {{"bind"}, {"port"}});
  auto& cfg = ctx.config();
  web::ServerConfig sc;
  sc.bindAddress = a.value("bind").value_or(cfg.getString("web.bind", "127.0.0.1"));
  sc.port = uint16_t(a.integer("port", 0, 65535).value_or(cfg.getInt("web.port", 8080)));
  sc.threads = cfg.getInt("web.threads", 8);
  sc.maxBodyBytes = size_t(cfg.getInt("web.max_body_bytes", 1 << 20));
  const std::string cert = cfg.getString("web.tls.certificate", "");
  const std::string key = cfg.getString("web.tls.key", "");
  if (cert.empty() != key.empty())
    throw std::runtime_error(
        "web.tls.certificate and web.tls.key must be set together (or both left empty for "
        "plain HTTP on loopback)");
  if (!cert.empty()) sc.tls = web::TlsConfig{cert, key};
  // Comma-separated Host names the server answers to (empty: loopback names on loopback).
  std::string hosts = cfg.getString("web.allowed_hosts", "");
  for (size_t i = 0; i < hosts.size();) {
    size_t j = hosts.find(',', i);
    if (j == std::string::npos) j = hosts.size();
    std::string h = hosts.substr(i, j - i);
    h.erase(0, h.find_first_not_of(' '));
    h.erase(h.find_last_not_of(' ') + 1);
    if (!h.empty()) sc.allowedHosts.push_back(h);
    i = j + 1;
  }

  web::WebAppConfig wc;
  wc.sessions.idle = std::chrono::minutes{cfg.getInt("web.session.idle_minutes", 30)};
  wc.sessions.absolute = std::chrono::hours{cfg.getInt("web.session.absolute_hours", 12)};

  // With a demo "today" (clock.today) AppContext's clock stands still; the pattern guard's
  // rapid-entry rule (juknis: not "dalam waktu yang berdekatan") would then refuse every
  // lookup after the first. serve runs the clock from that day's start instead.
  std::unique_ptr<OffsetClock> runningClock;
  if (!cfg.getString(keys::kClockToday, "").empty())
    runningClock = std::make_unique<OffsetClock>(ctx.clock().now());
  const Clock& clock = runningClock ? *runningClock : ctx.clock();
  store::Database& db = ctx.database();
  ServiceAgreementDirectory directory(ctx.agreements());
  // Security events go to the log (never a password or token; usernames are staff names).
  web::WebApp app(db, clock, directory, wc, [](const web::SecurityEvent& e) {
    spdlog::info("web security: {} subject='{}' {}", e.kind, e.subject, e.detail);
  });
  static const SystemClock kSystemClock;
  app.health().add("store", web::storeHealthCheck(db));
  app.health().add("clock", web::clockHealthCheck(clock, kSystemClock, Date(2025, 1, 1)));
  // The lookup entry points for agency applications (REST with API tokens, and the
  // CALL_NIK-compatible endpoint), both through the one lookup pipeline (core/lookup).
  lookup::LookupHost lookups(cfg, db, ctx.agreements(), clock);
  lookup::registerLookupRoutes(app.router(), lookups.service(), app.tokens(), lookups.registry());
  // The operator screens' lookup, cross-check and pattern-release endpoints (issue 7).
  web::UiServices ui{lookups.service(), ctx.agreements(), lookups.operators(), lookups.releases(),
                     clock, lookups.audit(), lookups.obligations(), lookups.quota(),
                     lookups.registry()};
  web::registerUiLookupRoutes(app.router(), ui);
  web::registerUiDashboardRoutes(app.router(), ui);
  // The KTP-el reader on the lookup screen: status, events (one PC/SC watcher) and card
  // lookups through core/cardflow into the same pipeline.
  web::ReaderHost readerHost(cfg, db, ui, lookups.hasher());
  web::registerUiReaderRoutes(app.router(), readerHost);
  app.health().add("readers", readerHost.healthCheck());
  if (!readerHost.notConfiguredWhy().empty())
    spdlog::warn("reader: card lookups off: {}", readerHost.notConfiguredWhy());
  // Data balikan (issue 6): one record, uploads and status for agency applications. The
  // records go to the durable outbox; `gerbang balikan deliver` sends them (a separate
  // process or timer: outbox leases make it safe beside this one).
  outbox::OutboxRepository balikanOutbox(db);
  balikan::IntakeService balikanIntake(lookups.obligations(), balikanOutbox, lookups.hasher(),
                                       clock);
  balikanIntake.addPlugins(ctx.plugins());
  // The delivery worker (docs/balikan.md): every balikan.delivery.interval_seconds, and at
  // once when a record is accepted; stopped and joined on SIGINT/SIGTERM below.
  plugin::Registry& balikanPlugins = ctx.plugins();
  outbox::DeliveryHost balikanDelivery(
      cfg, balikanOutbox, clock,
      [&balikanPlugins](const std::string& id) {
        const plugin::LoadedPlugin* pl = balikanPlugins.find(id);
        return pl != nullptr ? pl->manifest().agencyName : id;
      },
      [&lookups, &clock](const std::string& ag, const std::string& key) {
        (void)lookups.obligations().markDelivered(ag, key, clock.now());
      });
  if (outbox::DeliveryHost::configured(cfg))
    balikanDelivery.startWorker(std::chrono::seconds(cfg.getInt(
        outbox::kDeliveryIntervalKey, outbox::kDefaultDeliveryIntervalSeconds)));
  else
    spdlog::info("balikan: balikan.url not set; no delivery worker (gerbang balikan deliver)");
  auto wakeDelivery = [&balikanDelivery] { balikanDelivery.wake(); };
  balikan::registerBalikanRoutes(app.router(), balikanIntake, wakeDelivery);
  balikan::BalikanUiServices balikanUi{balikanIntake, lookups.obligations(), balikanOutbox,
                                       lookups.audit(), clock, wakeDelivery,
                                       balikanDelivery.workerRunning()};
  balikan::registerBalikanUiRoutes(app.router(), balikanUi);
  // The plugins' own routes under /api/v1/agencies/{id}/..., wrapped by core/agency (auth,
  // CSRF, rate limit, operator + NDA, minimisation, audit; host.lookup and submit_balikan).
  agency::AgencyRoutes agencyRoutes({ctx.plugins(), ctx.agreements(), lookups.service(),
                                     lookups.operators(), &balikanIntake, db, clock, wakeDelivery},
                                    agency::agencyConfigFrom(cfg));
  agencyRoutes.mount(app.router());
  // Uploads from the operator screen may be larger than other requests.
  const size_t uploadMax = size_t(cfg.getInt("balikan.upload.max_bytes", 8 << 20));
  sc.bodyLimit = [uploadMax](const std::string& method, const std::string& path) -> size_t {
    const std::string suffix = "/balikan/uploads";
    return method == "POST" && path.size() > suffix.size() &&
                   path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0
               ? uploadMax
               : 0;
  };
  // Supervisor and admin screens; /healthz and /metrics for the domain (core/web/ops_monitor).
  web::OpsMonitorConfig monitorConfig;
  monitorConfig.anchorKey = lookup::LookupHost::auditOptions(lookups.hasher()).anchorKey;
  monitorConfig.portalUrl = cfg.getString("portal.url", "");
  web::OpsMonitor monitor(app, ui, &balikanOutbox, monitorConfig);
  web::registerUiSuperviseRoutes(app.router(), ui, app.accounts(), monitor.chain());
  web::UiAdminServices adminUi{ctx.agreements(), ctx.plugins()};
  web::registerUiAdminRoutes(app.router(), adminUi);
  if (lookups.gateway() != nullptr)
    for (const auto& [id, why] : lookups.gateway()->unconfigured())
      spdlog::warn("lookup: no registry account for {}: {}", id, why);

  // Block SIGINT/SIGTERM before the server's threads start, so they reach sigwait() below.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGINT);
  sigaddset(&stopSignals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

  web::Server server(sc, [&app](web::Request& q, web::Response& r) { app.handle(q, r); });
  readerHost.start();
  server.start();
  ctx.out() << "Gerbang melayani di " << server.baseUrl() << "/ (Ctrl+C untuk berhenti)"
            << std::endl;
  if (app.accounts().list().empty())
    ctx.out() << "Belum ada akun web. Buat akun: gerbang accounts add --username NAMA "
                 "--role admin --agreement KODE (kata sandi dibaca dari stdin)"
              << std::endl;
  spdlog::info("web: serving on {}", server.baseUrl());
  int sig = 0;
  sigwait(&stopSignals, &sig);
  spdlog::info("web: stopping on signal {}", sig);
  readerHost.stop();  // releases waiting long-polls
  server.stop();
  balikanDelivery.stopWorker();  // a batch in flight finishes, then the thread is joined
  return kExitOk;
}

}  // namespace

Command serveCommand() {
  return {"serve", "run the operator web app and REST API",
          "Usage: gerbang serve [--bind ADDRESS] [--port N]\n\n"
          "Serves the operator screens and /api/v1 (docs/web.md, docs/openapi.json), /healthz\n"
          "and /metrics until SIGINT or SIGTERM.\n\n"
          "Plain HTTP is allowed only on a loopback address (127.0.0.0/8, ::1). To serve the\n"
          "agency LAN set web.tls.certificate and web.tls.key (PEM; TLS 1.2 or newer).\n\n"
          "Options:\n"
          "  --bind ADDRESS   IP address to listen on (default web.bind, 127.0.0.1)\n"
          "  --port N         TCP port, 0 for any free port (default web.port, 8080)\n\n"
          "Configuration keys: web.bind, web.port, web.tls.certificate, web.tls.key,\n"
          "web.threads, web.max_body_bytes, web.allowed_hosts, web.session.idle_minutes,\n"
          "web.session.absolute_hours, web.agency_routes.per_minute,\n"
          "web.agency_routes.max_body_bytes.\n",
          run};
}

}  // namespace gerbang::app
