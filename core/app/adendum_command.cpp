// gerbang adendum add|list: record and show the amendments (Adendum) of an agreement.
#include "core/app/agreement_view.hpp"
#include "core/app/app_context.hpp"
#include "core/app/args.hpp"
#include "core/app/command.hpp"
#include "core/app/table.hpp"

#include <Poco/Environment.h>
#include <spdlog/spdlog.h>

namespace gerbang::app {
namespace {

int add(AppContext& ctx, const std::vector<std::string>& args) {
  Args a(args, {{"agreement", true},
                {"number", true},
                {"date", true},
                {"end", true},
                {"quota", true},
                {"poc-passed", false},
                {"elements", true},
                {"address-parts", true},
                {"by", true},
                {"format", true}});
  agreement::Adendum ad;
  ad.agencyId = a.required("agreement");
  ad.number = a.required("number");
  if (!a.value("date")) throw UsageError("--date is required");
  ad.date = *a.date("date");
  ad.newEnd = a.date("end");
  ad.quotaPerDay = a.integer("quota", 1, 10'000'000);
  ad.pocPassed = a.flag("poc-passed");
  ad.elements = a.list("elements");
  ad.addressParts = a.list("address-parts");
  ad.recordedBy = a.value("by").value_or(Poco::Environment::get("USER", "admin"));
  if (ad.recordedBy.empty()) throw UsageError("--by must not be empty");
  const std::string format = a.choice("format", {"table", "json"});

  agreement::AgreementService& service = ctx.agreements();
  Result<agreement::Adendum> r = service.addAdendum(ad);
  if (!r.ok()) {
    spdlog::info("adendum {} for {} refused: {}", ad.number, ad.agencyId, r.error().code);
    ctx.err() << "gerbang adendum add: ditolak / refused (" << r.error().code
              << "): " << r.error().message << "\n";
    return kExitFailed;
  }
  spdlog::info("adendum {} recorded for {} by {}", r->number, r->agencyId, r->recordedBy);
  std::optional<agreement::Agreement> ag = service.find(ad.agencyId);
  const Date today = service.today();
  if (format == "json") {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("adendum", adendumJson(*r));
    o->set("agreement", agreementJson(*ag, today));
    printJson(ctx.out(), o);
    return kExitOk;
  }
  agreement::EffectiveTerms t = ag->termsOn(today);
  agreement::AgreementStatus s = ag->status(today);
  ctx.out() << "Adendum " << r->number << " dicatat untuk " << r->agencyId << ".\n"
            << "Per " << today.iso() << ": berakhir " << t.end.iso() << ", status "
            << phaseLabel(s.phase) << " (" << s.daysLeft << " hari), kuota/hari "
            << quotaLabel(t.quotaPerDay) << ", elemen " << joined(t.elements) << "\n";
  return kExitOk;
}

int list(AppContext& ctx, const std::vector<std::string>& args) {
  Args a(args, {{"agreement", true}, {"format", true}});
  const std::string id = a.required("agreement");
  const std::string format = a.choice("format", {"table", "json"});
  std::optional<agreement::Agreement> ag = ctx.agreements().find(id);
  if (!ag) {
    ctx.err() << "gerbang adendum list: perjanjian '" << id
              << "' tidak dikenal / unknown agreement (see `gerbang agreements`)\n";
    return kExitFailed;
  }
  if (format == "json") {
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& ad : ag->adenda()) arr->add(adendumJson(ad));
    printJson(ctx.out(), arr);
    return kExitOk;
  }
  ctx.out() << "Adendum " << id << " (PKS " << joined(ag->manifest().pksNumbers, "; ")
            << ", berakhir semula " << ag->manifest().end.iso() << ")\n\n";
  Table t({"NOMOR", "TANGGAL", "BERAKHIR BARU", "KUOTA/HARI", "POC", "ELEMEN", "BAGIAN ALAMAT",
           "DICATAT OLEH"});
  for (const auto& ad : ag->adenda())
    t.add({ad.number, ad.date.iso(), ad.newEnd ? ad.newEnd->iso() : "-",
           ad.quotaPerDay ? std::to_string(*ad.quotaPerDay) : "-", ad.pocPassed ? "lulus" : "-",
           ad.elements ? joined(*ad.elements) : "-",
           ad.addressParts ? joined(*ad.addressParts) : "-", ad.recordedBy});
  t.print(ctx.out());
  if (ag->adenda().empty()) ctx.out() << "(belum ada Adendum)\n";
  return kExitOk;
}

int run(AppContext& ctx, const std::vector<std::string>& args) {
  if (args.empty()) throw UsageError("a subcommand is required: add or list");
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "add") return add(ctx, rest);
  if (args[0] == "list") return list(ctx, rest);
  throw UsageError("unknown subcommand '" + args[0] + "' (expected add or list)");
}

}  // namespace

Command adendumCommand() {
  return {"adendum", "record or list the amendments (Adendum) of an agreement",
          "Usage: gerbang adendum add --agreement ID --number N --date YYYY-MM-DD\n"
          "                           [--end YYYY-MM-DD] [--quota N] [--poc-passed]\n"
          "                           [--elements A,B,...] [--address-parts A,B,...]\n"
          "                           [--by NAME] [--format table|json]\n"
          "       gerbang adendum list --agreement ID [--format table|json]\n\n"
          "A PKS changes only by an Adendum. `add` records one after checking it against the\n"
          "agreement's manifest: it may extend or shorten the term, change the daily quota,\n"
          "record a passed PoC (only where the juknis lifts the quota after a PoC), or narrow\n"
          "the permitted elements and address parts; it may never add an element the PKS lacks.\n"
          "An Adendum is never edited or deleted; record a new one instead.\n\n"
          "Options of add:\n"
          "  --agreement ID          the agreement (agency id, see `gerbang agreements`)\n"
          "  --number N              the Adendum's letter number (unique per agreement)\n"
          "  --date YYYY-MM-DD       the day it was signed (not after today)\n"
          "  --end YYYY-MM-DD        the new last day of the term\n"
          "  --quota N               the new daily quota (hits per User ID)\n"
          "  --poc-passed            the registry's PoC was passed\n"
          "  --elements A,B          the narrowed elements (e.g. NIK,NAMA_LGKP,ALAMAT)\n"
          "  --address-parts A,B     the narrowed address parts (e.g. ALAMAT,NO_RT,NO_RW)\n"
          "  --by NAME               who records it (default: the login name)\n"
          "  --format FORMAT         table (default) or json\n",
          run};
}

}  // namespace gerbang::app
