// Loading agreement plugins (Boost.DLL lives here and nowhere else).
//
// The loader checks before it trusts: the file is not group/world-writable, the entry
// symbol exists, the ABI major equals the host's and the minor is not newer, the table is
// at least the 1.0 size, the manifest validates, the agency id is unique, and init()
// succeeds without throwing. A refused plugin gets one clear reason; the others still
// load. Plugins are never unloaded while the process runs.
#pragma once

#include "core/plugin/manifest.hpp"

#include <gerbang/sdk/plugin.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace gerbang::plugin {

// A plugin that passed every check and whose init() succeeded. Owned by the Registry;
// lives until the process ends.
class LoadedPlugin {
 public:
  virtual ~LoadedPlugin() = default;
  virtual const Manifest& manifest() const = 0;
  virtual const std::filesystem::path& file() const = 0;

  // Calls the plugin's validate_balikan hook (if any) on one record that already passed the
  // schema. Returns ok, or an Error with code "balikan_invalid" (message from the plugin)
  // or "plugin_error". Never throws.
  virtual Status validateBalikan(const std::vector<std::pair<std::string, std::string>>& fields)
      const = 0;

  // Calls the plugin's handle_route hook. Returns the HTTP status and body, or an Error
  // ("plugin_error" / "route_not_supported"). Never throws.
  struct RouteAnswer {
    int httpStatus = 200;
    std::string body;
  };
  virtual Result<RouteAnswer> handleRoute(const gerbang_route_request& request) const = 0;
};

// A plugin file the loader refused, and why (one line, for operators and logs).
struct Refusal {
  std::filesystem::path file;
  std::string reason;
};

// The set of plugins of one host process.
class Registry {
 public:
  // Host services offered to plugins (log, lookup). May be replaced before loadDirectory().
  // The default logs through spdlog and refuses lookups.
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

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
  void setHostServices(const gerbang_host_v1& host);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<const LoadedPlugin*> loadedView_;
  std::vector<Refusal> refused_;
};

}  // namespace gerbang::plugin
