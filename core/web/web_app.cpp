#include "core/web/web_app.hpp"

#include "core/web/assets.hpp"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <set>

namespace gerbang::web {
namespace {

const char* roleLabel(Role r) {
  switch (r) {
    case Role::kOperator:
      return "Operator";
    case Role::kSupervisor:
      return "Penanggung jawab";
    case Role::kAdmin:
      return "Admin";
    case Role::kEvaluator:
      return "Evaluator Dukcapil";
  }
  return "";
}

Poco::JSON::Array strings(const std::vector<std::string>& v) {
  Poco::JSON::Array a;
  for (const auto& s : v) a.add(s);
  return a;
}

bool isJson(const Request& req) {
  std::string ct = req.header("Content-Type");
  return ct.rfind("application/json", 0) == 0;
}

// Agreements two principals have in common (tenant isolation for account administration).
bool sharesAgreement(const Principal& p, const Account& a) {
  return std::any_of(a.agreements.begin(), a.agreements.end(),
                     [&](const std::string& g) { return p.belongsTo(g); });
}

Poco::JSON::Object accountJson(const Account& a, const Principal& viewer) {
  Poco::JSON::Object o;
  o.set("username", a.username);
  o.set("role", roleName(a.role));
  o.set("roleLabel", roleLabel(a.role));
  if (a.operatorId) o.set("operatorId", *a.operatorId);
  std::vector<std::string> visible;
  for (const auto& g : a.agreements)
    if (viewer.belongsTo(g)) visible.push_back(g);
  o.set("agreements", strings(visible));
  o.set("disabled", a.disabled);
  return o;
}

}  // namespace

WebApp::WebApp(store::Database& db, const Clock& clock, const AgreementDirectory& agreements,
               WebAppConfig config, SecurityAuditSink audit)
    : clock_(clock),
      agreements_(agreements),
      audit_(std::move(audit)),
      accounts_(db, clock, audit_, config.login),
      sessions_(db, clock, config.sessions),
      tokens_(db, clock, audit_),
      access_(accounts_, sessions_, tokens_),
      requests_(metrics_.counter("gerbang_http_requests_total",
                                 "HTTP requests answered, by route pattern, method and status.",
                                 {"route", "method", "status"})),
      logins_(metrics_.counter("gerbang_web_logins_total", "Sign-in attempts by outcome.",
                               {"outcome"})) {
  auto& live = metrics_.gauge("gerbang_web_sessions_live", "Browser sessions not yet expired.");
  metrics_.addCollector([this, &live] { live.set({}, sessions_.liveCount()); });
  addBuiltInRoutes();
}

Poco::JSON::Object WebApp::agreementJson(const AgreementInfo& a) const {
  Poco::JSON::Object o;
  o.set("id", a.id);
  o.set("title", a.title);
  o.set("pksNumber", a.pksNumber);
  o.set("signedOn", a.signedOn.iso());
  o.set("endsOn", a.endsOn.iso());
  o.set("status", a.status);
  o.set("statusLabel", a.statusLabel);
  // Calendar days in Asia/Jakarta; negative once the term is over.
  o.set("daysLeft", clock_.today().daysUntil(a.endsOn));
  return o;
}

Poco::JSON::Object WebApp::sessionJson(const Principal& p, const std::string& sessionId) const {
  Poco::JSON::Object o;
  o.set("authenticated", true);
  o.set("username", p.username);
  o.set("role", roleName(p.role));
  o.set("roleLabel", roleLabel(p.role));
  if (p.operatorId) o.set("operatorId", *p.operatorId);
  o.set("agreements", strings(p.agreements));
  o.set("csrfToken", SessionStore::csrfTokenFor(sessionId));
  return o;
}

void WebApp::addBuiltInRoutes() {
  Router& r = router_;

  r.add({"GET",
         "/healthz",
         Access::kPublic,
         {},
         "",
         "Kesehatan layanan (pemeriksaan terdaftar)",
         [this](Request&, Response& res) {
           auto report = health_.run();
           Poco::JSON::Object o, checks;
           o.set("status", healthStateName(report.overall));
           for (const auto& [name, result] : report.checks) {
             Poco::JSON::Object c;
             c.set("status", healthStateName(result.state));
             c.set("detail", result.detail);
             checks.set(name, c);
           }
           o.set("checks", checks);
           res.json(report.overall == HealthState::kFail ? 503 : 200, o);
         }});

  r.add({"GET",
         "/metrics",
         Access::kPublic,
         {},
         "",
         "Metrik format teks Prometheus",
         [this](Request&, Response& res) {
           res.status = 200;
           res.contentType = "text/plain; version=0.0.4; charset=utf-8";
           res.body = metrics_.exposition();
         }});

  r.add({"GET",
         "/api/v1/session",
         Access::kPublic,
         {},
         "",
         "Sesi saat ini dan token CSRF (atau authenticated=false)",
         [this](Request& req, Response& res) {
           auto p = access_.sessionPrincipal(req);
           if (!p) {
             Poco::JSON::Object o;
             o.set("authenticated", false);
             res.json(200, o);
             return;
           }
           res.json(200, sessionJson(*p, req.sessionId));
         }});

  r.add({"POST",
         "/api/v1/session",
         Access::kPublic,
         {},
         "",
         "Masuk (username + kata sandi)",
         [this](Request& req, Response& res) {
           // A cross-site form cannot send application/json without a CORS preflight,
           // which this server never grants: that is the login form's CSRF defence.
           if (!isJson(req)) {
             res.error(415, "unsupported_media_type", "Kirim data masuk sebagai application/json.");
             return;
           }
           auto body = parseJsonObject(req);
           if (!body.ok()) return res.error(400, body.error());
           auto user = stringField(**body, "username", 64);
           auto pass = stringField(**body, "password", 256);
           if (!user.ok()) return res.error(400, user.error());
           if (!pass.ok()) return res.error(400, pass.error());
           auto account = accounts_.authenticate(*user, *pass);
           if (!account.ok()) {
             const std::string& code = account.error().code;
             logins_.inc({code == "login_failed"     ? "failed"
                          : code == "account_locked" ? "locked"
                                                     : "disabled"});
             return res.error(code == "login_failed" ? 401 : 403, account.error());
           }
           logins_.inc({"ok"});
           // A fresh id at every sign-in (no session fixation).
           std::string old = req.cookie(kSessionCookie);
           if (!old.empty()) sessions_.destroy(old);
           auto created = sessions_.create(account->username);
           res.cookies.push_back(sessions_.cookieFor(created.id, req.secure));
           Principal p;
           p.username = account->username;
           p.role = account->role;
           p.operatorId = account->operatorId;
           p.agreements = account->agreements;
           res.json(200, sessionJson(p, created.id));
         }});

  r.add({"DELETE", "/api/v1/session", Access::kSession, kEveryRole, "", "Keluar",
         [this](Request& req, Response& res) {
           sessions_.destroy(req.sessionId);
           if (audit_) audit_(SecurityEvent{"logout", req.principal->username, ""});
           res.cookies.push_back(SessionStore::clearingCookie(req.secure));
           Poco::JSON::Object o;
           o.set("authenticated", false);
           res.json(200, o);
         }});

  r.add({"PUT", "/api/v1/session/password", Access::kSession, kEveryRole, "",
         "Ganti kata sandi sendiri (mengakhiri sesi lain)", [this](Request& req, Response& res) {
           auto body = parseJsonObject(req);
           if (!body.ok()) return res.error(400, body.error());
           auto cur = stringField(**body, "currentPassword", 256);
           auto next = stringField(**body, "newPassword", 256);
           if (!cur.ok()) return res.error(400, cur.error());
           if (!next.ok()) return res.error(400, next.error());
           const std::string user = req.principal->username;
           if (!accounts_.checkPassword(user, *cur))
             return res.error(403, "wrong_password", "Kata sandi saat ini salah.");
           if (auto st = accounts_.setPassword(user, *next); !st.ok())
             return res.error(400, st.error());
           sessions_.destroyAllFor(user);
           auto created = sessions_.create(user);
           res.cookies.push_back(sessions_.cookieFor(created.id, req.secure));
           res.json(200, sessionJson(*req.principal, created.id));
         }});

  r.add({"GET", "/api/v1/agreements", Access::kSession, kEveryRole, "",
         "Perjanjian (PKS) milik pengguna, dengan status dan sisa hari",
         [this](Request& req, Response& res) {
           Poco::JSON::Array list;
           for (const auto& a : agreements_.list())
             if (req.principal->belongsTo(a.id)) list.add(agreementJson(a));
           Poco::JSON::Object o;
           o.set("today", clock_.today().iso());
           o.set("agreements", list);
           res.json(200, o);
         }});

  r.add({"GET", "/api/v1/agreements/{id}", Access::kSession, kEveryRole, "id",
         "Satu perjanjian (PKS)", [this](Request& req, Response& res) {
           auto a = agreements_.find(req.param("id"));
           if (!a) return res.error(404, "agreement_not_found", "Perjanjian tidak ditemukan.");
           res.json(200, agreementJson(*a));
         }});

  r.add({"GET",
         "/api/v1/agreements/{id}/tokens",
         Access::kSession,
         {Role::kSupervisor, Role::kAdmin},
         "id",
         "Token API aplikasi untuk perjanjian ini",
         [this](Request& req, Response& res) {
           Poco::JSON::Array list;
           for (const auto& t : tokens_.list(req.param("id"))) {
             Poco::JSON::Object o;
             o.set("id", t.id);
             o.set("application", t.application);
             o.set("createdBy", t.createdBy);
             o.set("createdOn", Date::jakartaDayOf(t.createdAt).iso());
             o.set("revoked", t.revoked);
             list.add(o);
           }
           Poco::JSON::Object o;
           o.set("tokens", list);
           res.json(200, o);
         }});

  r.add({"POST",
         "/api/v1/agreements/{id}/tokens",
         Access::kSession,
         {Role::kAdmin},
         "id",
         "Buat token API (ditampilkan sekali)",
         [this](Request& req, Response& res) {
           auto body = parseJsonObject(req);
           if (!body.ok()) return res.error(400, body.error());
           auto app = stringField(**body, "application", 100);
           if (!app.ok()) return res.error(400, app.error());
           auto issued = tokens_.create(req.param("id"), *app, req.principal->username);
           if (!issued.ok()) return res.error(400, issued.error());
           Poco::JSON::Object o;
           o.set("id", issued->token.id);
           o.set("application", issued->token.application);
           o.set("token", issued->secret);
           res.json(201, o);
         }});

  r.add({"DELETE",
         "/api/v1/agreements/{id}/tokens/{tokenId}",
         Access::kSession,
         {Role::kAdmin},
         "id",
         "Cabut token API",
         [this](Request& req, Response& res) {
           std::string idText = req.param("tokenId");
           if (idText.empty() || idText.size() > 18 ||
               idText.find_first_not_of("0123456789") != std::string::npos)
             return res.error(404, "token_not_found", "Token tidak ditemukan atau sudah dicabut.");
           auto st = tokens_.revoke(req.param("id"), std::stoll(idText), req.principal->username);
           if (!st.ok()) return res.error(404, st.error());
           Poco::JSON::Object o;
           o.set("revoked", true);
           res.json(200, o);
         }});

  r.add({"GET",
         "/api/v1/accounts",
         Access::kSession,
         {Role::kAdmin},
         "",
         "Akun web yang berbagi perjanjian dengan admin",
         [this](Request& req, Response& res) {
           Poco::JSON::Array list;
           for (const auto& a : accounts_.list())
             if (sharesAgreement(*req.principal, a)) list.add(accountJson(a, *req.principal));
           Poco::JSON::Object o;
           o.set("accounts", list);
           res.json(200, o);
         }});

  r.add({"POST",
         "/api/v1/accounts",
         Access::kSession,
         {Role::kAdmin},
         "",
         "Buat akun web untuk perjanjian admin",
         [this](Request& req, Response& res) {
           auto body = parseJsonObject(req);
           if (!body.ok()) return res.error(400, body.error());
           auto user = stringField(**body, "username", 64);
           auto role = stringField(**body, "role", 16);
           auto pass = stringField(**body, "password", 256);
           auto op = stringField(**body, "operatorId", 64, false);
           for (auto* f : {&user, &role, &pass, &op})
             if (!f->ok()) return res.error(400, f->error());
           auto parsedRole = parseRole(*role);
           if (!parsedRole)
             return res.error(400, "invalid_field",
                              "Kolom 'role' harus operator, supervisor, admin atau evaluator.");
           NewAccount na;
           na.username = *user;
           na.role = *parsedRole;
           if (!op->empty()) na.operatorId = *op;
           Poco::JSON::Array::Ptr gs = (*body)->getArray("agreements");
           if (!gs || gs->size() == 0)
             return res.error(400, "invalid_field",
                              "Kolom 'agreements' wajib berisi minimal satu kode perjanjian.");
           for (size_t i = 0; i < gs->size(); ++i) {
             Poco::Dynamic::Var v = gs->get(unsigned(i));
             if (!v.isString())
               return res.error(
                   400, "invalid_field",
                   "Kolom 'agreements' hanya berisi teks (posisi " + std::to_string(i) + ").");
             std::string g = v.extract<std::string>();
             // An admin grants only the agreements they belong to themselves.
             if (!req.principal->belongsTo(g))
               return res.error(404, "agreement_not_found", "Perjanjian tidak ditemukan.");
             na.agreements.push_back(g);
           }
           auto st = accounts_.create(na, *pass);
           if (!st.ok())
             return res.error(st.error().code == "username_taken" ? 409 : 400, st.error());
           res.json(201, accountJson(*accounts_.find(na.username), *req.principal));
         }});

  r.add({"PUT",
         "/api/v1/accounts/{username}/password",
         Access::kSession,
         {Role::kAdmin},
         "",
         "Atur ulang kata sandi akun (mengakhiri sesinya)",
         [this](Request& req, Response& res) {
           auto target = accounts_.find(req.param("username"));
           if (!target || !sharesAgreement(*req.principal, *target))
             return res.error(404, "account_not_found", "Akun tidak ditemukan.");
           auto body = parseJsonObject(req);
           if (!body.ok()) return res.error(400, body.error());
           auto pass = stringField(**body, "password", 256);
           if (!pass.ok()) return res.error(400, pass.error());
           if (auto st = accounts_.setPassword(target->username, *pass); !st.ok())
             return res.error(400, st.error());
           sessions_.destroyAllFor(target->username);
           Poco::JSON::Object o;
           o.set("username", target->username);
           o.set("passwordSet", true);
           res.json(200, o);
         }});

  // Read at request time: modules mount their routes after this one, before the start.
  r.add({"GET",
         "/api/v1/routes",
         Access::kSession,
         {Role::kAdmin},
         "",
         "Daftar semua rute yang dipasang server (metode, pola, akses, peran, cakupan)",
         [this](Request&, Response& res) {
           Poco::JSON::Array list;
           for (const Route& route : router_.routes()) {
             Poco::JSON::Object o;
             o.set("method", route.method);
             o.set("pattern", route.pattern);
             o.set("access", accessKindName(route.access));
             Poco::JSON::Array roles;
             for (Role role : route.roles) roles.add(std::string(roleName(role)));
             o.set("roles", roles);
             o.set("scope", route.scopeParam);
             o.set("summary", route.summary);
             list.add(o);
           }
           Poco::JSON::Object o;
           o.set("routes", list);
           res.json(200, o);
         }});

  r.add({"GET",
         "/api/v1/agencies/{id}/client",
         Access::kApiToken,
         {},
         "id",
         "Identitas aplikasi pemegang token API (uji koneksi)",
         [](Request& req, Response& res) {
           Poco::JSON::Object o;
           o.set("agreement", req.param("id"));
           o.set("application", req.principal->username);
           o.set("tokenId", req.principal->tokenId);
           res.json(200, o);
         }});
}

void WebApp::handle(Request& req, Response& res) {
  bool pathKnown = false;
  std::vector<std::string> allowed;
  auto m = router_.match(req.method, req.path, &pathKnown, &allowed);
  std::string routeLabel = "unmatched";
  if (!m) {
    const EmbeddedAsset* asset =
        req.method == "GET" && !req.path.starts_with("/api/") ? findAsset(req.path) : nullptr;
    if (asset != nullptr) {
      routeLabel = "static";
      res.status = 200;
      res.contentType = asset->mediaType;
      res.body.assign(reinterpret_cast<const char*>(asset->data), asset->size);
      res.setHeader("Cache-Control", "no-cache");
    } else if (pathKnown) {
      std::string allow;
      for (const auto& a : allowed) allow += (allow.empty() ? "" : ", ") + a;
      res.setHeader("Allow", allow);
      res.error(405, "method_not_allowed", "Metode " + req.method + " tidak didukung di sini.");
    } else {
      res.error(404, "not_found", "Alamat tidak ditemukan.");
    }
  } else {
    const Route& route = *m->route;
    routeLabel = route.pattern;
    req.params = std::move(m->params);
    if (auto denial = access_.check(route, req)) {
      if (denial->httpStatus == 401 && route.access == Access::kApiToken)
        res.setHeader("WWW-Authenticate", "Bearer");
      res.error(denial->httpStatus, denial->error);
    } else {
      route.handler(req, res);
    }
  }
  static const std::set<std::string> kMethods{"GET",    "POST", "PUT",    "PATCH",
                                              "DELETE", "HEAD", "OPTIONS"};
  requests_.inc(
      {routeLabel, kMethods.count(req.method) ? req.method : "other", std::to_string(res.status)});
}

}  // namespace gerbang::web
