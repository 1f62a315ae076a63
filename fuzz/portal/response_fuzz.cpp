// libFuzzer target: the CALL_NIK response parser must classify any bytes without crashing,
// and its bad-body detail must never quote the body.
#include "core/portal/json_reader.hpp"
#include "core/portal/response_parser.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  gerbang::portal::CallNikResult r = gerbang::portal::parseCallNikResponse(body);
  if (auto* f = std::get_if<gerbang::portal::Found>(&r)) {
    // A Found always carries the NIK key (in some casing).
    bool hasNik = false;
    for (const auto& [k, v] : f->fields) hasNik = hasNik || k.size() == 3;
    if (!hasNik) std::abort();
  }
  if (auto* t = std::get_if<gerbang::portal::TransportFailure>(&r)) {
    if (t->kind != gerbang::portal::TransportKind::kBadBody || !t->mayHaveReached) std::abort();
    if (t->detail.empty() || t->detail.size() > 400) std::abort();
  }
  gerbang::portal::json::Value v;
  std::string error;
  if (gerbang::portal::json::parse(body, v, error)) {
    if (!error.empty()) std::abort();
  } else if (error.find(" at byte ") == std::string::npos) {
    std::abort();  // every JSON error says where
  }
  // Number normalisation on arbitrary text never throws and never returns empty.
  if (gerbang::portal::json::normaliseNumber(body.substr(0, 80)).empty() && !body.empty())
    std::abort();
  return 0;
}
