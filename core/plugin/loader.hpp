// Loading agreement plugins (Boost.DLL lives here and nowhere else).
//
// The loader checks before it trusts: the file is a regular file, not group/world-writable
// and loads with every symbol resolved; the entry
// symbol exists, the ABI major equals the host's and the minor is not newer, the table is
// at least the 1.0 size, the manifest validates, the agency id is unique, and init()
// succeeds without throwing. A refused plugin gets one clear reason; the others still
// load. Plugins are never unloaded while the process runs.
#pragma once

#include "core/plugin/manifest.hpp"

#include <gerbang/sdk/plugin.h>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gerbang::plugin {

// A plugin that passed every check and whose init() succeeded. Owned by the Registry;
// lives until the process ends.
class LoadedPlugin {
 public:
  virtual ~LoadedPlugin() = default;
  virtual const Manifest& manifest() const = 0;
  virtual const std::filesystem::path& file() const = 0;
  // The ABI version the plugin was built against (its table's abi_major, abi_minor).
  virtual std::pair<unsigned, unsigned> abiVersion() const = 0;

  // Calls the plugin's validate_balikan hook (if any) on one record that already passed the
  // schema. Returns ok, or an Error with code "balikan_invalid" (message from the plugin)
  // or "plugin_error". Never throws.
  virtual Status validateBalikan(
      const std::vector<std::pair<std::string, std::string>>& fields) const = 0;

  // Calls the plugin's handle_route hook with this plugin's host table. Returns the HTTP
  // status (200 when the plugin set none; 400 when it answered GERBANG_INVALID without one)
  // and the body, or an Error: "route_not_supported" when the plugin has no handler or the
  // manifest declares no route with this id and method; "plugin_error" when the hook failed,
  // threw, or set a status outside 100-599 (detail: the plugin's text, NIK-like numbers
  // redacted). Never throws.
  struct RouteAnswer {
    int httpStatus = 200;
    std::string body;
  };
  virtual Result<RouteAnswer> handleRoute(const gerbang_route_request& request) const = 0;
};

// A plugin file the loader refused, and why (one line, for operators and logs).
struct Refusal {
  std::filesystem::path file;
  std::string reason;  // e.g. "group- or world-writable (mode 0666)"

  // The log line: "<file name>: refused: <reason>".
  std::string line() const { return file.filename().string() + ": refused: " + reason; }
};

// Replaces every run of 16 or more digits (anything that could be a NIK or KK number) with
// "[redacted]". Applied to everything a plugin logs or reports in an error.
std::string redactNiks(std::string_view text);

// The host's lookup service, as seen by the plugin of agency `agencyId` (see
// gerbang_host_v1.lookup). Writes the JSON result to out and returns GERBANG_OK, or returns
// GERBANG_ERROR when no lookup is possible in this context.
using LookupService =
    std::function<gerbang_status(std::string_view agencyId, const char* operatorId, const char* nik,
                                 const char* purposeRef, gerbang_writer* out)>;

// The host's balikan intake, as seen by the plugin of agency `agencyId` (see
// gerbang_host_v1.submit_balikan). Writes the JSON result to out and returns its status.
using BalikanService = std::function<gerbang_status(
    std::string_view agencyId, const gerbang_kv* fields, std::size_t count, gerbang_writer* out)>;

// The set of plugins of one host process.
class Registry {
 public:
  // Host services offered to plugins (log, lookup). May be replaced before loadDirectory().
  // The default logs through spdlog and refuses lookups.
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Loading is meant for startup, from one thread; loaded(), find() and the hooks of loaded
  // plugins may then be used from any thread. The destructor calls each plugin's shutdown()
  // but leaves the shared objects mapped (plugins are never unloaded).
  //
  // Loads every *.so in dir (sorted by name). A missing directory is an error (throws
  // std::runtime_error); bad plugins are recorded in refused(), not thrown.
  void loadDirectory(const std::filesystem::path& dir);
  // Loads one file; returns false and records a refusal if it fails any check.
  bool loadFile(const std::filesystem::path& file);

  const std::vector<const LoadedPlugin*>& loaded() const { return loadedView_; }
  const std::vector<Refusal>& refused() const { return refused_; }
  // nullptr if no loaded plugin has this agency id.
  const LoadedPlugin* find(std::string_view agencyId) const;

  // The host table given to plugins' init(). Set before loading; the Registry does not own
  // ctx. Until set, log goes to spdlog and lookup returns GERBANG_ERROR.
  // Each plugin receives its own table whose log() tags lines with the agency id and
  // redacts NIK-like numbers before calling host.log (or spdlog when host.log is NULL), and
  // whose lookup() forwards to host.lookup with host.ctx.
  void setHostServices(const gerbang_host_v1& host);
  // Like setHostServices() for lookup only, but the service also learns which agreement's
  // plugin asks. Takes precedence over host.lookup. May be set before or after loading.
  void setLookupService(LookupService service);
  // The service behind submit_balikan (ABI 1.1). Until set, submit_balikan returns
  // GERBANG_ERROR. May be set before or after loading.
  void setBalikanService(BalikanService service);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<const LoadedPlugin*> loadedView_;
  std::vector<Refusal> refused_;
};

}  // namespace gerbang::plugin
