#include "core/app/application.hpp"

#include "core/app/app_context.hpp"
#include "core/app/args.hpp"
#include "core/app/build_config.hpp"
#include "core/app/command.hpp"
#include "core/app/config.hpp"
#include "core/app/logging.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <iomanip>
#include <ostream>
#include <sstream>

namespace gerbang::app {
Application::Application(std::ostream& out, std::ostream& err) : out_(out), err_(err) {
  setUnixOptions(true);
}

std::string Application::helpText() {
  std::ostringstream s;
  s << "Gerbang " << build::kVersion
    << ": host for civil-registry data-access agreements (PKS)\n\n"
       "Usage: gerbang [global options] <command> [command options]\n\n"
       "Global options (accepted anywhere before \"--\"):\n"
       "  --config FILE        configuration file (default: $GERBANG_CONFIG, else\n"
       "                       "
    << build::kDefaultConfigFile
    << "\n"
       "                       when it exists, else built-in defaults)\n"
       "  --define KEY=VALUE   override one configuration key; repeatable; also -D KEY=VALUE\n"
       "  --today YYYY-MM-DD   take this Jakarta day as today (sets clock.today)\n"
       "  --help, -h           this text; `gerbang <command> --help` for one command\n"
       "  --version            the version (same as `gerbang version`)\n\n"
       "Commands:\n";
  for (const Command& c : commands())
    s << "  " << std::left << std::setw(12) << c.name << " " << c.summary << "\n";
  s << "\nExit codes: 0 done, 1 refused or failed, 2 bad usage.\n";
  return s.str();
}

int Application::runCommandLine(int argc, char** argv) {
  rawArgs_.assign(argv + (argc > 0 ? 1 : 0), argv + argc);
  try {
    // Poco sees only the program name: options are parsed here, per command, so that a
    // command's own options never clash with Poco's option processor.
    char* programOnly[] = {argc > 0 ? argv[0] : const_cast<char*>("gerbang"), nullptr};
    init(1, programOnly);
    return run();
  } catch (const std::exception& e) {
    err_ << "gerbang: " << e.what() << "\n";
    return kExitFailed;
  }
}

void Application::initialize(Poco::Util::Application& self) {
  Poco::Util::Application::initialize(self);
  // Failures are kept for main() to report: Poco's run() does not promise to let an
  // exception from initialize() reach our caller unchanged.
  try {
    opts_ = parseGlobalOptions(rawArgs_);
  } catch (const UsageError& e) {
    usageError_ = e.what();
    return;
  }
  try {
    layerConfiguration(config(), opts_);
    // `--help` and `version` must work even with a broken log directory.
    const bool quiet = opts_.help || opts_.version || opts_.rest.empty() ||
                       opts_.rest[0] == "version" || opts_.rest[0] == "help";
    if (!quiet) {
      std::filesystem::path logFile = setupLogging(config());
      spdlog::debug("log file {}", logFile.string());
    }
  } catch (const std::exception& e) {
    startupError_ = e.what();
  }
}

int Application::main(const std::vector<std::string>& /*pocoArgs*/) {
  if (!usageError_.empty()) {
    err_ << "gerbang: " << usageError_ << "\n\n" << helpText();
    return kExitUsage;
  }
  if (!startupError_.empty()) {
    err_ << "gerbang: " << startupError_ << "\n";
    return kExitFailed;
  }
  GlobalOptions opts = opts_;
  if (opts.version && opts.rest.empty()) opts.rest.push_back("version");
  if (opts.rest.empty() || (opts.rest[0] == "help" && opts.rest.size() == 1)) {
    if (opts.help || !opts.rest.empty()) {
      out_ << helpText();
      return kExitOk;
    }
    err_ << "gerbang: no command given\n\n" << helpText();
    return kExitUsage;
  }
  std::string name = opts.rest[0];
  std::vector<std::string> args(opts.rest.begin() + 1, opts.rest.end());
  if (name == "help") {  // `gerbang help <command>`
    name = args[0];
    opts.help = true;
  }
  const Command* cmd = findCommand(name);
  if (cmd == nullptr) {
    err_ << "gerbang: unknown command '" << name << "'\n\n" << helpText();
    return kExitUsage;
  }
  if (opts.help) {
    out_ << cmd->usage;
    return kExitOk;
  }
  AppContext ctx(config(), out_, err_);
  try {
    return cmd->run(ctx, args);
  } catch (const UsageError& e) {
    err_ << "gerbang " << cmd->name << ": " << e.what() << "\n\n" << cmd->usage;
    return kExitUsage;
  } catch (const std::exception& e) {
    spdlog::error("{}: {}", cmd->name, e.what());
    err_ << "gerbang " << cmd->name << ": " << e.what() << "\n";
    return kExitFailed;
  }
}

}  // namespace gerbang::app
