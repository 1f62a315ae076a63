// Where the project's data files (data/wilayah.csv) are found at run time.
#pragma once

#include <filesystem>

namespace gerbang::sim {

// The data directory: $GERBANG_DATA_DIR when set and non-empty, else the source tree's
// data/ folder compiled in by CMake (GERBANG_DATA_DIR). Never throws; the caller finds out
// whether files exist when it opens them.
std::filesystem::path dataDir();

}  // namespace gerbang::sim
