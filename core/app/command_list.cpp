// The one list of `gerbang` commands. Add a command here (declaration and entry) after
// writing its <name>_command.cpp; see command.hpp.
#include "core/app/command.hpp"

namespace gerbang::app {

Command agreementsCommand();
Command pluginsCommand();
Command adendumCommand();
Command versionCommand();
Command serveCommand();
Command accountsCommand();
Command tokensCommand();

const std::vector<Command>& commands() {
  static const std::vector<Command> list = {
      agreementsCommand(), adendumCommand(), pluginsCommand(), serveCommand(),
      accountsCommand(),   tokensCommand(),  versionCommand(),
  };
  return list;
}

const Command* findCommand(const std::string& name) {
  for (const Command& c : commands())
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace gerbang::app
