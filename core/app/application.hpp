// The `gerbang` application: global options, configuration, logging, then one command.
#pragma once

#include "core/app/config.hpp"

#include <Poco/Util/Application.h>

#include <iosfwd>
#include <string>
#include <vector>

namespace gerbang::app {

class Application : public Poco::Util::Application {
 public:
  // Command results go to `out`, messages for the user to `err`.
  Application(std::ostream& out, std::ostream& err);

  // Runs `gerbang` with the process arguments and returns the exit code (command.hpp).
  // Never throws: usage errors print the usage (exit 2); startup and command failures
  // print one line "gerbang: <reason>" (exit 1).
  int runCommandLine(int argc, char** argv);

  // The text of `gerbang --help`.
  static std::string helpText();

 protected:
  // Poco's hooks: initialize() layers the configuration and sets up logging; main() runs the
  // command. Both are called by runCommandLine() through Poco's run().
  void initialize(Poco::Util::Application& self) override;
  int main(const std::vector<std::string>& args) override;

 private:
  std::ostream& out_;
  std::ostream& err_;
  std::vector<std::string> rawArgs_;
  GlobalOptions opts_;
  std::string usageError_;    // bad global options: usage, exit 2
  std::string startupError_;  // configuration or logging failed: exit 1
};

}  // namespace gerbang::app
