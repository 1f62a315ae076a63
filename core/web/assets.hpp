// The operator screens (web/ at the repo root), compiled into the binary by
// core/web/embed_assets.cmake so a host needs no installed files.
#pragma once

#include <cstddef>
#include <string_view>

namespace gerbang::web {

struct EmbeddedAsset {
  const char* path;       // "/index.html", "/app.js", ...
  const char* mediaType;  // Content-Type value
  const unsigned char* data;
  size_t size;
};

// The table of embedded files, ended by an entry whose path is nullptr.
const EmbeddedAsset* embeddedAssets();

// The asset served for a request path: "/" is "/index.html"; nullptr when none.
const EmbeddedAsset* findAsset(std::string_view path);

}  // namespace gerbang::web
