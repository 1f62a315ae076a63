#include "core/app/config.hpp"

#include "core/app/args.hpp"
#include "core/app/build_config.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Environment.h>
#include <Poco/Exception.h>
#include <Poco/Util/MapConfiguration.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace gerbang::app {
namespace {

// Layer priorities: lower numbers are searched first (Poco::Util::LayeredConfiguration).
// Poco's Application puts its own "application.*" keys at -100 and "system.*" at 100.
constexpr int kPriorityOverrides = -200;
constexpr int kPriorityFile = 0;
constexpr int kPriorityDefaults = 50;

std::pair<std::string, std::string> splitDefine(const std::string& text) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw UsageError("--define: '" + text + "' is not KEY=VALUE");
  return {text.substr(0, eq), text.substr(eq + 1)};
}

}  // namespace

GlobalOptions parseGlobalOptions(const std::vector<std::string>& args) {
  GlobalOptions o;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto valueOf = [&](const std::string& name) -> std::string {
      std::string prefix = name + "=";
      if (a.rfind(prefix, 0) == 0) return a.substr(prefix.size());
      if (i + 1 >= args.size()) throw UsageError(name + " needs a value");
      return args[++i];
    };
    auto is = [&](const std::string& name) { return a == name || a.rfind(name + "=", 0) == 0; };
    if (a == "--") {
      o.rest.insert(o.rest.end(), args.begin() + long(i) + 1, args.end());
      break;
    } else if (is("--config")) {
      if (o.configFile) throw UsageError("--config is given twice");
      o.configFile = valueOf("--config");
      if (o.configFile->empty()) throw UsageError("--config needs a file name");
    } else if (is("--define")) {
      o.defines.push_back(splitDefine(valueOf("--define")));
    } else if (a == "-D") {
      if (i + 1 >= args.size()) throw UsageError("-D needs KEY=VALUE");
      o.defines.push_back(splitDefine(args[++i]));
    } else if (a.size() > 2 && a.rfind("-D", 0) == 0) {
      o.defines.push_back(splitDefine(a.substr(2)));
    } else if (is("--today")) {
      if (o.today) throw UsageError("--today is given twice");
      o.today = parseDateArg("--today", valueOf("--today"));
    } else if (a == "--help" || a == "-h") {
      o.help = true;
    } else if (a == "--version") {
      o.version = true;
    } else {
      o.rest.push_back(a);
    }
  }
  return o;
}

std::optional<std::string> configFileFor(const GlobalOptions& opts) {
  if (opts.configFile) return opts.configFile;
  std::string env = Poco::Environment::get("GERBANG_CONFIG", "");
  if (!env.empty()) return env;
  std::error_code ec;
  if (std::filesystem::is_regular_file(build::kDefaultConfigFile, ec))
    return std::string(build::kDefaultConfigFile);
  return std::nullopt;
}

void layerConfiguration(Poco::Util::LayeredConfiguration& config, const GlobalOptions& opts) {
  // Built-in defaults: enough to run from the build tree with no file at all. Keep in step
  // with config/gerbang.properties.
  Poco::AutoPtr<Poco::Util::MapConfiguration> defaults(new Poco::Util::MapConfiguration);
  defaults->setString(keys::kBuildPluginDir, build::kPluginDir);
  defaults->setString(keys::kBuildVarDir, build::kVarDir);
  defaults->setString(keys::kPluginsDir, "${build.plugin_dir}");
  defaults->setString(keys::kStoreUri, "sqlite:${build.var_dir}/gerbang.db");
  defaults->setString(keys::kLogDir, "${build.var_dir}/log");
  defaults->setString(keys::kLogLevel, "info");
  defaults->setString(keys::kLogConsoleLevel, "warn");
  defaults->setString(keys::kLogMaxFileBytes, "10485760");
  defaults->setString(keys::kLogMaxFiles, "5");
  defaults->setString(keys::kClockToday, "");
  config.add(defaults, "defaults", kPriorityDefaults, false);

  if (auto file = configFileFor(opts)) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(*file, ec))
      throw std::runtime_error("config: file '" + *file + "' does not exist");
    std::ifstream probe(*file);
    if (!probe.good()) throw std::runtime_error("config: file '" + *file + "' cannot be read");
    // config.dir: the config file's directory, so a file can name its neighbours
    // (e.g. demo.seed_file = ${config.dir}/demo-seed.json).
    defaults->setString("config.dir",
                        std::filesystem::absolute(*file, ec).parent_path().string());
    try {
      Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> props(
          new Poco::Util::PropertyFileConfiguration(*file));
      config.add(props, "file", kPriorityFile, false);
    } catch (const Poco::Exception& e) {
      throw std::runtime_error("config: cannot read '" + *file + "': " + e.displayText());
    }
  }

  Poco::AutoPtr<Poco::Util::MapConfiguration> overrides(new Poco::Util::MapConfiguration);
  for (const auto& [k, v] : opts.defines) overrides->setString(k, v);
  if (opts.today) overrides->setString(keys::kClockToday, opts.today->iso());
  config.add(overrides, "overrides", kPriorityOverrides, false);
}

}  // namespace gerbang::app
