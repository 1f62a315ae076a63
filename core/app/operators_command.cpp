// gerbang operators add|list|disable|enable|join|leave|user-id-form
// The operator register (core/operator): who may look up, under which agreement, with the
// registry's User ID application fields and the NDA (rule 7 of every PKS; juknis User ID).
#include "core/app/app_context.hpp"
#include "core/app/args.hpp"
#include "core/app/command.hpp"
#include "core/app/table.hpp"
#include "core/operator/operator_repository.hpp"

#include <spdlog/spdlog.h>

namespace gerbang::app {
namespace {

int fail(AppContext& ctx, const std::string& sub, const Error& e) {
  ctx.err() << "gerbang operators " << sub << ": ditolak (" << e.code << "): " << e.message
            << "\n";
  return kExitFailed;
}

int add(AppContext& ctx, op::OperatorRepository& repo, const std::vector<std::string>& args) {
  Args a(args, {{"operator"}, {"name"}, {"nik"}, {"nip"}, {"employment-status"}, {"position"},
                {"office-region"}, {"office-name"}, {"office-address"}, {"role"},
                {"agreements"}, {"nda-number"}, {"nda-date"}},
         1);
  op::Operator o;
  o.userId = a.required("operator");
  o.fullName = a.required("name");
  o.nik = a.value("nik").value_or("");
  o.nip = a.value("nip").value_or("");
  o.employmentStatus = a.value("employment-status").value_or("");
  o.position = a.value("position").value_or("");
  o.officeRegionCode = a.value("office-region").value_or("");
  o.officeName = a.value("office-name").value_or("");
  o.officeAddress = a.value("office-address").value_or("");
  auto role = op::parseRole(a.value("role").value_or("operator"));
  if (!role) throw UsageError("--role must be operator, supervisor or admin");
  o.role = *role;
  o.agreements = a.list("agreements").value_or(std::vector<std::string>{});
  for (const auto& id : o.agreements)
    if (!ctx.agreements().find(id))
      throw std::runtime_error("no loaded plugin declares the agreement '" + id + "'");
  if (a.value("nda-number") || a.value("nda-date")) {
    if (!a.value("nda-number") || !a.value("nda-date"))
      throw UsageError("--nda-number and --nda-date go together");
    o.nda = op::Nda{a.required("nda-number"), *a.date("nda-date")};
  }
  if (Status s = repo.add(o); !s.ok()) return fail(ctx, "add", s.error());
  spdlog::info("operators: {} added ({})", o.userId, op::roleName(o.role));
  ctx.out() << "Operator " << o.userId << " ditambahkan.\n";
  auto missing = op::OperatorRepository::missingUserIdFields(o);
  if (!o.nda) ctx.out() << "Belum ada NDA: operator ini belum boleh melakukan pencarian.\n";
  if (!missing.empty()) {
    ctx.out() << "Formulir User ID belum lengkap:";
    for (const auto& m : missing) ctx.out() << " " << m << ";";
    ctx.out() << "\n";
  }
  return kExitOk;
}

int list(AppContext& ctx, op::OperatorRepository& repo) {
  auto all = repo.list();
  if (!all.ok()) return fail(ctx, "list", all.error());
  Table t({"USER ID", "NAMA", "PERAN", "PERJANJIAN", "NDA", "AKTIF"});
  for (const auto& o : all.value()) {
    std::string ag;
    for (const auto& id : o.agreements) ag += (ag.empty() ? "" : ",") + id;
    t.add({o.userId, o.fullName, std::string(op::roleName(o.role)), ag,
           o.nda ? o.nda->number + " (" + o.nda->date.iso() + ")" : "-",
           o.active ? "ya" : "tidak"});
  }
  t.print(ctx.out());
  return kExitOk;
}

int run(AppContext& ctx, const std::vector<std::string>& args) {
  if (args.empty()) throw UsageError("missing subcommand");
  const std::string sub = args.front();
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  op::OperatorRepository repo(ctx.database());
  if (sub == "add") return add(ctx, repo, rest);
  if (sub == "list") {
    Args a(rest, {});
    return list(ctx, repo);
  }
  if (sub == "disable" || sub == "enable") {
    Args a(rest, {{"operator"}});
    const std::string id = a.required("operator");
    if (Status s = repo.setActive(id, sub == "enable"); !s.ok()) return fail(ctx, sub, s.error());
    spdlog::info("operators: {} {}d", id, sub);
    ctx.out() << "Operator " << id << (sub == "enable" ? " diaktifkan.\n" : " dinonaktifkan.\n");
    return kExitOk;
  }
  if (sub == "join" || sub == "leave") {
    Args a(rest, {{"operator"}, {"agreement"}});
    const std::string id = a.required("operator"), ag = a.required("agreement");
    if (sub == "join" && !ctx.agreements().find(ag))
      throw std::runtime_error("no loaded plugin declares the agreement '" + ag + "'");
    Status s = sub == "join" ? repo.addAgreement(id, ag) : repo.removeAgreement(id, ag);
    if (!s.ok()) return fail(ctx, sub, s.error());
    ctx.out() << "Operator " << id << (sub == "join" ? " bergabung ke " : " keluar dari ") << ag
              << ".\n";
    return kExitOk;
  }
  if (sub == "user-id-form") {
    Args a(rest, {{"operator"}});
    auto form = repo.userIdForm(a.required("operator"));
    if (!form.ok()) return fail(ctx, sub, form.error());
    ctx.out() << form.value();
    if (!form.value().empty() && form.value().back() != '\n') ctx.out() << "\n";
    return kExitOk;
  }
  throw UsageError("unknown subcommand '" + sub + "'");
}

}  // namespace

Command operatorsCommand() {
  return {"operators", "manage operators (User ID application, role, agreements, NDA)",
          "Usage: gerbang operators add --operator USER_ID --name NAME [--role operator|\n"
          "                 supervisor|admin] [--agreements ID,ID] [--nda-number N --nda-date D]\n"
          "                 [--nik N] [--nip N] [--employment-status S] [--position P]\n"
          "                 [--office-region CODE] [--office-name N] [--office-address A]\n"
          "       gerbang operators list\n"
          "       gerbang operators disable|enable --operator USER_ID\n"
          "       gerbang operators join|leave --operator USER_ID --agreement ID\n"
          "       gerbang operators user-id-form --operator USER_ID\n\n"
          "An operator looks up only with an NDA on file, as a member of the agreement,\n"
          "while active, and once the agreement's SPTJM is on file (gerbang sptjm add).\n"
          "user-id-form prints the completed User ID application for the registry, or the\n"
          "fields still missing (exit 1).\n",
          run};
}

}  // namespace gerbang::app
