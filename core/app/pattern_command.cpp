// gerbang pattern release --operator X --supervisor Y --reason "..."
// A supervisor lets an operator's next lookup refused by the pattern guard through, once,
// with a written reason (juknis: no sequential, patterned or rapid entry; issue 4 item 5).
// The release is stored (core/lookup PatternReleases) so the serving process sees it, and
// audited here; the lookup that uses it is audited again with the rule it overrode.
#include "core/app/app_context.hpp"
#include "core/app/args.hpp"
#include "core/app/command.hpp"
#include "core/lookup/lookup_host.hpp"
#include "core/plugin/loader.hpp"

#include <spdlog/spdlog.h>

namespace gerbang::app {
namespace {

int run(AppContext& ctx, const std::vector<std::string>& args) {
  Args a(args, {{"operator"}, {"supervisor"}, {"reason"}}, 1);
  if (a.positionals().size() != 1 || a.positionals().front() != "release")
    throw UsageError("expected the subcommand 'release'");
  const std::string opId = a.required("operator");
  const std::string supId = a.required("supervisor");
  // The reason goes to the audit: nothing that looks like a NIK.
  const std::string reason = plugin::redactNiks(a.required("reason"));

  lookup::LookupHost host(ctx.config(), ctx.database(), ctx.agreements(), ctx.clock());
  auto sup = host.operators().find(supId);
  if (!sup.ok() || !sup->active ||
      (sup->role != op::Role::kSupervisor && sup->role != op::Role::kAdmin)) {
    ctx.err() << "gerbang pattern release: ditolak: " << supId
              << " bukan penanggung jawab (supervisor) yang aktif\n";
    return kExitFailed;
  }
  auto target = host.operators().find(opId);
  if (!target.ok()) {
    ctx.err() << "gerbang pattern release: ditolak: " << target.error().message << "\n";
    return kExitFailed;
  }
  // The supervisor must answer for at least one agreement the operator works under.
  std::vector<std::string> shared;
  for (const auto& ag : target->agreements)
    if (std::find(sup->agreements.begin(), sup->agreements.end(), ag) != sup->agreements.end())
      shared.push_back(ag);
  if (shared.empty()) {
    ctx.err() << "gerbang pattern release: ditolak: " << supId
              << " tidak memegang perjanjian yang sama dengan " << opId << "\n";
    return kExitFailed;
  }
  const TimePoint now = ctx.clock().now();
  if (Status s = host.releases().add(opId, supId, reason, now); !s.ok()) {
    ctx.err() << "gerbang pattern release: ditolak (" << s.error().code
              << "): " << s.error().message << "\n";
    return kExitFailed;
  }
  for (const auto& ag : shared) {
    audit::AuditRecord r;
    r.at = now;
    r.agreement = ag;
    r.operatorId = opId;
    r.outcome = "pattern_release";
    r.detail = "released by " + supId + ": " + reason;
    if (auto seq = host.audit().append(std::move(r)); !seq.ok()) {
      ctx.err() << "gerbang pattern release: " << seq.error().message << "\n";
      return kExitFailed;
    }
  }
  spdlog::info("pattern: release for operator {} by supervisor {}", opId, supId);
  ctx.out() << "Pelepasan satu kali dicatat: pencarian berikut " << opId
            << " yang ditahan pemeriksa pola akan diteruskan.\n";
  return kExitOk;
}

}  // namespace

Command patternCommand() {
  return {"pattern", "let one lookup refused by the pattern guard through (supervisor)",
          "Usage: gerbang pattern release --operator USER_ID --supervisor USER_ID\n"
          "                               --reason \"written reason\"\n\n"
          "The supervisor must be an active supervisor or admin sharing an agreement with the\n"
          "operator. The release is used by the operator's next refused lookup and audited.\n",
          run};
}

}  // namespace gerbang::app
