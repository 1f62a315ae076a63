// The biodata parser on arbitrary bytes: never crashes, and anything it accepts holds up
// to the invariants the rest of the reader relies on.
#include "core/reader/biodata.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  auto b = gerbang::reader::parseBiodata(raw);
  if (!b) {
    if (b.error().code != "biodata_invalid" || b.error().detail.empty()) std::abort();
    return 0;
  }
  const auto& nik = (*b)[gerbang::reader::kNik];
  if (nik.size() != 16) std::abort();
  for (const auto& f : b->fields)
    for (char c : f)
      if (c == '"' || uint8_t(c) < 0x20 || uint8_t(c) > 0x7E) std::abort();
  auto m = gerbang::reader::minimise(*b, {{"NIK", "ALAMAT", "AGAMA"}, {"NO_RT"}});
  if (m.size() != 2 || m.count("AGAMA") || m.count("ALAMAT")) std::abort();
  return 0;
}
