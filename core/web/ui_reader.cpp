#include "core/web/ui_reader.hpp"

#include "core/reader/test_sam_adapter.hpp"
#include "core/web/ui_crosscheck.hpp"
#include "core/web/ui_lookup.hpp"
#include "core/web/web_app.hpp"

#include <Poco/JSON/Array.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

namespace gerbang::web {

// ----- event log ------------------------------------------------------------------------

ReaderEventLog::ReaderEventLog(size_t capacity) : capacity_(std::max<size_t>(capacity, 1)) {}

void ReaderEventLog::push(const reader::ReaderEvent& event) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // The ATR stays out: it names the card type only, but nothing from the card is needed
    // on the screen beyond "a card is there".
    entries_.push_back({++latest_, std::string(reader::toString(event.type)), event.reader});
    while (entries_.size() > capacity_) entries_.pop_front();
  }
  changed_.notify_all();
}

ReaderEventLog::Batch ReaderEventLog::collectLocked(uint64_t after) const {
  Batch b;
  b.latest = latest_;
  if (after > latest_) {
    b.gap = true;  // a sequence from before a restart
    return b;
  }
  if (!entries_.empty() && after + 1 < entries_.front().seq) b.gap = true;
  for (const Entry& e : entries_)
    if (e.seq > after) b.events.push_back(e);
  return b;
}

ReaderEventLog::Batch ReaderEventLog::after(uint64_t after, std::chrono::milliseconds maxWait) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait_for(lock, maxWait, [&] { return closed_ || latest_ != after; });
  return collectLocked(after);
}

uint64_t ReaderEventLog::latest() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return latest_;
}

void ReaderEventLog::close() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
  }
  changed_.notify_all();
}

// ----- host -----------------------------------------------------------------------------

namespace {

reader::ReaderPairing pairingOf(const Poco::Util::AbstractConfiguration& c) {
  reader::ReaderPairing p;
  if (c.getString("reader.preset", "") == "vpcd") p = reader::ReaderPairing::vpcd();
  if (c.has("reader.contactless.pattern"))
    p.contactlessPattern = c.getString("reader.contactless.pattern");
  if (c.has("reader.sam.pattern")) p.samPattern = c.getString("reader.sam.pattern");
  return p;
}

}  // namespace

ReaderHost::ReaderHost(const Poco::Util::AbstractConfiguration& config, store::Database& db,
                       UiServices& services, const audit::NikHasher& hasher)
    : services_(services) {
  reader::PcscOptions options;
  std::optional<reader::ReaderConfig> rc;
  try {
    rc = reader::ReaderConfig::fromConfiguration(config, &options);
    pairing_ = rc->pairing;
  } catch (const std::invalid_argument& e) {
    // The message names the key, never its value (ReaderConfig's contract).
    why_ = e.what();
    pairing_ = pairingOf(config);
  }
  const std::string adapter = config.getString("reader.sam.adapter", "");
  if (rc && adapter == "stand-in") {
    adapter_ = std::make_unique<reader::TestSamAdapter>();
  } else if (rc && adapter.empty()) {
    why_ = "reader.sam.adapter is not set";
  } else if (rc) {
    throw std::runtime_error(
        "reader.sam.adapter: must be 'stand-in' (the virtual SAM of sim/vcard, the only "
        "adapter built in); a real SAM needs its vendor's adapter (docs/reader.md)");
  }
  pcsc_ = std::make_unique<reader::PcscService>(options);
  sams_ = std::make_unique<reader::SamRepository>(db);
  if (adapter_) {
    consents_ = std::make_unique<reader::ConsentRepository>(db, hasher, services.clock);
    readers_ = std::make_unique<reader::ReaderService>(*pcsc_, *adapter_, *rc, services.clock,
                                                       sams_.get());
    source_ = std::make_unique<cardflow::ReaderServiceSource>(*readers_);
    flow_ = std::make_unique<cardflow::CardFlowService>(cardflow::CardFlowDeps{
        services.agreements, services.operators, *source_, services.lookups,
        services.obligations, *consents_, hasher, services.clock});
  }
}

ReaderHost::~ReaderHost() { stop(); }

void ReaderHost::start() {
  if (watching_) return;
  pcsc_->startWatch([this](const reader::ReaderEvent& e) { events_.push(e); });
  watching_ = true;
}

void ReaderHost::stop() {
  events_.close();
  if (watching_) pcsc_->stopWatch();
  watching_ = false;
}

namespace {

// The status the screen shows: service, readers, pair, card presence. No card data.
struct ReaderStatus {
  bool service = false;
  std::string serviceMessage;
  std::vector<std::pair<std::string, bool>> slots;  // name, card present
  std::optional<reader::ReaderPair> pair;
  Error pairError;
  bool cardPresent = false;
  bool samPresent = false;
};

ReaderStatus readStatus(ReaderHost& h) {
  ReaderStatus s;
  auto names = h.pcsc().listReaders();
  if (!names) {
    s.serviceMessage = "Layanan pembaca kartu (pcscd) tidak berjalan atau tidak dapat dihubungi.";
    return s;
  }
  s.service = true;
  for (const std::string& n : *names) {
    auto present = h.pcsc().cardPresent(n);
    s.slots.emplace_back(n, present.ok() && *present);
  }
  auto pair = reader::pairReaders(*names, h.pairing());
  if (pair) {
    s.pair = *pair;
    for (const auto& [n, present] : s.slots) {
      if (n == pair->contactless) s.cardPresent = present;
      if (n == pair->sam) s.samPresent = present;
    }
  } else {
    s.pairError = pair.error();
  }
  return s;
}

std::string activeSamOf(const ReaderHost& h, const std::string& agreementId) {
  for (const auto& rec : h.sams().forAgreement(agreementId))
    if (!rec.deactivated) return rec.samUid;
  return "";
}

Poco::JSON::Object samJson(ReaderHost& h, const agreement::Agreement& ag) {
  Poco::JSON::Object o;
  const Date today = h.services().clock.today();
  const agreement::AgreementStatus st = ag.status(today);
  const auto& methods = ag.manifest().accessMethods;
  const bool permitted =
      std::find(methods.begin(), methods.end(), "card_reader") != methods.end();
  const std::string uid = activeSamOf(h, ag.id());
  std::string state, label;
  if (!permitted) {
    state = "tidak_diizinkan";
    label = "PKS ini tidak mengizinkan akses dengan pembaca KTP-el.";
  } else if (st.phase == agreement::Phase::kExpired) {
    state = "pks_berakhir";
    label = reader::kSamEndDuty;
  } else if (st.phase == agreement::Phase::kNotStarted) {
    state = "belum_berlaku";
    label = "PKS belum berlaku; pembaca KTP-el belum boleh digunakan.";
  } else if (uid.empty()) {
    state = "belum_diaktifkan";
    label = "SAM belum diaktifkan untuk perjanjian ini (gerbang sam activate).";
  } else {
    state = "aktif";
    label = "SAM aktif untuk perjanjian ini.";
  }
  o.set("agreement", ag.id());
  o.set("state", state);
  o.set("label", label);
  o.set("uid", uid.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(uid));
  return o;
}

void readersStatus(ReaderHost& h, Request& req, Response& res) {
  auto it = req.query.find("agreement");
  if (it == req.query.end() || it->second.empty())
    return res.error(400, "invalid_field",
                     "Parameter 'agreement' wajib diisi dengan kode perjanjian.");
  const std::string agreementId = it->second;
  // Tenant isolation as for agreement-scoped routes: another agency's agreement is
  // answered exactly like one that does not exist.
  std::optional<agreement::Agreement> ag;
  if (req.principal && req.principal->belongsTo(agreementId))
    ag = h.services().agreements.find(agreementId);
  if (!ag) return res.error(404, "agreement_not_found", "Perjanjian tidak ditemukan.");

  const uint64_t latest = h.events().latest();
  ReaderStatus s = readStatus(h);
  Poco::JSON::Object out;
  out.set("service", s.service);
  out.set("serviceMessage", s.serviceMessage);
  Poco::JSON::Array slots;
  for (const auto& [n, present] : s.slots) {
    Poco::JSON::Object o;
    o.set("name", n);
    std::string role;
    if (s.pair && n == s.pair->contactless) role = "card";
    if (s.pair && n == s.pair->sam) role = "sam";
    o.set("role", role);
    o.set("cardPresent", present);
    slots.add(o);
  }
  out.set("readers", slots);
  if (s.pair) {
    Poco::JSON::Object p;
    p.set("card", s.pair->contactless);
    p.set("sam", s.pair->sam);
    out.set("pair", p);
    out.set("pairMessage", "");
  } else {
    out.set("pair", Poco::Dynamic::Var());
    out.set("pairMessage", s.service ? s.pairError.message : "");
  }
  out.set("cardPresent", s.cardPresent);
  out.set("samPresent", s.samPresent);
  out.set("sam", samJson(h, *ag));
  out.set("cardLookupAvailable", h.flow() != nullptr);
  out.set("configMessage", h.flow() ? ""
                                    : "Pembaca KTP-el belum dikonfigurasi di host ini "
                                      "(reader.sam.*); hubungi admin.");
  // The client follows events from here (GET /api/v1/readers/events?after=eventSeq).
  out.set("eventSeq", Poco::Int64(latest));
  res.setHeader("Cache-Control", "no-store");
  res.json(200, out);
}

// A non-negative integer query parameter, or nullopt (and an error answer) when malformed.
std::optional<uint64_t> queryNumber(const Request& req, Response& res, const std::string& name,
                                    uint64_t fallback, uint64_t max) {
  auto it = req.query.find(name);
  if (it == req.query.end()) return fallback;
  const std::string& v = it->second;
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || n > max) {
    res.error(400, "invalid_field",
              "Parameter '" + name + "' harus bilangan bulat 0 sampai " + std::to_string(max) +
                  ".");
    return std::nullopt;
  }
  return n;
}

const char* eventLabel(const std::string& type) {
  if (type == "card_inserted") return "Kartu dimasukkan";
  if (type == "card_removed") return "Kartu dicabut";
  if (type == "reader_added") return "Pembaca tersambung";
  if (type == "reader_removed") return "Pembaca terlepas";
  if (type == "service_lost") return "Layanan pembaca (pcscd) terputus";
  if (type == "service_restored") return "Layanan pembaca (pcscd) tersambung kembali";
  return "Peristiwa pembaca";
}

void readerEvents(ReaderHost& h, Request& req, Response& res) {
  auto after = queryNumber(req, res, "after", 0, uint64_t(1) << 53);
  if (!after) return;
  const auto maxSeconds = uint64_t(
      std::chrono::duration_cast<std::chrono::seconds>(h.maxWait()).count());
  auto wait = queryNumber(req, res, "wait", maxSeconds, std::max<uint64_t>(maxSeconds, 1));
  if (!wait) return;
  auto waitFor = std::min<std::chrono::milliseconds>(std::chrono::seconds(*wait), h.maxWait());
  // Each waiting poll holds one of the server's threads: only a few may wait at once, so
  // lookups are never starved by open screens.
  const bool waiting = waitFor.count() > 0 && h.enterWait();
  const bool busy = waitFor.count() > 0 && !waiting;
  if (busy) waitFor = std::chrono::milliseconds{0};
  ReaderEventLog::Batch b = h.events().after(*after, waitFor);
  if (waiting) h.leaveWait();
  Poco::JSON::Object out;
  out.set("busy", busy);
  Poco::JSON::Array events;
  for (const auto& e : b.events) {
    Poco::JSON::Object o;
    o.set("seq", Poco::Int64(e.seq));
    o.set("type", e.type);
    o.set("reader", e.reader);
    o.set("label", eventLabel(e.type));
    events.add(o);
  }
  out.set("events", events);
  out.set("latest", Poco::Int64(b.latest));
  out.set("gap", b.gap);
  res.setHeader("Cache-Control", "no-store");
  res.json(200, out);
}

// HTTP status of a card flow that ended before any lookup was made.
int cardFailureStatus(const std::string& code) {
  if (code == "pcsc_unavailable" || code == "reader_unavailable" ||
      code == lookup::outcome::kStoreUnavailable || code == "obligation_unavailable")
    return 503;
  return 409;  // the reader, card or SAM is not in a state to read (the operator can fix it)
}

// Indonesian words for the card failures an operator meets at the counter.
std::string cardFailureMessage(const cardflow::CardFlowResult& r) {
  if (r.code == "card_absent") return "Tidak ada KTP-el pada pembaca. Tempelkan kartu lalu coba lagi.";
  if (r.code == "card_removed")
    return "KTP-el diangkat sebelum pembacaan selesai. Tempelkan kembali kartu dan jangan "
           "dipindahkan sampai hasil tampil.";
  if (r.code == "sam_rejected" || r.code == "card_auth_failed")
    return "SAM pada pembaca tidak cocok dengan konfigurasi host ini (SAM salah). " + r.message;
  return r.message;
}

void cardLookup(ReaderHost& h, Request& req, Response& res) {
  if (!req.principal || !req.principal->operatorId || req.principal->operatorId->empty())
    return res.error(403, "no_operator",
                     "Akun web ini belum ditautkan ke data operator (NDA). Hubungi admin.");
  auto body = parseJsonObject(req);
  if (!body.ok()) return res.error(400, body.error());
  auto readerName = stringField(**body, "reader", 128);
  if (!readerName.ok()) return res.error(400, readerName.error());
  auto purpose = stringField(**body, "purpose", 128);
  if (!purpose.ok()) return res.error(400, purpose.error());
  if (!(*body)->has("consent") || !(*body)->get("consent").isBoolean())
    return res.error(400, "invalid_field",
                     "Kolom 'consent' wajib bernilai true atau false (persetujuan pemohon "
                     "untuk menyimpan data kartu).");
  const bool consent = (*body)->getValue<bool>("consent");
  std::string mode = "check";
  if ((*body)->has("mode")) {
    auto m = stringField(**body, "mode", 8);
    if (!m.ok()) return res.error(400, m.error());
    mode = *m;
  }
  if (mode != "data" && mode != "check")
    return res.error(400, "invalid_field", "Kolom 'mode' harus \"data\" atau \"check\".");

  if (!h.flow())
    return res.error(503, "reader_not_configured",
                     "Pembaca KTP-el belum dikonfigurasi di host ini (reader.sam.*); hubungi "
                     "admin.");
  auto names = h.pcsc().listReaders();
  if (!names)
    return res.error(503, "pcsc_unavailable",
                     "Layanan pembaca kartu (pcscd) tidak berjalan atau tidak dapat dihubungi.");
  auto pair = reader::pairReaders(*names, h.pairing());
  if (!pair || pair->contactless != *readerName)
    return res.error(409, "reader_absent",
                     "Pembaca pada kolom 'reader' tidak tersambung atau bukan pembaca KTP-el "
                     "host ini. Muat ulang status pembaca.");

  std::unique_lock<std::timed_mutex> lock(h.readMutex(), std::defer_lock);
  if (!lock.try_lock_for(std::chrono::seconds{2}))
    return res.error(409, "reader_busy",
                     "Pembaca sedang membaca kartu lain. Tunggu sebentar lalu coba lagi.");
  cardflow::CardFlowRequest cr;
  cr.agreementId = req.param("id");
  cr.operatorId = *req.principal->operatorId;
  cr.purposeRef = *purpose;
  cr.consent = consent;
  cardflow::CardFlowResult r = h.flow()->run(cr);
  lock.unlock();
  res.setHeader("Cache-Control", "no-store");

  if (r.registry.outcome.empty()) {
    // Nothing reached the lookup: the card, SAM or agreement refused first.
    if (!r.detail.empty()) spdlog::info("card lookup: {}: {}", r.code, r.detail);
    return res.error(cardFailureStatus(r.code), r.code, cardFailureMessage(r));
  }
  // The card's fields compared with the registry (check mode): the same server-side
  // cross-check as typed documents, so neither side's values travel back.
  std::map<std::string, std::string> fromCard;
  if (r.ok())
    for (const CrossCheckField& f : kCrossCheckFields) {
      auto it = r.card.fields.find(std::string(f.name));
      if (it != r.card.fields.end() && !it->second.empty()) fromCard[it->first] = it->second;
    }
  const bool check = mode == "check";
  Poco::JSON::Object out = uiAnswerJson(r.registry, check, fromCard);
  out.set("source", "card");
  out.set("cardCode", r.code);
  if (!r.ok() && r.message != r.registry.message) out.set("cardMessage", r.message);
  out.set("matches", r.matches());
  if (r.ok() && !check) {
    Poco::JSON::Object card;
    for (const auto& [k, v] : r.card.fields) card.set(k, v);
    out.set("card", card);
    Poco::JSON::Array diffs;
    for (const auto& d : r.differences) {
      Poco::JSON::Object x;
      x.set("element", d.element);
      x.set("kind", d.kind == reader::FieldDifference::Kind::kDiffers ? "differs"
                                                                      : "missing_in_registry");
      diffs.add(x);
    }
    out.set("differences", diffs);
  } else {
    out.set("card", Poco::Dynamic::Var());
  }
  out.set("obligationId", Poco::Int64(r.obligationId));
  out.set("consentRecorded", r.consentId > 0);
  out.set("cardStored", r.storedReadId > 0);
  res.json(200, out);
}

}  // namespace

HealthCheck ReaderHost::healthCheck() {
  return [this]() {
    ReaderStatus s = readStatus(*this);
    if (!s.service) return HealthResult{HealthState::kDegraded, "pcscd tidak dapat dihubungi"};
    if (!s.pair)
      return HealthResult{HealthState::kDegraded, "pasangan pembaca: " + s.pairError.code};
    return HealthResult{HealthState::kOk, std::string("pembaca ") + s.pair->contactless +
                                              (s.cardPresent ? ", kartu ada" : ", kosong") +
                                              (s.samPresent ? ", SAM ada" : ", SAM tidak ada")};
  };
}

void registerUiReaderRoutes(Router& router, ReaderHost& host) {
  ReaderHost* h = &host;
  router.add({"GET", "/api/v1/readers", Access::kSession, kStaffRoles, "",
              "Status pembaca KTP-el: layanan PC/SC, pembaca, kartu, keadaan SAM perjanjian",
              [h](Request& q, Response& r) { readersStatus(*h, q, r); }});
  router.add({"GET", "/api/v1/readers/events", Access::kSession, kStaffRoles, "",
              "Peristiwa pembaca dan kartu (long-poll dengan nomor urut)",
              [h](Request& q, Response& r) { readerEvents(*h, q, r); }});
  router.add({"POST", "/api/v1/agreements/{id}/card-lookups", Access::kSession,
              {Role::kOperator, Role::kSupervisor}, "id",
              "Baca KTP-el pada pembaca lalu periksa NIK-nya (pipa pencarian yang sama)",
              [h](Request& q, Response& r) { cardLookup(*h, q, r); }});
}

}  // namespace gerbang::web
