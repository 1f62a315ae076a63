// Fuzzes parseManifest(): it must never crash, hang or throw, and whatever it accepts must
// satisfy the invariants the rest of the core relies on.
#include "core/plugin/manifest.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  gerbang::Result<gerbang::plugin::Manifest> r = gerbang::plugin::parseManifest(text);
  if (!r.ok()) {
    // Every refusal says where and why.
    check(r.error().code == "manifest_invalid");
    check(r.error().detail.find(": ") != std::string::npos);
    return 0;
  }
  const gerbang::plugin::Manifest& m = *r;
  check(m.schemaVersion == 1);
  check(!m.agencyId.empty());
  check(m.start < m.end && !(m.start < m.signedOn));
  check(std::find(m.elements.begin(), m.elements.end(), "NIK") != m.elements.end());
  check(!m.accessMethods.empty());
  check(!m.quota.perDay || *m.quota.perDay > 0);
  check(!m.balikan.fields.empty() && !m.balikan.methods.empty());
  for (const auto& f : m.balikan.fields)
    check(f.type != gerbang::plugin::BalikanField::Type::kEnum || !f.values.empty());
  for (const auto& route : m.routes) check(!route.path.empty() && route.path.front() != '/');
  return 0;
}
