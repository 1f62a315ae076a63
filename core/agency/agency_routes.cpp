#include "core/agency/agency_routes.hpp"

#include "core/agency/answer_filter.hpp"
#include "core/compliance/minimiser.hpp"
#include "core/lookup/answer_json.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <utility>

namespace gerbang::agency {
namespace {

constexpr std::size_t kMaxParams = 32;
constexpr std::size_t kMaxParamBytes = 256;
// A plugin answer longer than this is not forwarded (a screen route answers a few KB).
constexpr std::size_t kMaxAnswerBytes = 1 << 20;

// What the route call running on this thread may do. Set by the wrapper for exactly the
// duration of handle_route; the host services refuse when it is absent (another thread,
// init, a balikan hook, after the call) or names another agreement.
struct CallContext {
  std::string agencyId;
  std::string operatorId;
  bool mayLookup = false;
  bool mayBalikan = false;
  int lookups = 0;
};
thread_local CallContext* tCall = nullptr;

class CallScope {
 public:
  explicit CallScope(CallContext* c) : previous_(tCall) { tCall = c; }
  ~CallScope() { tCall = previous_; }
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

 private:
  CallContext* previous_;
};

void write(gerbang_writer* out, const std::string& s) {
  if (out != nullptr && out->write != nullptr && !s.empty()) out->write(out->ctx, s.data(), s.size());
}

bool has(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

AgencyConfig agencyConfigFrom(const Poco::Util::AbstractConfiguration& conf) {
  AgencyConfig c;
  c.perMinute = conf.getInt("web.agency_routes.per_minute", c.perMinute);
  if (c.perMinute < 1 || c.perMinute > 100000)
    throw std::runtime_error("config: web.agency_routes.per_minute must be between 1 and 100000");
  const int body = conf.getInt("web.agency_routes.max_body_bytes", int(c.maxBodyBytes));
  if (body < 2 || body > (1 << 20))
    throw std::runtime_error(
        "config: web.agency_routes.max_body_bytes must be between 2 and 1048576");
  c.maxBodyBytes = std::size_t(body);
  return c;
}

struct AgencyRoutes::Impl {
  AgencyDeps d;
  AgencyConfig config;
  RateLimiter limiter;
  CallLog* calls = nullptr;

  // One Router entry: the plugins that declare this method + relative path.
  struct Target {
    const plugin::LoadedPlugin* plugin;
    const plugin::Route* route;
  };
  struct Entry {
    std::string method;
    std::string relativePath;
    std::vector<Target> targets;
  };
  std::vector<std::unique_ptr<Entry>> entries;

  Impl(AgencyDeps deps, AgencyConfig c)
      : d(deps), config(c), limiter(deps.clock, c.perMinute) {}

  gerbang_status lookup(std::string_view agency, const char* operatorId, const char* nik,
                        const char* purposeRef, gerbang_writer* out) {
    CallContext* c = tCall;
    if (c == nullptr || c->agencyId != agency || !c->mayLookup || c->operatorId.empty() ||
        c->operatorId != operatorId || c->lookups >= config.maxLookupsPerCall)
      return GERBANG_ERROR;
    ++c->lookups;
    lookup::LookupRequest lr;
    lr.agreementId = std::string(agency);
    lr.operatorId = c->operatorId;
    lr.nik = nik;
    lr.purposeRef = purposeRef;
    lr.channel = lookup::Channel::kPlugin;
    write(out, lookup::toJsonText(d.lookups.lookup(lr)));
    return GERBANG_OK;
  }

  gerbang_status submitBalikan(std::string_view agency, const gerbang_kv* fields,
                               std::size_t count, gerbang_writer* out) {
    CallContext* c = tCall;
    if (c == nullptr || c->agencyId != agency || !c->mayBalikan || d.intake == nullptr)
      return GERBANG_ERROR;
    std::vector<std::pair<std::string, std::string>> record;
    for (std::size_t i = 0; i < count; ++i) {
      if (fields[i].key == nullptr) continue;
      record.emplace_back(fields[i].key, fields[i].value != nullptr ? fields[i].value : "");
    }
    std::vector<balikan::RowError> errors;
    auto r = d.intake->acceptFields(std::string(agency), record, &errors);
    Poco::JSON::Object o;
    if (r.ok()) {
      o.set("status", "accepted");
      o.set("record", r->key);
      o.set("already_queued", r->alreadyQueued);
      o.set("obligation_closed", r->obligationClosed);
      write(out, web::toJson(o));
      if (d.onBalikanAccepted) d.onBalikanAccepted();
      return GERBANG_OK;
    }
    o.set("error", r.error().code);
    o.set("message", r.error().message);
    Poco::JSON::Array arr;
    for (const balikan::RowError& e : errors) {
      Poco::JSON::Object eo;
      eo.set("field", e.field);
      eo.set("label", e.label);
      eo.set("reason", e.reason);
      arr.add(eo);
    }
    o.set("errors", arr);
    write(out, web::toJson(o));
    return r.error().code == "store_unavailable" ? GERBANG_ERROR : GERBANG_INVALID;
  }

  // The registry fields the agreement permits today, after adenda (upper case).
  std::set<std::string> permitted(const agreement::Agreement& ag) const {
    auto terms = ag.termsOn(d.clock.today());
    return compliance::Minimiser(terms.elements, terms.addressParts).permittedFields();
  }

  void handle(const Entry& entry, web::Request& req, web::Response& res) {
    res.setHeader("Cache-Control", "no-store");
    const std::string agencyId = req.param("id");
    const web::Principal& who = *req.principal;
    CallRecord rec;
    rec.at = d.clock.now();
    rec.agreementId = agencyId;
    rec.account = who.username;
    rec.operatorId = who.operatorId.value_or("");
    rec.method = req.method;
    // Every call that reached the wrapper is recorded; `withhold` = the answer carries what
    // the plugin produced, so it is only sent once the record is written (fail closed).
    auto finish = [&](std::string outcome, bool withhold) {
      rec.httpStatus = res.status;
      rec.outcome = std::move(outcome);
      Status st = calls->append(rec);
      if (!st.ok()) {
        spdlog::error("agency routes: {}", st.error().detail);
        if (withhold) {
          res.headers.clear();
          res.setHeader("Cache-Control", "no-store");
          res.error(503, "audit_unavailable",
                    "Catatan audit tidak dapat ditulis; jawaban tidak diberikan. Coba lagi.");
        }
      }
    };

    const Target* target = nullptr;
    for (const Target& t : entry.targets)
      if (t.plugin->manifest().agencyId == agencyId) target = &t;
    if (target == nullptr) {
      rec.routeId = "";
      res.error(404, "route_not_found", "Rute ini tidak disediakan oleh perjanjian ini.");
      return finish("route_not_found", false);
    }
    const plugin::Route& route = *target->route;
    rec.routeId = route.id;
    // One Router entry may serve several plugins: the roles are the declaring plugin's.
    if (!has(route.roles, web::roleName(who.role))) {
      res.error(403, "forbidden",
                std::string("Peran Anda (") + web::roleName(who.role) +
                    ") tidak berwenang untuk tindakan ini.");
      return finish("forbidden", false);
    }
    if (auto wait = limiter.take(who.username + "\n" + agencyId)) {
      res.setHeader("Retry-After", std::to_string(*wait));
      res.error(429, "rate_limited",
                "Terlalu banyak permintaan ke layanan instansi (paling banyak " +
                    std::to_string(config.perMinute) + " per menit). Coba lagi dalam " +
                    std::to_string(*wait) + " detik.");
      return finish("rate_limited", false);
    }
    std::optional<agreement::Agreement> ag;
    try {
      // DOMAIN rule 8: access stops when the term ends (the lookup's own refusal).
      Status access = d.agreements.checkAccess(agencyId);
      if (!access.ok()) {
        res.error(403, access.error());
        return finish(access.error().code, false);
      }
      ag = d.agreements.find(agencyId);
    } catch (const std::exception& e) {
      spdlog::error("agency routes: agreement {}: {}", agencyId, e.what());
      res.error(503, "store_unavailable", "Basis data tidak dapat diakses; coba lagi.");
      return finish("store_unavailable", false);
    }
    if (!ag) {
      res.error(404, "agreement_not_found", "Perjanjian tidak ditemukan.");
      return finish("agreement_not_found", false);
    }
    const bool usesHost = !route.uses.empty();
    if (usesHost && !operatorMayWork(who, agencyId, res)) {
      const std::string code = res.body.find("no_nda") != std::string::npos ? "no_nda" : "no_operator";
      return finish(code, false);
    }
    std::vector<std::pair<std::string, std::string>> params;
    if (!validRequest(req, res, params)) return finish("request_invalid", false);

    std::vector<gerbang_kv> kv;
    kv.reserve(params.size());
    for (const auto& [k, v] : params) kv.push_back({k.c_str(), v.c_str()});
    const std::string operatorId = who.operatorId.value_or("");
    const std::string role = web::roleName(who.role);
    gerbang_route_request call{route.id.c_str(), req.method.c_str(), operatorId.c_str(),
                               role.c_str(),     kv.data(),          kv.size(),
                               req.body.c_str()};
    CallContext ctx;
    ctx.agencyId = agencyId;
    ctx.operatorId = operatorId;
    ctx.mayLookup = has(route.uses, "lookup");
    ctx.mayBalikan = has(route.uses, "balikan");
    Result<plugin::LoadedPlugin::RouteAnswer> answer = [&] {
      CallScope scope(&ctx);
      return target->plugin->handleRoute(call);
    }();
    if (!answer.ok()) {
      spdlog::warn("agency routes: {} {}: {}", agencyId, route.id, answer.error().detail);
      Poco::JSON::Object o;
      o.set("error", answer.error().code);
      o.set("message", answer.error().message);
      // The plugin's own words, NIK-like numbers already redacted by the loader.
      o.set("detail", answer.error().detail);
      res.json(502, o);
      return finish(answer.error().code, true);
    }
    if (answer->body.size() > kMaxAnswerBytes) {
      res.error(502, "plugin_bad_answer",
                "Jawaban plugin perjanjian terlalu besar sehingga tidak diteruskan.");
      return finish("plugin_bad_answer", false);
    }
    auto filtered = minimiseAnswer(answer->body, permitted(*ag));
    if (!filtered.ok()) {
      spdlog::warn("agency routes: {} {}: {}", agencyId, route.id, filtered.error().detail);
      res.error(502, filtered.error());
      return finish(filtered.error().code, false);
    }
    for (const std::string& name : filtered->dropped)
      rec.dropped += (rec.dropped.empty() ? "" : ",") + name;
    if (!filtered->dropped.empty())
      spdlog::warn("agency routes: {} {}: removed members the agreement does not permit: {}",
                   agencyId, route.id, rec.dropped);
    res.status = answer->httpStatus;
    res.contentType = "application/json; charset=utf-8";
    res.body = std::move(filtered->json);
    finish("ok", true);
  }

  // Rule 7: only an operator with an NDA on file may use access; the web account must be
  // linked to one, active and working under this agreement.
  bool operatorMayWork(const web::Principal& who, const std::string& agencyId,
                       web::Response& res) const {
    if (!who.operatorId || who.operatorId->empty()) {
      res.error(403, "no_operator",
                "Akun web ini belum ditautkan ke data operator (NDA). Hubungi admin.");
      return false;
    }
    auto op = d.operators.find(*who.operatorId);
    if (!op.ok() || !op->active || !has(op->agreements, agencyId)) {
      res.error(403, "no_operator",
                "Operator yang ditautkan ke akun ini tidak aktif atau tidak bekerja pada "
                "perjanjian ini. Hubungi admin.");
      return false;
    }
    if (!op->nda) {
      res.error(403, "no_nda",
                "Operator belum menandatangani pernyataan kerahasiaan (NDA); akses belum "
                "diizinkan.");
      return false;
    }
    return true;
  }

  // The body and parameters the plugin will see, checked before it sees them.
  bool validRequest(const web::Request& req, web::Response& res,
                    std::vector<std::pair<std::string, std::string>>& params) const {
    if (req.body.size() > config.maxBodyBytes) {
      res.error(413, "body_too_large",
                "Isi permintaan terlalu besar (paling banyak " +
                    std::to_string(config.maxBodyBytes) + " byte).");
      return false;
    }
    // The C boundary carries NUL-terminated strings: a NUL would cut what the plugin sees.
    if (req.body.find('\0') != std::string::npos) {
      res.error(400, "invalid_json", "Isi permintaan mengandung karakter NUL.");
      return false;
    }
    const bool withBody = req.method == "POST" || req.method == "PUT" || req.method == "PATCH";
    if (withBody) {
      auto obj = web::parseJsonObject(req);
      if (!obj.ok()) {
        res.error(400, obj.error());
        return false;
      }
    } else if (!req.body.empty()) {
      res.error(400, "invalid_request", "Permintaan " + req.method + " tidak boleh berisi badan.");
      return false;
    }
    for (const auto& [k, v] : req.params)
      if (k != "id") params.emplace_back(k, v);
    for (const auto& q : req.query) {
      // A path parameter wins over a query parameter of the same name.
      bool taken = std::any_of(params.begin(), params.end(),
                               [&q](const auto& p) { return p.first == q.first; });
      if (!taken && q.first != "id") params.emplace_back(q.first, q.second);
    }
    if (params.size() > kMaxParams) {
      res.error(400, "invalid_parameter", "Terlalu banyak parameter (paling banyak 32).");
      return false;
    }
    for (const auto& [k, v] : params) {
      if (k.size() > kMaxParamBytes || v.size() > kMaxParamBytes ||
          k.find('\0') != std::string::npos || v.find('\0') != std::string::npos) {
        res.error(400, "invalid_parameter",
                  "Parameter '" + k.substr(0, 40) + "' terlalu panjang atau tidak sah.");
        return false;
      }
    }
    return true;
  }
};

AgencyRoutes::AgencyRoutes(AgencyDeps deps, AgencyConfig config)
    : impl_(std::make_unique<Impl>(deps, config)), calls_(deps.db) {
  impl_->calls = &calls_;
  Impl* impl = impl_.get();
  deps.plugins.setLookupService([impl](std::string_view agency, const char* op, const char* nik,
                                       const char* ref, gerbang_writer* out) {
    return impl->lookup(agency, op, nik, ref, out);
  });
  deps.plugins.setBalikanService(
      [impl](std::string_view agency, const gerbang_kv* f, std::size_t n, gerbang_writer* out) {
        return impl->submitBalikan(agency, f, n, out);
      });
}

AgencyRoutes::~AgencyRoutes() {
  impl_->d.plugins.setLookupService(nullptr);
  impl_->d.plugins.setBalikanService(nullptr);
}

void AgencyRoutes::mount(web::Router& router) {
  std::map<std::pair<std::string, std::string>, Impl::Entry*> byKey;
  for (const plugin::LoadedPlugin* p : impl_->d.plugins.loaded()) {
    for (const plugin::Route& r : p->manifest().routes) {
      if (r.path.find("{id}") != std::string::npos) {
        spdlog::warn("agency routes: {} route {} not mounted: its path parameter 'id' is the "
                     "agreement's",
                     p->manifest().agencyId, r.id);
        continue;
      }
      auto key = std::make_pair(r.method, r.path);
      Impl::Entry*& e = byKey[key];
      if (e == nullptr) {
        impl_->entries.push_back(std::make_unique<Impl::Entry>());
        e = impl_->entries.back().get();
        e->method = r.method;
        e->relativePath = r.path;
      }
      e->targets.push_back({p, &r});
      mounted_.push_back({p->manifest().agencyId, r.id, r.method, kAgencyPrefix + r.path, r.roles,
                          r.uses});
    }
  }
  Impl* impl = impl_.get();
  for (const auto& e : impl_->entries) {
    std::vector<web::Role> roles;
    std::string summary = "Layanan instansi (plugin):";
    for (const Impl::Target& t : e->targets) {
      for (const std::string& name : t.route->roles)
        if (auto role = web::parseRole(name);
            role && std::find(roles.begin(), roles.end(), *role) == roles.end())
          roles.push_back(*role);
      summary += " " + t.plugin->manifest().agencyId + "/" + t.route->id;
    }
    const Impl::Entry* entry = e.get();
    router.add({e->method, kAgencyPrefix + e->relativePath, web::Access::kSession, roles, "id",
                summary, [impl, entry](web::Request& q, web::Response& r) {
                  impl->handle(*entry, q, r);
                }});
  }
}

}  // namespace gerbang::agency
