// gerbang agreements [--today D] [--format table|json]
#include "core/app/agreement_view.hpp"
#include "core/app/app_context.hpp"
#include "core/app/args.hpp"
#include "core/app/command.hpp"
#include "core/app/table.hpp"

namespace gerbang::app {
namespace {

int run(AppContext& ctx, const std::vector<std::string>& args) {
  Args a(args, {{"format", true}});
  const std::string format = a.choice("format", {"table", "json"});
  agreement::AgreementService& service = ctx.agreements();
  const Date today = service.today();
  std::vector<agreement::Agreement> all = service.all();

  if (format == "json") {
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& ag : all) arr->add(agreementJson(ag, today));
    printJson(ctx.out(), arr);
    return kExitOk;
  }

  ctx.out() << "Perjanjian kerja sama per " << today.iso() << " (WIB)\n\n";
  Table t({"ID", "INSTANSI", "NOMOR PKS", "BERAKHIR", "STATUS", "SISA HARI", "KUOTA/HARI", "ELEMEN",
           "ADENDUM"});
  for (const auto& ag : all) {
    agreement::EffectiveTerms terms = ag.termsOn(today);
    agreement::AgreementStatus s = ag.status(today);
    t.add({ag.id(), ag.manifest().shortName, joined(ag.manifest().pksNumbers, "; "),
           terms.end.iso(), phaseLabel(s.phase),
           s.daysLeft >= 0 ? std::to_string(s.daysLeft) : "lewat " + std::to_string(-s.daysLeft),
           quotaLabel(terms.quotaPerDay), std::to_string(terms.elements.size()),
           std::to_string(terms.adendumNumbers.size())});
  }
  t.print(ctx.out());
  if (all.empty())
    ctx.out() << "(tidak ada plugin perjanjian yang dimuat; lihat `gerbang plugins`)\n";
  bool notes = false;
  for (const auto& ag : all) {
    agreement::AgreementStatus s = ag.status(today);
    if (!notes && (s.phase == agreement::Phase::kExpired || s.phase == agreement::Phase::kExpiring))
      ctx.out() << "\n";
    if (s.phase == agreement::Phase::kExpired) {
      notes = true;
      // Rule 8: access stops at the end of the term unless an Adendum extends it.
      ctx.out() << "! " << ag.id() << ": PKS berakhir " << s.end.iso()
                << "; akses ditolak sampai Adendum perpanjangan dicatat "
                   "(gerbang adendum add --agreement "
                << ag.id() << " ...)\n";
    } else if (s.phase == agreement::Phase::kExpiring) {
      notes = true;
      // Juknis 2025: ask for the extension at least two months before the end.
      ctx.out() << "! " << ag.id() << ": PKS berakhir " << s.end.iso() << " (" << s.daysLeft
                << " hari lagi); ajukan perpanjangan paling lambat 2 bulan sebelum berakhir\n";
    }
  }
  return kExitOk;
}

}  // namespace

Command agreementsCommand() {
  return {"agreements", "list the agreements (PKS) with their status, term and quota",
          "Usage: gerbang agreements [--today YYYY-MM-DD] [--format table|json]\n\n"
          "Lists every agreement a loaded plugin declares, with the terms in force after any\n"
          "Adendum: end date, status (active / expiring / expired / not_started), days left,\n"
          "daily quota, permitted elements.\n\n"
          "Options:\n"
          "  --today YYYY-MM-DD   evaluate on this Jakarta day instead of today\n"
          "  --format FORMAT      table (default) or json\n",
          run};
}

}  // namespace gerbang::app
