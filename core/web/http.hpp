// The request and response a route handler sees. They are plain values: handlers never
// touch (or subclass) Poco's server classes; core/web/server.cpp translates both ways.
#pragma once

#include "core/common/result.hpp"

#include <Poco/JSON/Object.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gerbang::web {

// Web account roles. The words are the users' own (penanggung jawab = supervisor).
enum class Role { kOperator, kSupervisor, kAdmin, kEvaluator };
inline constexpr Role kAllRoles[] = {Role::kOperator, Role::kSupervisor, Role::kAdmin,
                                     Role::kEvaluator};
// "operator", "supervisor", "admin", "evaluator".
const char* roleName(Role r);
// Parses a role name as written by roleName(); nullopt for anything else.
std::optional<Role> parseRole(std::string_view s);

// Who is calling, once AccessControl has authenticated the request.
struct Principal {
  enum class Kind { kSession, kApiToken };
  Kind kind = Kind::kSession;
  std::string username;  // session: the web account; token: the application name
  Role role = Role::kOperator;
  std::optional<std::string> operatorId;  // the linked operator (core/operator), if any
  std::vector<std::string> agreements;    // agreement ids the caller belongs to
  Poco::Int64 tokenId = 0;                // API token id (kApiToken only)

  bool belongsTo(std::string_view agreementId) const;
};

struct Request {
  std::string method;  // upper case
  std::string path;    // percent-decoded, without the query
  std::map<std::string, std::string> query;
  // Header names are stored lower-cased; header() looks them up case-insensitively.
  std::map<std::string, std::string> headers;
  std::string body;
  bool secure = false;        // arrived over TLS
  std::string clientAddress;  // "ip:port"
  // Filled by the router: the values of {name} segments of the matched pattern.
  std::map<std::string, std::string> params;
  // Filled by AccessControl for authenticated routes.
  std::optional<Principal> principal;
  // Filled by AccessControl: the raw session id from the cookie (never logged).
  std::string sessionId;

  // The header's value, or "" when absent.
  std::string header(std::string_view name) const;
  // The cookie's value from the Cookie header, or "" when absent.
  std::string cookie(std::string_view name) const;
  // The route parameter, or "" when the pattern has none of that name.
  std::string param(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string contentType = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> cookies;  // complete Set-Cookie values

  // Replaces status and body with the JSON of `obj`.
  void json(int httpStatus, const Poco::JSON::Object& obj);
  // Replaces status and body with {"error": code, "message": message}. `message` is the
  // operator-facing Indonesian text; it never carries personal data or a secret.
  void error(int httpStatus, std::string_view code, std::string_view message);
  // error() from a request-path Error (its `detail` is not sent).
  void error(int httpStatus, const Error& e);
  void setHeader(std::string name, std::string value);
  // The first value of a header set on this response, or "" (case-insensitive name).
  std::string header(std::string_view name) const;
};

// Parses the request body as one JSON object. On failure the Error says what was wrong
// and where (code "invalid_json" or "not_json_object"), in Indonesian.
Result<Poco::JSON::Object::Ptr> parseJsonObject(const Request& req);

// A string member of `obj`: the value, or an Error (code "invalid_field") naming the field
// when it is missing, not a string, empty (if required) or longer than maxLength.
Result<std::string> stringField(const Poco::JSON::Object& obj, const std::string& name,
                                size_t maxLength, bool required = true);

// Serialises a JSON value compactly.
std::string toJson(const Poco::JSON::Object& obj);

}  // namespace gerbang::web
