#include "core/web/assets.hpp"

namespace gerbang::web {

const EmbeddedAsset* findAsset(std::string_view path) {
  if (path == "/") path = "/index.html";
  for (const EmbeddedAsset* a = embeddedAssets(); a->path != nullptr; ++a)
    if (path == a->path) return a;
  return nullptr;
}

}  // namespace gerbang::web
