#include "core/web/http.hpp"

#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <sstream>

namespace gerbang::web {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

const char* roleName(Role r) {
  switch (r) {
    case Role::kOperator:
      return "operator";
    case Role::kSupervisor:
      return "supervisor";
    case Role::kAdmin:
      return "admin";
    case Role::kEvaluator:
      return "evaluator";
  }
  return "operator";
}

std::optional<Role> parseRole(std::string_view s) {
  for (Role r : kAllRoles)
    if (s == roleName(r)) return r;
  return std::nullopt;
}

bool Principal::belongsTo(std::string_view agreementId) const {
  return std::find(agreements.begin(), agreements.end(), agreementId) != agreements.end();
}

std::string Request::header(std::string_view name) const {
  auto it = headers.find(lower(name));
  return it == headers.end() ? "" : it->second;
}

std::string Request::cookie(std::string_view name) const {
  std::string_view all = [&]() -> std::string_view {
    auto it = headers.find("cookie");
    return it == headers.end() ? std::string_view{} : std::string_view(it->second);
  }();
  while (!all.empty()) {
    size_t semi = all.find(';');
    std::string_view part = trim(all.substr(0, semi));
    size_t eq = part.find('=');
    if (eq != std::string_view::npos && trim(part.substr(0, eq)) == name)
      return std::string(trim(part.substr(eq + 1)));
    if (semi == std::string_view::npos) break;
    all.remove_prefix(semi + 1);
  }
  return "";
}

std::string Request::param(std::string_view name) const {
  auto it = params.find(std::string(name));
  return it == params.end() ? "" : it->second;
}

void Response::json(int httpStatus, const Poco::JSON::Object& obj) {
  status = httpStatus;
  contentType = "application/json; charset=utf-8";
  body = toJson(obj);
}

void Response::error(int httpStatus, std::string_view code, std::string_view message) {
  Poco::JSON::Object o;
  o.set("error", std::string(code));
  o.set("message", std::string(message));
  json(httpStatus, o);
}

void Response::error(int httpStatus, const Error& e) { error(httpStatus, e.code, e.message); }

void Response::setHeader(std::string name, std::string value) {
  std::string key = lower(name);
  for (auto& [n, v] : headers) {
    if (lower(n) == key) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::string Response::header(std::string_view name) const {
  std::string key = lower(name);
  for (const auto& [n, v] : headers)
    if (lower(n) == key) return v;
  return "";
}

Result<Poco::JSON::Object::Ptr> parseJsonObject(const Request& req) {
  if (req.body.empty())
    return Error{"invalid_json", "Isi permintaan kosong: diharapkan objek JSON.", ""};
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var v = parser.parse(req.body);
    if (v.type() != typeid(Poco::JSON::Object::Ptr))
      return Error{"not_json_object",
                   "Isi permintaan harus berupa objek JSON ({...}) pada tingkat teratas.", ""};
    return v.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    // Poco's parser message names the position ("line 1 column 7"); it never echoes the
    // whole body, so no personal data leaks into the answer.
    return Error{"invalid_json", "Isi permintaan bukan JSON yang sah: " + e.message(), ""};
  }
}

Result<std::string> stringField(const Poco::JSON::Object& obj, const std::string& name,
                                size_t maxLength, bool required) {
  if (!obj.has(name) || obj.isNull(name)) {
    if (!required) return std::string();
    return Error{"invalid_field", "Kolom '" + name + "' wajib diisi.", ""};
  }
  Poco::Dynamic::Var v = obj.get(name);
  if (!v.isString()) return Error{"invalid_field", "Kolom '" + name + "' harus berupa teks.", ""};
  std::string s = v.extract<std::string>();
  if (required && s.empty()) return Error{"invalid_field", "Kolom '" + name + "' wajib diisi.", ""};
  if (s.size() > maxLength)
    return Error{"invalid_field",
                 "Kolom '" + name + "' terlalu panjang (maksimal " + std::to_string(maxLength) +
                     " karakter).",
                 ""};
  return s;
}

std::string toJson(const Poco::JSON::Object& obj) {
  std::ostringstream out;
  obj.stringify(out);
  return out.str();
}

}  // namespace gerbang::web
