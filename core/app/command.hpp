// The command registry of the `gerbang` binary.
//
// A command is a name, a one-line summary, a usage text and a run function. To add one
// (e.g. `lookup`, `operators`, `audit`, `balikan`, `reader`, `serve`):
//   1. write core/app/<name>_command.cpp defining `Command <name>Command()` in namespace
//      gerbang::app (it is compiled in automatically: CMake globs *_command.cpp);
//   2. add one declaration and one list entry in core/app/command_list.cpp.
// Parse arguments with Args (args.hpp) so every command reports bad usage the same way.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace gerbang::app {

class AppContext;

// Exit codes of every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // refused or failed; the reason went to stderr
inline constexpr int kExitUsage = 2;   // bad arguments; the error and usage went to stderr

struct Command {
  std::string name;     // the first word after `gerbang`, e.g. "agreements"
  std::string summary;  // one line for `gerbang --help`
  std::string usage;    // the full usage text: synopsis line(s), then options
  // Runs the command with the arguments after its name (global options already removed).
  // Returns an exit code above. May throw UsageError (reported with the usage, exit 2) or
  // any std::exception (reported as one line, exit 1).
  std::function<int(AppContext& ctx, const std::vector<std::string>& args)> run;
};

// Every command, in the order `gerbang --help` lists them (defined in command_list.cpp).
const std::vector<Command>& commands();

// The command with this name, or nullptr.
const Command* findCommand(const std::string& name);

}  // namespace gerbang::app
