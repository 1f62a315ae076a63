// The `gerbang` binary. Everything is in the gerbang::app library (application.hpp), so
// tests and other binaries can reuse it.
#include "core/app/application.hpp"

#include <iostream>

int main(int argc, char** argv) {
  gerbang::app::Application app(std::cout, std::cerr);
  return app.runCommandLine(argc, argv);
}
