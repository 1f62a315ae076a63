// gerbang reader list | watch | read
// KTP-el card readers (issue 5): the PC/SC slots and their pairing, reader and card events
// as they happen, and card then registry through the compliance pipeline (core/cardflow).
#include "core/app/app_context.hpp"
#include "core/app/args.hpp"
#include "core/app/command.hpp"
#include "core/cardflow/card_flow.hpp"
#include "core/lookup/answer_json.hpp"
#include "core/lookup/lookup_host.hpp"
#include "core/reader/consent.hpp"
#include "core/reader/pcsc.hpp"
#include "core/reader/reader_service.hpp"
#include "core/reader/sam_registry.hpp"
#include "core/reader/test_sam_adapter.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <memory>
#include <mutex>
#include <sstream>

namespace gerbang::app {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

inline constexpr const char* kAdapterKey = "reader.sam.adapter";

// The reader settings for listing and watching: the pairing from the configuration when
// it is complete, else the default patterns (listing needs no SAM secrets).
reader::ReaderPairing pairingFrom(AppContext& ctx, reader::PcscOptions* options,
                                  std::string* note) {
  try {
    return reader::ReaderConfig::fromConfiguration(ctx.config(), options).pairing;
  } catch (const std::invalid_argument& e) {
    // The message names the key, never its value (ReaderConfig's contract).
    *note = e.what();
    reader::ReaderPairing p;
    if (ctx.config().getString("reader.preset", "") == "vpcd") p = reader::ReaderPairing::vpcd();
    if (ctx.config().has("reader.contactless.pattern"))
      p.contactlessPattern = ctx.config().getString("reader.contactless.pattern");
    if (ctx.config().has("reader.sam.pattern"))
      p.samPattern = ctx.config().getString("reader.sam.pattern");
    return p;
  }
}

int list(AppContext& ctx, const std::vector<std::string>& args) {
  Args a(args, {{"format"}});
  const std::string format = a.choice("format", {"text", "json"});
  reader::PcscOptions options;
  std::string note;
  reader::ReaderPairing pairing = pairingFrom(ctx, &options, &note);
  reader::PcscService pcsc(options);
  auto names = pcsc.listReaders();
  if (!names) {
    ctx.err() << "gerbang reader list: " << names.error().code << ": " << names.error().message
              << "\n";
    return kExitFailed;
  }
  auto pair = reader::pairReaders(*names, pairing);
  auto role = [&](const std::string& n) -> std::string {
    if (!pair) return "-";
    if (n == pair->contactless) return "kartu";
    if (n == pair->sam) return "SAM";
    return "-";
  };
  if (format == "json") {
    Object root;
    Array slots;
    for (const std::string& n : *names) {
      Object s;
      s.set("name", n);
      s.set("role", role(n) == "kartu" ? "card" : role(n) == "SAM" ? "sam" : "");
      auto present = pcsc.cardPresent(n);
      if (present)
        s.set("card_present", *present);
      else
        s.set("error", present.error().code);
      slots.add(s);
    }
    root.set("readers", slots);
    if (pair) {
      Object p;
      p.set("card", pair->contactless);
      p.set("sam", pair->sam);
      root.set("pair", p);
    } else {
      root.set("pair_error", pair.error().code);
    }
    std::ostringstream os;
    root.stringify(os);
    ctx.out() << os.str() << "\n";
    return kExitOk;
  }
  if (names->empty()) ctx.out() << "Tidak ada pembaca kartu yang dikenali pcscd.\n";
  for (const std::string& n : *names) {
    auto present = pcsc.cardPresent(n);
    ctx.out() << n << "\t" << role(n) << "\t"
              << (present ? (*present ? "kartu ada" : "kosong") : present.error().code) << "\n";
  }
  if (pair)
    ctx.out() << "Pasangan: kartu '" << pair->contactless << "' + SAM '" << pair->sam << "'\n";
  else
    ctx.out() << "Pasangan: " << pair.error().code << ": " << pair.error().message << "\n";
  if (!note.empty()) ctx.err() << "catatan: konfigurasi pembaca belum lengkap (" << note << ")\n";
  return kExitOk;
}

int watch(AppContext& ctx, const std::vector<std::string>& args) {
  Args a(args, {{"count"}, {"seconds"}});
  const std::optional<int> count = a.integer("count", 1, 1000000);
  const std::optional<int> seconds = a.integer("seconds", 1, 86400 * 365);
  reader::PcscOptions options;
  std::string note;
  reader::ReaderPairing pairing = pairingFrom(ctx, &options, &note);
  (void)pairing;

  // Block SIGINT/SIGTERM before the watcher thread starts, so only sigtimedwait sees them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  std::mutex outMutex;
  std::atomic<int> seen{0};
  reader::PcscService pcsc(options);
  pcsc.startWatch([&](const reader::ReaderEvent& e) {
    std::lock_guard<std::mutex> lock(outMutex);
    if (count && seen.load() >= *count) return;
    ctx.out() << toString(e.type);
    if (!e.reader.empty()) ctx.out() << "\t" << e.reader;
    // The ATR identifies the card type, not the person (protocol bytes).
    if (!e.atr.empty()) ctx.out() << "\tATR " << reader::toHex(e.atr);
    ctx.out() << std::endl;
    ++seen;
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds.value_or(0));
  int sig = 0;
  while (true) {
    if (count && seen.load() >= *count) break;
    if (seconds && std::chrono::steady_clock::now() >= deadline) break;
    timespec ts{0, 200'000'000};
    sig = sigtimedwait(&stop, nullptr, &ts);
    if (sig == SIGINT || sig == SIGTERM) break;
  }
  pcsc.stopWatch();
  return kExitOk;
}

Object cardFlowJson(const cardflow::CardFlowResult& r) {
  Object o;
  o.set("code", r.code);
  o.set("message", r.message);
  if (r.ok()) {
    Object card;
    card.set("card_uid", r.card.cardUid);
    card.set("sam_uid", r.card.samUid);
    Object fields;
    for (const auto& [k, v] : r.card.fields) fields.set(k, v);
    card.set("fields", fields);
    o.set("card", card);
    Array diffs;
    for (const auto& d : r.differences) {
      Object x;
      x.set("element", d.element);
      x.set("kind", d.kind == reader::FieldDifference::Kind::kDiffers ? "differs"
                                                                      : "missing_in_registry");
      x.set("card", d.cardValue);
      x.set("registry", d.registryValue);
      diffs.add(x);
    }
    o.set("differences", diffs);
    o.set("matches", r.matches());
    o.set("obligation_id", r.obligationId);
    o.set("consent_id", r.consentId);
    o.set("stored_read_id", r.storedReadId);
  }
  if (!r.registry.outcome.empty()) o.set("registry", lookup::answerJson(r.registry));
  return o;
}

void printText(AppContext& ctx, const cardflow::CardFlowResult& r) {
  std::ostream& out = ctx.out();
  out << "Kartu: UID " << r.card.cardUid << ", SAM " << r.card.samUid << "\n";
  out << "Data kartu (hanya elemen yang diizinkan PKS):\n";
  for (const auto& [k, v] : r.card.fields) out << "  " << k << ": " << v << "\n";
  out << "Dukcapil: " << r.registry.outcome << " - " << r.registry.message << "\n";
  if (r.registry.outcome == lookup::outcome::kFound) {
    if (r.differences.empty()) {
      out << "Data kartu sesuai dengan data Dukcapil.\n";
    } else {
      out << "Data kartu TIDAK sesuai dengan data Dukcapil (" << r.differences.size()
          << " elemen):\n";
      for (const auto& d : r.differences)
        out << "  " << d.element << ": kartu '" << d.cardValue << "', Dukcapil '"
            << (d.kind == reader::FieldDifference::Kind::kDiffers ? d.registryValue
                                                                  : std::string("(tidak ada)"))
            << "'\n";
    }
  } else {
    out << "Data kartu tidak dapat dicocokkan: Dukcapil tidak memberikan data.\n";
  }
  out << "Kewajiban data balikan #" << r.obligationId << " (sumber: kartu)\n";
  if (r.consentId)
    out << "Persetujuan penduduk #" << r.consentId << " dicatat; data kartu disimpan #"
        << r.storedReadId << " (hanya elemen yang diizinkan)\n";
  else
    out << "Tanpa persetujuan penduduk: tidak ada data kartu yang disimpan.\n";
  if (r.registry.auditSeq) out << "Catatan audit #" << r.registry.auditSeq << "\n";
}

// The SAM adapter this binary carries. Only the stand-in for the virtual SAM is built in; a
// deployment with real SAMs links its vendor SDK adapter here (docs/reader.md).
std::unique_ptr<reader::SamAdapter> samAdapter(AppContext& ctx) {
  const std::string kind = ctx.config().getString(kAdapterKey, "");
  if (kind == "stand-in") return std::make_unique<reader::TestSamAdapter>();
  throw std::runtime_error(std::string(kAdapterKey) +
                           ": must be 'stand-in' (the virtual SAM of sim/vcard, the only "
                           "adapter built in); a real SAM needs its vendor's adapter "
                           "(docs/reader.md)");
}

int read(AppContext& ctx, const std::vector<std::string>& args) {
  Args a(args, {{"agreement"}, {"operator"}, {"purpose"}, {"consent", false}, {"format"},
                {"wait-seconds"}});
  cardflow::CardFlowRequest req;
  req.agreementId = a.required("agreement");
  req.operatorId = a.required("operator");
  req.purposeRef = a.required("purpose");
  req.consent = a.flag("consent");
  const std::string format = a.choice("format", {"text", "json"});
  const int waitSeconds = a.integer("wait-seconds", 0, 3600).value_or(0);

  reader::PcscOptions options;
  reader::ReaderConfig config = reader::ReaderConfig::fromConfiguration(ctx.config(), &options);
  std::unique_ptr<reader::SamAdapter> adapter = samAdapter(ctx);
  store::Database& db = ctx.database();
  const Clock& clock = ctx.clock();
  lookup::LookupHost host(ctx.config(), db, ctx.agreements(), clock);
  reader::SamRepository sams(db);
  reader::ConsentRepository consents(db, host.hasher(), clock);
  reader::PcscService pcsc(options);
  reader::ReaderService readers(pcsc, *adapter, config, clock, &sams);

  if (waitSeconds > 0) {
    // "Tempelkan KTP-el": wait for the card to arrive before reading.
    if (auto p = readers.pair(); p) {
      ctx.err() << "Tempelkan KTP-el pada pembaca '" << p->contactless << "'...\n";
      (void)pcsc.waitForCard(p->contactless, true, std::chrono::seconds(waitSeconds));
    }
  }

  cardflow::ReaderServiceSource source(readers);
  cardflow::CardFlowService flow({ctx.agreements(), host.operators(), source, host.service(),
                                  host.obligations(), consents, host.hasher(), clock});
  cardflow::CardFlowResult r = flow.run(req);

  if (format == "json") {
    std::ostringstream os;
    cardFlowJson(r).stringify(os);
    ctx.out() << os.str() << "\n";
  } else if (r.ok()) {
    printText(ctx, r);
  }
  if (!r.ok()) {
    ctx.err() << "gerbang reader read: " << r.code << ": " << r.message << "\n";
    return kExitFailed;
  }
  return kExitOk;
}

int run(AppContext& ctx, const std::vector<std::string>& args) {
  if (args.empty()) throw UsageError("a subcommand is required: list, watch or read");
  const std::string sub = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (sub == "list") return list(ctx, rest);
  if (sub == "watch") return watch(ctx, rest);
  if (sub == "read") return read(ctx, rest);
  throw UsageError("unknown subcommand '" + sub + "' (list, watch, read)");
}

}  // namespace

Command readerCommand() {
  return {"reader", "KTP-el card readers: list, watch events, read a card then the registry",
          "Usage: gerbang reader list [--format text|json]\n"
          "       gerbang reader watch [--count N] [--seconds N]\n"
          "       gerbang reader read --agreement ID --operator USER_ID --purpose REF\n"
          "                           [--consent] [--wait-seconds N] [--format text|json]\n\n"
          "list   the PC/SC slots pcscd knows, which one is the card (antenna) and which the\n"
          "       SAM slot of the pair, and whether a card is in each.\n"
          "watch  one line per reader or card event (reader_added, reader_removed,\n"
          "       card_inserted, card_removed, service_lost, service_restored) until\n"
          "       SIGINT/SIGTERM, N events (--count) or N seconds (--seconds).\n"
          "read   card then registry: the agreement must be in its term (after it ends, the\n"
          "       duty to return the SAM configuration is shown) and list card_reader; the\n"
          "       operator must be authorised; the SAM must be activated for the agreement\n"
          "       (gerbang sam activate). The card is read with the agreement's permitted\n"
          "       fields only, its NIK looked up through the whole lookup pipeline (purpose,\n"
          "       pattern guard, quota, audit), and the differences between card and\n"
          "       registry are shown on screen only. The card use opens a data-balikan\n"
          "       obligation (source: card). --consent: the resident consented (2025\n"
          "       juknis); the consent is recorded and the permitted card fields stored.\n"
          "       Without it nothing read from the card is stored.\n\n"
          "Exit status: 0 when the card was read and looked up (whatever the registry\n"
          "answered; see the registry outcome); 1 for a refusal or failure; 2 for bad usage.\n\n"
          "Configuration keys: reader.* (docs/reader.md), reader.sam.adapter = stand-in\n"
          "(the only SAM adapter built in: the virtual SAM), audit.key_file, portal.*,\n"
          "agreement.<id>.portal.*.\n",
          run};
}

}  // namespace gerbang::app
