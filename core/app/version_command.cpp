// gerbang version
#include "core/app/app_context.hpp"
#include "core/app/args.hpp"
#include "core/app/build_config.hpp"
#include "core/app/command.hpp"

#include <gerbang/sdk/plugin.h>

#include <ostream>

namespace gerbang::app {

Command versionCommand() {
  return {"version", "show the version of gerbang and of the plugin ABI",
          "Usage: gerbang version\n\nPrints the Gerbang version and the plugin ABI it accepts.\n",
          [](AppContext& ctx, const std::vector<std::string>& args) {
            Args(args, {});
            ctx.out() << "gerbang " << build::kVersion << " (plugin ABI " << GERBANG_ABI_MAJOR
                      << "." << GERBANG_ABI_MINOR << ")\n";
            return kExitOk;
          }};
}

}  // namespace gerbang::app
