#include "core/web/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace gerbang::web {
namespace {

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 1;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

bool isParam(const std::string& seg) {
  return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}

// Matches and returns the number of literal segments (the route's specificity), or -1.
int matchPattern(const std::string& pattern, const std::vector<std::string>& segs,
                 std::map<std::string, std::string>* params) {
  std::vector<std::string> pat = split(pattern);
  if (pat.size() != segs.size()) return -1;
  int literals = 0;
  for (size_t i = 0; i < pat.size(); ++i) {
    if (isParam(pat[i])) {
      if (segs[i].empty()) return -1;
      if (params) (*params)[pat[i].substr(1, pat[i].size() - 2)] = segs[i];
    } else if (pat[i] == segs[i]) {
      ++literals;
    } else {
      return -1;
    }
  }
  return literals;
}

}  // namespace

const char* accessKindName(Access access) {
  switch (access) {
    case Access::kPublic:
      return "public";
    case Access::kSession:
      return "session";
    case Access::kApiToken:
      return "api_token";
  }
  return "?";
}

bool isStateChanging(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

void Router::add(Route route) {
  static const std::vector<std::string> kMethods{"GET", "POST", "PUT", "PATCH", "DELETE"};
  const std::string where = route.method + " " + route.pattern;
  if (std::find(kMethods.begin(), kMethods.end(), route.method) == kMethods.end())
    throw std::invalid_argument("router: unsupported method in " + where);
  if (route.pattern.empty() || route.pattern.front() != '/')
    throw std::invalid_argument("router: pattern must start with '/': " + where);
  bool hasScope = route.scopeParam.empty();
  for (const std::string& seg : split(route.pattern)) {
    if (seg.empty() && route.pattern != "/")
      throw std::invalid_argument("router: empty path segment in " + where);
    if (seg.find_first_of("{}") != std::string::npos && !isParam(seg))
      throw std::invalid_argument("router: malformed parameter segment '" + seg + "' in " + where);
    if (isParam(seg) && seg.substr(1, seg.size() - 2) == route.scopeParam) hasScope = true;
  }
  if (!hasScope)
    throw std::invalid_argument("router: scope parameter {" + route.scopeParam + "} is not in " +
                                where);
  if (route.access == Access::kSession && route.roles.empty())
    throw std::invalid_argument("router: session route without roles: " + where);
  if (route.access != Access::kSession && !route.roles.empty())
    throw std::invalid_argument("router: roles only apply to session routes: " + where);
  if (route.access == Access::kApiToken && route.scopeParam.empty())
    throw std::invalid_argument("router: API-token routes must be agreement-scoped: " + where);
  if (!route.handler) throw std::invalid_argument("router: no handler for " + where);
  for (const Route& r : routes_) {
    // Two patterns that differ only in parameter names collide too.
    std::vector<std::string> a = split(r.pattern), b = split(route.pattern);
    bool same = r.method == route.method && a.size() == b.size();
    for (size_t i = 0; same && i < a.size(); ++i)
      same = (isParam(a[i]) && isParam(b[i])) || a[i] == b[i];
    if (same) throw std::invalid_argument("router: duplicate route " + where);
  }
  routes_.push_back(std::move(route));
}

std::optional<Router::Match> Router::match(const std::string& method, const std::string& path,
                                           bool* pathKnown,
                                           std::vector<std::string>* allowed) const {
  if (pathKnown) *pathKnown = false;
  if (path.empty() || path.front() != '/') return std::nullopt;
  std::vector<std::string> segs = split(path);
  std::optional<Match> best;
  int bestScore = -1;
  for (const Route& r : routes_) {
    std::map<std::string, std::string> params;
    int score = matchPattern(r.pattern, segs, &params);
    if (score < 0) continue;
    if (r.method != method) {
      if (pathKnown) *pathKnown = true;
      if (allowed && std::find(allowed->begin(), allowed->end(), r.method) == allowed->end())
        allowed->push_back(r.method);
      continue;
    }
    if (score > bestScore) {
      bestScore = score;
      best = Match{&r, std::move(params)};
    }
  }
  return best;
}

}  // namespace gerbang::web
