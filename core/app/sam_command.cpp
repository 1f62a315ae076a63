// gerbang sam activate | deactivate | bast | list
// SAM lifecycle per agreement (issue 5 item 6). Rule 8 (every PKS): the SAM is activated
// for the agreement (SIFILMA) and, when the agreement ends, its configuration is returned
// and it is deactivated, with a handover record (BAST). Card reads refuse a SAM that is not
// recorded as activated for the agreement (gerbang reader read).
#include "core/app/app_context.hpp"
#include "core/app/args.hpp"
#include "core/app/command.hpp"
#include "core/reader/bytes.hpp"
#include "core/reader/sam_registry.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

namespace gerbang::app {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// The SAM UID as the reader service records it (F7 answer, upper-case hex).
std::string samUid(const Args& a) {
  const std::string text = a.required("uid");
  auto bytes = reader::fromHex(text);
  if (!bytes || bytes->empty() || bytes->size() > 32)
    throw UsageError("--uid: '" + text + "' is not a SAM UID (hex, 1 to 32 bytes)");
  return reader::toHex(*bytes);
}

// The agreement's term today (after adenda), as the SAM rules need it.
reader::AgreementTerm termOf(AppContext& ctx, const std::string& agreementId) {
  auto ag = ctx.agreements().find(agreementId);
  if (!ag) throw std::runtime_error("agreement_unknown: '" + agreementId + "' is not loaded");
  return reader::AgreementTerm{ag->termsOn(ctx.clock().today()).end, true};
}

int fail(AppContext& ctx, const char* what, const Error& e) {
  ctx.err() << "gerbang sam " << what << ": " << e.code << ": " << e.message << "\n";
  return kExitFailed;
}

int activate(AppContext& ctx, const std::vector<std::string>& args) {
  Args a(args, {{"agreement"}, {"uid"}, {"date"}});
  const std::string agreementId = a.required("agreement");
  const std::string uid = samUid(a);
  const Date day = a.date("date").value_or(ctx.clock().today());
  auto ag = ctx.agreements().find(agreementId);
  if (!ag) return fail(ctx, "activate", {"agreement_unknown", "Perjanjian tidak dikenal", ""});
  const auto& methods = ag->manifest().accessMethods;
  if (std::find(methods.begin(), methods.end(), "card_reader") == methods.end())
    return fail(ctx, "activate",
                {"card_reader_not_permitted", "PKS ini tidak mengizinkan pembaca KTP-el", ""});
  reader::SamRepository sams(ctx.database());
  if (Status s = sams.activate(uid, agreementId, day); !s) return fail(ctx, "activate", s.error());
  ctx.out() << "SAM " << uid << " diaktifkan untuk " << agreementId << " sejak " << day.iso()
            << "\n";
  return kExitOk;
}

int deactivate(AppContext& ctx, const std::vector<std::string>& args) {
  Args a(args, {{"uid"}, {"date"}});
  const std::string uid = samUid(a);
  const Date day = a.date("date").value_or(ctx.clock().today());
  reader::SamRepository sams(ctx.database());
  if (Status s = sams.deactivate(uid, day); !s) return fail(ctx, "deactivate", s.error());
  ctx.out() << "SAM " << uid << " dinonaktifkan pada " << day.iso() << "\n";
  return kExitOk;
}

int bast(AppContext& ctx, const std::vector<std::string>& args) {
  Args a(args, {{"uid"}, {"date"}});
  const std::string uid = samUid(a);
  const Date day = a.date("date").value_or(ctx.clock().today());
  reader::SamRepository sams(ctx.database());
  auto rec = sams.find(uid);
  if (!rec) return fail(ctx, "bast", {"sam_unknown", "SAM tidak tercatat.", ""});
  auto json = sams.bastJson(uid, termOf(ctx, rec->agreementId), day);
  if (!json) return fail(ctx, "bast", json.error());
  ctx.out() << *json << "\n";
  return kExitOk;
}

int list(AppContext& ctx, const std::vector<std::string>& args) {
  Args a(args, {{"agreement"}, {"format"}});
  const std::string format = a.choice("format", {"text", "json"});
  std::vector<std::string> ids;
  if (auto one = a.value("agreement"))
    ids.push_back(*one);
  else
    ids = ctx.agreements().ids();
  reader::SamRepository sams(ctx.database());
  Array arr;
  for (const std::string& id : ids) {
    for (const reader::SamRecord& r : sams.forAgreement(id)) {
      if (format == "json") {
        Object o;
        o.set("sam_uid", r.samUid);
        o.set("agreement_id", r.agreementId);
        o.set("activated", r.activated.iso());
        if (r.deactivated)
          o.set("deactivated", r.deactivated->iso());
        else
          o.set("deactivated", Poco::Dynamic::Var());
        arr.add(o);
      } else {
        ctx.out() << r.samUid << "\t" << r.agreementId << "\taktif sejak " << r.activated.iso()
                  << (r.deactivated ? "\tnonaktif sejak " + r.deactivated->iso() : "") << "\n";
      }
    }
  }
  if (format == "json") {
    std::ostringstream os;
    arr.stringify(os);
    ctx.out() << os.str() << "\n";
  }
  return kExitOk;
}

int run(AppContext& ctx, const std::vector<std::string>& args) {
  if (args.empty()) throw UsageError("a subcommand is required: activate, deactivate, bast, list");
  const std::string sub = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (sub == "activate") return activate(ctx, rest);
  if (sub == "deactivate") return deactivate(ctx, rest);
  if (sub == "bast") return bast(ctx, rest);
  if (sub == "list") return list(ctx, rest);
  throw UsageError("unknown subcommand '" + sub + "' (activate, deactivate, bast, list)");
}

}  // namespace

Command samCommand() {
  return {"sam", "SAM cards of the KTP-el readers: activation per agreement, handover (BAST)",
          "Usage: gerbang sam activate --agreement ID --uid UID [--date YYYY-MM-DD]\n"
          "       gerbang sam deactivate --uid UID [--date YYYY-MM-DD]\n"
          "       gerbang sam bast --uid UID [--date YYYY-MM-DD]\n"
          "       gerbang sam list [--agreement ID] [--format text|json]\n\n"
          "UID is the SAM UID in hex (what the SAM answers to F7; `gerbang reader read`\n"
          "shows it). --date defaults to today. activate records the SAM for the agreement\n"
          "(after activation in SIFILMA); a card read with a SAM not recorded for the\n"
          "agreement is refused. When the agreement ends, return the SAM configuration to\n"
          "Dinas Dukcapil, print the handover data with `bast` (JSON) and record `deactivate`\n"
          "(rule 8 of every PKS).\n",
          run};
}

}  // namespace gerbang::app
