// The example plugin of docs/sdk.md, built out of tree against the installed SDK.
#include <gerbang/sdk/plugin.hpp>

#include "gerbang_manifest.h"

namespace {

class ContohDinas : public gerbang::sdk::Plugin {
 public:
  gerbang::sdk::Verdict validateBalikan(const gerbang::sdk::Fields& record) override {
    auto reg = record.find("nomor_register");
    if (reg != record.end() && reg->second == "AK1-000000")
      return gerbang::sdk::Verdict::Invalid("nomor_register: nomor 000000 tidak pernah terbit");
    return gerbang::sdk::Verdict::Ok();
  }
};

}  // namespace

GERBANG_PLUGIN(ContohDinas, gerbang_manifest_json)
