#include "core/web/access.hpp"

#include "core/web/password.hpp"

#include <algorithm>

namespace gerbang::web {

AccessControl::AccessControl(AccountStore& accounts, SessionStore& sessions, ApiTokenStore& tokens)
    : accounts_(accounts), sessions_(sessions), tokens_(tokens) {}

std::optional<Principal> AccessControl::sessionPrincipal(Request& req) const {
  std::string id = req.cookie(kSessionCookie);
  if (id.empty()) return std::nullopt;
  auto user = sessions_.resume(id);
  if (!user) return std::nullopt;
  auto account = accounts_.find(*user);
  if (!account || account->disabled) {
    sessions_.destroy(id);
    return std::nullopt;
  }
  req.sessionId = id;
  Principal p;
  p.kind = Principal::Kind::kSession;
  p.username = account->username;
  p.role = account->role;
  p.operatorId = account->operatorId;
  p.agreements = account->agreements;
  return p;
}

std::optional<AccessControl::Denial> AccessControl::check(const Route& route, Request& req) const {
  if (route.access == Access::kPublic) return std::nullopt;

  if (route.access == Access::kApiToken) {
    std::string auth = req.header("Authorization");
    std::optional<ApiToken> token;
    if (auth.size() > 7 && auth.compare(0, 7, "Bearer ") == 0)
      token = tokens_.verify(std::string_view(auth).substr(7));
    if (!token)
      return Denial{
          401, Error{"not_authenticated", "Token API tidak ada, salah, atau sudah dicabut.", ""}};
    Principal p;
    p.kind = Principal::Kind::kApiToken;
    p.username = token->application;
    p.agreements = {token->agreementId};
    p.tokenId = token->id;
    if (!p.belongsTo(req.param(route.scopeParam)))
      return Denial{404, Error{"agreement_not_found", "Perjanjian tidak ditemukan.", ""}};
    req.principal = std::move(p);
    return std::nullopt;
  }

  auto p = sessionPrincipal(req);
  if (!p)
    return Denial{401, Error{"not_authenticated",
                             "Sesi tidak ada atau telah berakhir. Silakan masuk kembali.", ""}};
  // Cookies ride along on cross-site requests; the token in a custom header does not, and a
  // page from another origin cannot read it (docs/web.md, CSRF).
  if (isStateChanging(req.method) &&
      !constantTimeEquals(req.header(kCsrfHeader), SessionStore::csrfTokenFor(req.sessionId)))
    return Denial{403, Error{"csrf_failed",
                             "Token keamanan (CSRF) tidak ada atau salah. Muat ulang halaman "
                             "lalu coba lagi.",
                             ""}};
  if (std::find(route.roles.begin(), route.roles.end(), p->role) == route.roles.end())
    return Denial{403, Error{"forbidden",
                             std::string("Peran Anda (") + roleName(p->role) +
                                 ") tidak berwenang untuk tindakan ini.",
                             ""}};
  if (!route.scopeParam.empty() && !p->belongsTo(req.param(route.scopeParam)))
    return Denial{404, Error{"agreement_not_found", "Perjanjian tidak ditemukan.", ""}};
  req.principal = std::move(*p);
  return std::nullopt;
}

}  // namespace gerbang::web
