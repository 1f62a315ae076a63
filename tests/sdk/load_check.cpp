// Loads the plugin built by consumer_test.cmake through the real Registry: proof that a
// plugin built from the installed SDK alone passes every check the host makes.
//   sdk_load_check <plugin.so> <expected agency id>
#include "core/plugin/loader.hpp"

#include <cstdio>
#include <string>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <plugin.so> <agency id>\n", argv[0]);
    return 2;
  }
  gerbang::plugin::Registry registry;
  if (!registry.loadFile(argv[1])) {
    std::fprintf(stderr, "%s\n", registry.refused().front().line().c_str());
    return 1;
  }
  const gerbang::plugin::LoadedPlugin* p = registry.find(argv[2]);
  if (p == nullptr) {
    std::fprintf(stderr, "loaded, but not as agency '%s'\n", argv[2]);
    return 1;
  }
  // The author's hook is reachable through the host's wrapper.
  gerbang::Status bad = p->validateBalikan({{"nomor_register", "AK1-000000"}});
  gerbang::Status good = p->validateBalikan({{"nomor_register", "AK1-000001"}});
  if (bad.ok() || bad.error().code != "balikan_invalid" || !good.ok()) {
    std::fprintf(stderr, "validate_balikan did not answer as the plugin says\n");
    return 1;
  }
  std::printf("loaded %s as '%s' (%s)\n", argv[1], argv[2], p->manifest().agencyName.c_str());
  return 0;
}
