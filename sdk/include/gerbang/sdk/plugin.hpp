// Gerbang plugin SDK: the C++ layer over <gerbang/sdk/plugin.h>.
//
// An author writes one class derived from gerbang::sdk::Plugin, overrides the hooks the
// agreement needs, and exports it with one macro:
//
//   #include <gerbang/sdk/plugin.hpp>
//   #include "gerbang_manifest.h"   // generated from manifest.json by gerbang_add_plugin()
//
//   class KaranganyarAk1 : public gerbang::sdk::Plugin {
//    public:
//     gerbang::sdk::Verdict validateBalikan(const gerbang::sdk::Fields& f) override { ... }
//   };
//   GERBANG_PLUGIN(KaranganyarAk1, gerbang_manifest_json)
//
// Header-only, standard library only (no Boost, Poco or spdlog). Every exception a hook
// throws is caught here, at the boundary, and turned into GERBANG_ERROR with its what().
#pragma once

#include <gerbang/sdk/plugin.h>

#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gerbang::sdk {

// Named values of one balikan record or one route request, keyed by schema field name.
using Fields = std::map<std::string, std::string, std::less<>>;

// The answer of a validating hook. Ok() accepts; Invalid() refuses with an Indonesian
// message for the operator that names the field; Error() reports a plugin failure.
struct Verdict {
  gerbang_status status = GERBANG_OK;
  std::string message;

  static Verdict Ok() { return {}; }
  static Verdict Invalid(std::string msg) { return {GERBANG_INVALID, std::move(msg)}; }
  static Verdict Error(std::string msg) { return {GERBANG_ERROR, std::move(msg)}; }
  bool ok() const { return status == GERBANG_OK; }
};

// A request to one of the plugin's declared routes, already authenticated and authorised
// by the host.
struct RouteRequest {
  std::string routeId;
  std::string method;
  std::string operatorId;
  std::string role;
  Fields params;
  std::string body;
};

// A route's answer: HTTP status and a JSON body. The host removes any field the agreement
// does not permit before it reaches the caller.
struct RouteResponse {
  int httpStatus = 200;
  std::string body = "{}";
};

// Services of the host. Valid from init() until the process ends; thread-safe.
class Host {
 public:
  explicit Host(const gerbang_host_v1* host) : host_(host) {}

  // Writes one line to the host's log. Never pass personal data: the host redacts
  // anything that looks like a NIK.
  void log(gerbang_log_level level, const std::string& message) const {
    if (host_ != nullptr && host_->log != nullptr) host_->log(host_->ctx, level, message.c_str());
  }

  // Runs a lookup through the host's compliance pipeline as operatorId. Returns the JSON
  // result, or nullopt when the host cannot perform lookups here.
  std::optional<std::string> lookup(const std::string& operatorId, const std::string& nik,
                                    const std::string& purposeRef) const {
    if (host_ == nullptr || host_->lookup == nullptr) return std::nullopt;
    std::string out;
    gerbang_writer w{&out, &appendTo};
    if (host_->lookup(host_->ctx, operatorId.c_str(), nik.c_str(), purposeRef.c_str(), &w) !=
        GERBANG_OK)
      return std::nullopt;
    return out;
  }

  // The answer of a host service: its status and the JSON it wrote.
  struct Answer {
    gerbang_status status = GERBANG_ERROR;
    std::string json;
    bool ok() const { return status == GERBANG_OK; }
  };

  // Records one data-balikan record through the host's intake (ABI 1.1; see
  // gerbang_host_v1.submit_balikan): GERBANG_OK with {"status":"accepted",...},
  // GERBANG_INVALID with {"error","message","errors"} when refused, GERBANG_ERROR when the
  // host offers no balikan here (an older host, outside a route call, a route without
  // "balikan" in "uses", a store failure).
  Answer submitBalikan(const Fields& record) const {
    Answer a;
    if (!GERBANG_HOST_HAS(host_, submit_balikan)) return a;
    std::vector<gerbang_kv> kv;
    kv.reserve(record.size());
    for (const auto& [k, v] : record) kv.push_back({k.c_str(), v.c_str()});
    gerbang_writer w{&a.json, &appendTo};
    a.status = host_->submit_balikan(host_->ctx, kv.data(), kv.size(), &w);
    return a;
  }

  static void appendTo(void* ctx, const char* data, size_t size) {
    static_cast<std::string*>(ctx)->append(data, size);
  }

 private:
  const gerbang_host_v1* host_;
};

namespace detail {
template <class P>
struct Trampolines;
}  // namespace detail

// Base class of every C++ plugin. One instance is created per process, after the host has
// accepted the manifest. Override only what the agreement needs; the defaults accept.
class Plugin {
 public:
  virtual ~Plugin() = default;

  // Called once, before any other hook; host() is already set. Return Error() (with the
  // reason, for the host's log) to make the host refuse the plugin.
  virtual Verdict init(const Host& host) {
    host_ = host;
    return Verdict::Ok();
  }

  // Cross-field rules for one balikan record whose fields already passed the schema.
  virtual Verdict validateBalikan(const Fields& /*record*/) { return Verdict::Ok(); }

  // Handles a request to a route the manifest declares. The default answers 404.
  virtual RouteResponse handleRoute(const RouteRequest& /*request*/) {
    return {404, R"({"message":"Rute tidak dikenal"})"};
  }

 protected:
  // The host, as given to init().
  const Host& host() const { return host_; }

 private:
  template <class P>
  friend struct detail::Trampolines;
  Host host_{nullptr};
};

namespace detail {

inline void writeString(gerbang_writer* w, std::string_view s) {
  if (w != nullptr && w->write != nullptr && !s.empty()) w->write(w->ctx, s.data(), s.size());
}

inline Fields toFields(const gerbang_kv* kv, size_t n) {
  Fields f;
  for (size_t i = 0; i < n; ++i)
    if (kv[i].key != nullptr) f.emplace(kv[i].key, kv[i].value != nullptr ? kv[i].value : "");
  return f;
}

// Runs fn, turning any exception into GERBANG_ERROR with its message.
template <class Fn>
gerbang_status guarded(gerbang_writer* err, Fn&& fn) noexcept {
  try {
    return fn();
  } catch (const std::exception& e) {
    writeString(err, e.what());
  } catch (...) {
    writeString(err, "unknown exception in plugin");
  }
  return GERBANG_ERROR;
}

template <class P>
struct Trampolines {
  static gerbang_status init(const gerbang_host_v1* host, void** state,
                             gerbang_writer* error) noexcept {
    return guarded(error, [&] {
      // Owned here until init() succeeds, so a throwing constructor or init() leaks nothing.
      std::unique_ptr<P> p(new P());
      p->host_ = Host(host);  // even if an override of init() forgets to call the base
      Verdict v = p->init(Host(host));
      if (!v.ok()) {
        writeString(error, v.message);
        return v.status;
      }
      *state = p.release();
      return GERBANG_OK;
    });
  }

  static void shutdown(void* state) noexcept {
    try {
      delete static_cast<P*>(state);
    } catch (...) {
    }
  }

  static gerbang_status validateBalikan(void* state, const gerbang_kv* fields, size_t count,
                                        gerbang_writer* message) noexcept {
    return guarded(message, [&] {
      Verdict v = static_cast<P*>(state)->validateBalikan(toFields(fields, count));
      if (!v.ok()) writeString(message, v.message);
      return v.status;
    });
  }

  static gerbang_status handleRoute(void* state, const gerbang_host_v1* /*host*/,
                                    const gerbang_route_request* req, int* httpStatus,
                                    gerbang_writer* body) noexcept {
    return guarded(body, [&] {
      RouteRequest r;
      r.routeId = req->route_id != nullptr ? req->route_id : "";
      r.method = req->method != nullptr ? req->method : "";
      r.operatorId = req->operator_id != nullptr ? req->operator_id : "";
      r.role = req->role != nullptr ? req->role : "";
      r.params = toFields(req->params, req->param_count);
      r.body = req->body != nullptr ? req->body : "";
      RouteResponse resp = static_cast<P*>(state)->handleRoute(r);
      *httpStatus = resp.httpStatus;
      writeString(body, resp.body);
      return GERBANG_OK;
    });
  }

  static const gerbang_plugin_v1* table(const char* manifest) noexcept {
    static const gerbang_plugin_v1 t = {
        sizeof(gerbang_plugin_v1), GERBANG_ABI_MAJOR, GERBANG_ABI_MINOR, manifest, &init, &shutdown,
        &validateBalikan,          &handleRoute};
    return &t;
  }
};

}  // namespace detail
}  // namespace gerbang::sdk

// Exports PluginClass (default-constructible, derived from gerbang::sdk::Plugin) with the
// given manifest (a NUL-terminated JSON string with static storage duration). Use once per
// shared object, at namespace scope.
#define GERBANG_PLUGIN(PluginClass, manifestJson)                                    \
  extern "C" GERBANG_PLUGIN_EXPORT const gerbang_plugin_v1* gerbang_plugin_entry_v1( \
      void) noexcept {                                                               \
    return ::gerbang::sdk::detail::Trampolines<PluginClass>::table(manifestJson);    \
  }
