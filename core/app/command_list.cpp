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
// The lookup pipeline (core/lookup) and its registers.
Command lookupCommand();
Command operatorsCommand();
Command ndaCommand();
Command sptjmCommand();
Command auditCommand();
Command patternCommand();
Command demoCommand();
// Data balikan: intake from files, status, delivery (core/balikan, core/outbox).
Command balikanCommand();

// KTP-el card readers and their SAMs (core/reader, core/cardflow).
Command readerCommand();
Command samCommand();

const std::vector<Command>& commands() {
  static const std::vector<Command> list = {
      agreementsCommand(), adendumCommand(), pluginsCommand(), serveCommand(),
      accountsCommand(),   tokensCommand(),  lookupCommand(),
      operatorsCommand(),  ndaCommand(),     sptjmCommand(),  auditCommand(),
      patternCommand(),    balikanCommand(),  readerCommand(),  samCommand(),
      demoCommand(),    versionCommand(),
  };
  return list;
}

const Command* findCommand(const std::string& name) {
  for (const Command& c : commands())
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace gerbang::app
