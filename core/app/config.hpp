// The configuration of one `gerbang` process: built-in defaults, then the config file, then
// command-line overrides, as layers of one Poco::Util::LayeredConfiguration. Every key is
// documented in config/gerbang.properties. Values may refer to other keys as ${key}.
#pragma once

#include "core/common/clock.hpp"

#include <Poco/Util/LayeredConfiguration.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gerbang::app {

// Keys the application itself reads (other modules read their own, e.g. portal.*).
namespace keys {
inline constexpr const char* kPluginsDir = "plugins.dir";
inline constexpr const char* kStoreUri = "store.uri";
inline constexpr const char* kLogDir = "log.dir";
inline constexpr const char* kLogLevel = "log.level";
inline constexpr const char* kLogConsoleLevel = "log.console_level";
inline constexpr const char* kLogMaxFileBytes = "log.max_file_bytes";
inline constexpr const char* kLogMaxFiles = "log.max_files";
inline constexpr const char* kClockToday = "clock.today";
// Read-only facts of the build, for ${...} in the config file.
inline constexpr const char* kBuildPluginDir = "build.plugin_dir";
inline constexpr const char* kBuildVarDir = "build.var_dir";
}  // namespace keys

// Options that apply to every command, accepted anywhere on the command line before "--".
struct GlobalOptions {
  std::optional<std::string> configFile;                     // --config FILE
  std::vector<std::pair<std::string, std::string>> defines;  // --define KEY=VALUE, -D KEY=VALUE
  std::optional<Date> today;                                 // --today YYYY-MM-DD
  bool help = false;                                         // --help, -h
  bool version = false;                                      // --version
  std::vector<std::string> rest;  // the command name and its own arguments, in order
};

// Takes the global options out of `args` (the arguments after the program name). Throws
// UsageError for a missing value, a --define without '=', or a bad --today date.
GlobalOptions parseGlobalOptions(const std::vector<std::string>& args);

// The config file to read: --config, else $GERBANG_CONFIG, else the source tree's
// config/gerbang.properties when it exists (running from the build tree), else none.
std::optional<std::string> configFileFor(const GlobalOptions& opts);

// Adds to `config` the built-in defaults (lowest priority), the config file (if any), and
// the overrides from --define and --today (highest). Throws std::runtime_error naming the
// file when it is missing or unreadable.
void layerConfiguration(Poco::Util::LayeredConfiguration& config, const GlobalOptions& opts);

}  // namespace gerbang::app
