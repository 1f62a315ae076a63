// gerbang tokens create | list | revoke
// API tokens for an agency's own applications (core/web/api_tokens.hpp): one token, one
// application, one agreement. The token is printed once and only its hash is stored.
#include "core/app/app_context.hpp"
#include "core/app/args.hpp"
#include "core/app/command.hpp"
#include "core/app/table.hpp"
#include "core/web/api_tokens.hpp"

#include <spdlog/spdlog.h>

#include <limits>

namespace gerbang::app {
namespace {

int run(AppContext& ctx, const std::vector<std::string>& args) {
  Args a(args, {{"agreement"}, {"application"}, {"id"}}, 1);
  if (a.positionals().empty()) throw UsageError("missing subcommand (create, list or revoke)");
  const std::string sub = a.positionals().front();
  const std::string agreementId = a.required("agreement");
  if (!ctx.agreements().find(agreementId))
    throw std::runtime_error("no loaded plugin declares the agreement '" + agreementId + "'");
  web::ApiTokenStore tokens(ctx.database(), ctx.clock(), [](const web::SecurityEvent& e) {
    spdlog::info("web security (cli): {} subject='{}' {}", e.kind, e.subject, e.detail);
  });
  if (sub == "create") {
    auto issued = tokens.create(agreementId, a.required("application"), "cli");
    if (!issued.ok()) {
      ctx.err() << "gerbang tokens: " << issued.error().message << "\n";
      return kExitFailed;
    }
    ctx.err() << "Token " << issued->token.id << " untuk " << issued->token.application << " ("
              << agreementId << "). Simpan sekarang: token ini tidak dapat ditampilkan lagi.\n";
    ctx.out() << issued->secret << "\n";
    return kExitOk;
  }
  if (sub == "list") {
    Table t({"ID", "APLIKASI", "DIBUAT OLEH", "DIBUAT", "DICABUT"});
    for (const auto& tk : tokens.list(agreementId))
      t.add({std::to_string(tk.id), tk.application, tk.createdBy,
             Date::jakartaDayOf(tk.createdAt).iso(), tk.revoked ? "ya" : "tidak"});
    t.print(ctx.out());
    return kExitOk;
  }
  if (sub == "revoke") {
    auto id = a.integer("id", 1, std::numeric_limits<int>::max());
    if (!id) throw UsageError("--id is required");
    Status st = tokens.revoke(agreementId, *id, "cli");
    if (!st.ok()) {
      ctx.err() << "gerbang tokens: " << st.error().message << "\n";
      return kExitFailed;
    }
    ctx.out() << "Token " << *id << " dicabut.\n";
    return kExitOk;
  }
  throw UsageError("unknown subcommand '" + sub + "' (create, list or revoke)");
}

}  // namespace

Command tokensCommand() {
  return {"tokens", "manage API tokens of agency applications",
          "Usage: gerbang tokens create --agreement ID --application NAME\n"
          "       gerbang tokens list --agreement ID\n"
          "       gerbang tokens revoke --agreement ID --id N\n\n"
          "create prints the new token on stdout, once; store it in the application's\n"
          "configuration. Applications send it as 'Authorization: Bearer <token>'.\n",
          run};
}

}  // namespace gerbang::app
