// gerbang sptjm add --agreement ID --number N --date D --name NAME --position P
// Records the agreement's SPTJM (Surat Pernyataan Tanggung Jawab Mutlak), signed by the
// agency head; no lookup runs under an agreement without one (rule 7).
#include "core/app/app_context.hpp"
#include "core/app/args.hpp"
#include "core/app/command.hpp"
#include "core/operator/operator_repository.hpp"

#include <spdlog/spdlog.h>

namespace gerbang::app {
namespace {

int run(AppContext& ctx, const std::vector<std::string>& args) {
  Args a(args, {{"agreement"}, {"number"}, {"date"}, {"name"}, {"position"}}, 1);
  if (a.positionals().size() != 1 || a.positionals().front() != "add")
    throw UsageError("expected the subcommand 'add'");
  op::Sptjm s;
  s.agreementId = a.required("agreement");
  s.number = a.required("number");
  if (!a.value("date")) throw UsageError("--date is required");
  s.date = *a.date("date");
  s.signerName = a.required("name");
  s.signerPosition = a.required("position");
  if (!ctx.agreements().find(s.agreementId))
    throw std::runtime_error("no loaded plugin declares the agreement '" + s.agreementId + "'");
  op::OperatorRepository repo(ctx.database());
  if (Status st = repo.recordSptjm(s); !st.ok()) {
    ctx.err() << "gerbang sptjm add: ditolak (" << st.error().code << "): " << st.error().message
              << "\n";
    return kExitFailed;
  }
  spdlog::info("sptjm: recorded for {}", s.agreementId);
  ctx.out() << "SPTJM " << s.number << " (" << s.date.iso() << ") dicatat untuk "
            << s.agreementId << ".\n";
  return kExitOk;
}

}  // namespace

Command sptjmCommand() {
  return {"sptjm", "record an agreement's SPTJM (signed by the agency head)",
          "Usage: gerbang sptjm add --agreement ID --number N --date YYYY-MM-DD --name NAME\n"
          "                         --position POSITION\n",
          run};
}

}  // namespace gerbang::app
