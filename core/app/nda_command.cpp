// gerbang nda add --operator X --number N --date D
// Records an operator's NDA (surat pernyataan kerahasiaan; rule 7: no NDA, no lookups).
#include "core/app/app_context.hpp"
#include "core/app/args.hpp"
#include "core/app/command.hpp"
#include "core/operator/operator_repository.hpp"

#include <spdlog/spdlog.h>

namespace gerbang::app {
namespace {

int run(AppContext& ctx, const std::vector<std::string>& args) {
  Args a(args, {{"operator"}, {"number"}, {"date"}}, 1);
  if (a.positionals().size() != 1 || a.positionals().front() != "add")
    throw UsageError("expected the subcommand 'add'");
  const std::string id = a.required("operator");
  op::Nda nda{a.required("number"), {}};
  if (!a.value("date")) throw UsageError("--date is required");
  nda.date = *a.date("date");
  op::OperatorRepository repo(ctx.database());
  if (Status s = repo.recordNda(id, nda); !s.ok()) {
    ctx.err() << "gerbang nda add: ditolak (" << s.error().code << "): " << s.error().message
              << "\n";
    return kExitFailed;
  }
  spdlog::info("nda: recorded for operator {}", id);
  ctx.out() << "NDA " << nda.number << " (" << nda.date.iso() << ") dicatat untuk " << id
            << ".\n";
  return kExitOk;
}

}  // namespace

Command ndaCommand() {
  return {"nda", "record an operator's NDA",
          "Usage: gerbang nda add --operator USER_ID --number N --date YYYY-MM-DD\n\n"
          "Every operator signs a confidentiality statement (NDA) before their first lookup;\n"
          "a new one replaces the old.\n",
          run};
}

}  // namespace gerbang::app
