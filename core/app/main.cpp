// The `gerbang` binary. Everything is in the gerbang::app library (application.hpp), so
// tests and other binaries can reuse it.
#include "core/app/application.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <iostream>

int main(int argc, char** argv) {
  // Issue 4 item 10: no population data at rest. A core dump would write the registry's
  // answers (held in memory) to disk, so the host process never dumps core and cannot be
  // attached to by other processes of the same user.
  struct rlimit noCore {};
  setrlimit(RLIMIT_CORE, &noCore);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  gerbang::app::Application app(std::cout, std::cerr);
  return app.runCommandLine(argc, argv);
}
