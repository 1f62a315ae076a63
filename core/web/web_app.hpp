// The web application: the route table with the built-in routes (session, agreements,
// accounts, API tokens, /healthz, /metrics), access control around every route, and the
// embedded screens. Other modules mount their routes on router() before the Server
// starts (plugin routes go under /api/v1/agencies/{id}/...).
//
// Built-in routes and who may call them are listed in docs/web.md and docs/openapi.json;
// a test keeps the three in step.
#pragma once

#include "core/common/clock.hpp"
#include "core/store/database.hpp"
#include "core/web/access.hpp"
#include "core/web/accounts.hpp"
#include "core/web/agreement_directory.hpp"
#include "core/web/api_tokens.hpp"
#include "core/web/health.hpp"
#include "core/web/metrics.hpp"
#include "core/web/router.hpp"
#include "core/web/sessions.hpp"

namespace gerbang::web {

struct WebAppConfig {
  SessionPolicy sessions;
  LoginPolicy login;
};

// Role sets used by the built-in routes (and available to modules mounting theirs).
inline const std::vector<Role> kEveryRole{Role::kOperator, Role::kSupervisor, Role::kAdmin,
                                          Role::kEvaluator};
// Roles that may see personal data (everyone but the registry's evaluators).
inline const std::vector<Role> kStaffRoles{Role::kOperator, Role::kSupervisor, Role::kAdmin};

class WebApp {
 public:
  // `db`, `clock` and `agreements` must outlive the app. Creates the web tables. `audit`
  // receives sign-in, account and token events (may be empty).
  WebApp(store::Database& db, const Clock& clock, const AgreementDirectory& agreements,
         WebAppConfig config = {}, SecurityAuditSink audit = {});

  // Routes may be added until the Server starts; not thread-safe before that.
  Router& router() { return router_; }
  AccountStore& accounts() { return accounts_; }
  SessionStore& sessions() { return sessions_; }
  ApiTokenStore& tokens() { return tokens_; }
  HealthRegistry& health() { return health_; }
  MetricsRegistry& metrics() { return metrics_; }
  const AccessControl& access() const { return access_; }

  // Answers one request: route match, access control, handler, or an embedded asset.
  // Thread-safe once routes are fixed. This is the Server's dispatch function.
  void handle(Request& req, Response& res);

 private:
  void addBuiltInRoutes();
  Poco::JSON::Object agreementJson(const AgreementInfo& a) const;
  Poco::JSON::Object sessionJson(const Principal& p, const std::string& sessionId) const;

  const Clock& clock_;
  const AgreementDirectory& agreements_;
  SecurityAuditSink audit_;
  AccountStore accounts_;
  SessionStore sessions_;
  ApiTokenStore tokens_;
  AccessControl access_;
  Router router_;
  HealthRegistry health_;
  MetricsRegistry metrics_;
  MetricFamily& requests_;
  MetricFamily& logins_;
};

}  // namespace gerbang::web
