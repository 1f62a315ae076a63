// gerbang lookup --agreement ID --nik N --operator OP --purpose REF [--format text|json]
// One NIK lookup through the whole pipeline (core/lookup): the same checks, quota and
// audit as the REST and CALL_NIK-compatible entry points.
#include "core/app/app_context.hpp"
#include "core/app/args.hpp"
#include "core/app/command.hpp"
#include "core/lookup/answer_json.hpp"
#include "core/lookup/lookup_host.hpp"

#include <iostream>

namespace gerbang::app {
namespace {

// Outcomes where the registry answered about the person: the command succeeded.
bool answered(const std::string& outcome) {
  return outcome == lookup::outcome::kFound || outcome == lookup::outcome::kDeceased ||
         outcome == lookup::outcome::kDuplicate || outcome == lookup::outcome::kNotFound ||
         outcome == lookup::outcome::kInactive;
}

int run(AppContext& ctx, const std::vector<std::string>& args) {
  Args a(args, {{"agreement"}, {"nik"}, {"operator"}, {"purpose"}, {"format"}});
  lookup::LookupRequest req;
  req.agreementId = a.required("agreement");
  req.nik = a.required("nik");
  req.operatorId = a.required("operator");
  req.purposeRef = a.required("purpose");
  req.channel = lookup::Channel::kCli;
  const std::string format = a.choice("format", {"text", "json"});
  // "--nik -" reads the NIK from stdin, so it never shows in the process list.
  if (req.nik == "-") {
    std::getline(std::cin, req.nik);
    while (!req.nik.empty() && (req.nik.back() == '\r' || req.nik.back() == ' '))
      req.nik.pop_back();
  }

  lookup::LookupHost host(ctx.config(), ctx.database(), ctx.agreements(), ctx.clock());
  lookup::LookupAnswer ans = host.service().lookup(req);
  req.nik.assign(req.nik.size(), '0');

  if (format == "json") {
    ctx.out() << lookup::toJsonText(ans) << "\n";
  } else {
    ctx.out() << "Hasil: " << ans.outcome << "\n" << ans.message << "\n";
    for (const auto& [k, v] : ans.data) ctx.out() << "  " << k << ": " << v << "\n";
    if (ans.quotaUnlimited)
      ctx.out() << "Sisa kuota hari ini: tanpa batas\n";
    else if (ans.quotaRemaining)
      ctx.out() << "Sisa kuota hari ini: " << *ans.quotaRemaining << "\n";
    if (ans.auditSeq) ctx.out() << "Catatan audit #" << ans.auditSeq << "\n";
  }
  return answered(ans.outcome) ? kExitOk : kExitFailed;
}

}  // namespace

Command lookupCommand() {
  return {"lookup", "look up one NIK at the registry, with every compliance check",
          "Usage: gerbang lookup --agreement ID --nik NIK --operator USER_ID --purpose REF\n"
          "                      [--format text|json]\n\n"
          "Runs the whole lookup path: agreement term, operator (NDA, membership, SPTJM),\n"
          "service reference, NIK format, pattern guard, daily quota, the registry call,\n"
          "minimisation, audit and balikan obligation. Only the agreement's permitted\n"
          "fields are shown. --nik - reads the NIK from stdin (keeps it out of the process\n"
          "list).\n\n"
          "Exit status: 0 when the registry answered about the person (found, deceased,\n"
          "duplicate, not_found, inactive); 1 for any refusal or failure (the outcome code\n"
          "says which); 2 for bad usage.\n\n"
          "Configuration keys: audit.key_file, portal.*, agreement.<id>.portal.* (the\n"
          "agreement's registry User ID, password and lembaga).\n",
          run};
}

}  // namespace gerbang::app
