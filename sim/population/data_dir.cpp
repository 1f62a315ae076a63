#include "sim/population/data_dir.hpp"

#include <cstdlib>

#ifndef GERBANG_DATA_DIR_DEFAULT
#error "GERBANG_DATA_DIR_DEFAULT must be defined by CMake"
#endif

namespace gerbang::sim {

std::filesystem::path dataDir() {
  const char* env = std::getenv("GERBANG_DATA_DIR");
  if (env != nullptr && *env != '\0') return std::filesystem::path(env);
  return std::filesystem::path(GERBANG_DATA_DIR_DEFAULT);
}

}  // namespace gerbang::sim
