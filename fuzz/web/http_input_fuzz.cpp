// libFuzzer target for what a browser, an agency application or a plugin can send
// `gerbang serve`. Input: "<Cookie header>\n<body>". Never a crash, and:
// - parseJsonObject either gives an object or an Error with a code and an Indonesian message;
// - stringField never returns more than the limit, and refuses with "invalid_field";
// - a cookie value never carries the separator;
// - minimiseAnswer's output keeps no registry field the agreement does not permit:
//   filtering its own output again drops nothing.
#include "core/agency/answer_filter.hpp"
#include "core/web/http.hpp"

#include <cstdint>
#include <cstdlib>
#include <set>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  const size_t nl = in.find('\n');
  gerbang::web::Request req;
  req.method = "POST";
  req.path = "/api/v1/fuzz";
  req.headers["cookie"] = nl == std::string::npos ? "" : in.substr(0, nl);
  req.headers["content-type"] = "application/json";
  req.body = nl == std::string::npos ? in : in.substr(nl + 1);

  const std::string session = req.cookie("gerbang_session");
  if (session.find(';') != std::string::npos) std::abort();

  auto obj = gerbang::web::parseJsonObject(req);
  if (!obj.ok()) {
    if (obj.error().code.empty() || obj.error().message.empty()) std::abort();
  } else {
    for (const char* name : {"nik", "operator", "purpose", "username"}) {
      auto f = gerbang::web::stringField(**obj, name, 64, false);
      if (f.ok() && f->size() > 64) std::abort();
      if (!f.ok() && f.error().code != "invalid_field") std::abort();
    }
  }

  // The same bytes as a plugin's answer, under Purbalingga-like terms (no NO_KK).
  static const std::set<std::string> permitted = {"NIK", "NAMA_LGKP", "TGL_LHR", "ALAMAT"};
  auto filtered = gerbang::agency::minimiseAnswer(req.body, permitted);
  if (filtered.ok()) {
    // Nothing left to drop: no member anywhere names a registry field outside `permitted`.
    auto again = gerbang::agency::minimiseAnswer(filtered->json, permitted);
    if (!again.ok() || !again->dropped.empty()) std::abort();
  } else if (filtered.error().code != "plugin_bad_answer") {
    std::abort();
  }
  return 0;
}
