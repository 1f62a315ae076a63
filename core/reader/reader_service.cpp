#include "core/reader/reader_service.hpp"

#include "core/reader/ktpel.hpp"

#include <regex>
#include <stdexcept>

namespace gerbang::reader {
namespace {

std::regex compile(const std::string& pattern, const char* what) {
  try {
    return std::regex(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    throw std::invalid_argument(std::string("reader pairing: ") + what + " is not a valid regex (" +
                                e.what() + ")");
  }
}

size_t commonPrefix(const std::string& a, const std::string& b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  return n;
}

Bytes secretHex(const Poco::Util::AbstractConfiguration& c, const std::string& key) {
  if (!c.hasProperty(key)) throw std::invalid_argument("reader config: " + key + " is required");
  auto b = fromHex(c.getString(key));
  if (!b || b->empty())
    throw std::invalid_argument("reader config: " + key + " must be non-empty hex");
  return *b;
}

}  // namespace

ReaderPairing ReaderPairing::vpcd() {
  return ReaderPairing{"^Virtual PCD [0-9]{2} 00$", "^Virtual PCD [0-9]{2} 01$"};
}

Result<ReaderPair> pairReaders(const std::vector<std::string>& names, const ReaderPairing& p) {
  std::regex cl = compile(p.contactlessPattern, "contactless pattern");
  std::regex sam = compile(p.samPattern, "SAM pattern");
  const std::string* card = nullptr;
  for (const auto& n : names)
    if (std::regex_search(n, cl)) {
      card = &n;
      break;
    }
  if (card == nullptr)
    return Error{"reader_absent", "Pembaca KTP-el tidak ditemukan; pastikan pembaca terpasang.",
                 "no slot matches the contactless pattern among " + std::to_string(names.size()) +
                     " slot(s)"};
  const std::string* best = nullptr;
  size_t bestLen = 0;
  for (const auto& n : names) {
    if (&n == card || !std::regex_search(n, sam)) continue;
    size_t l = commonPrefix(n, *card);
    if (best == nullptr || l > bestLen) {
      best = &n;
      bestLen = l;
    }
  }
  if (best == nullptr)
    return Error{"sam_slot_absent", "Slot SAM pada pembaca KTP-el tidak ditemukan.",
                 "no slot other than '" + *card + "' matches the SAM pattern"};
  return ReaderPair{*card, *best};
}

ReaderConfig ReaderConfig::fromConfiguration(const Poco::Util::AbstractConfiguration& c,
                                             PcscOptions* options) {
  ReaderConfig r;
  std::string preset = c.getString("reader.preset", "");
  if (preset == "vpcd") {
    r.pairing = ReaderPairing::vpcd();
  } else if (!preset.empty()) {
    throw std::invalid_argument("reader config: reader.preset must be 'vpcd' or absent");
  }
  r.pairing.contactlessPattern =
      c.getString("reader.contactless.pattern", r.pairing.contactlessPattern);
  r.pairing.samPattern = c.getString("reader.sam.pattern", r.pairing.samPattern);
  compile(r.pairing.contactlessPattern, "reader.contactless.pattern");
  compile(r.pairing.samPattern, "reader.sam.pattern");
  r.secrets.pcid = secretHex(c, "reader.sam.pcid");
  r.secrets.conf = secretHex(c, "reader.sam.conf");
  if (options != nullptr) {
    int ms = c.getInt("reader.transmit.timeout.ms", 5000);
    if (ms < 100 || ms > 120000)
      throw std::invalid_argument("reader config: reader.transmit.timeout.ms must be 100..120000");
    options->transmitTimeout = std::chrono::milliseconds(ms);
  }
  return r;
}

ReaderService::ReaderService(PcscService& pcsc, SamAdapter& adapter, ReaderConfig config,
                             const Clock& clock, const SamRepository* sams)
    : pcsc_(pcsc), adapter_(adapter), config_(std::move(config)), clock_(clock), sams_(sams) {
  compile(config_.pairing.contactlessPattern, "contactless pattern");
  compile(config_.pairing.samPattern, "SAM pattern");
}

Result<ReaderPair> ReaderService::pair() {
  auto names = pcsc_.listReaders();
  if (!names) return names.error();
  return pairReaders(*names, config_.pairing);
}

Result<CardRead> ReaderService::read(const CardReadRequest& req) {
  // Rule 8: after the term, the reader is not used at all (not even to read the SAM UID).
  if (!req.term.active || clock_.today() > req.term.end)
    return Error{"agreement_ended", kSamEndDuty,
                 "agreement " + req.agreementId + " ended " + req.term.end.iso()};
  auto p = pair();
  if (!p) return p.error();
  auto samConn = pcsc_.connect(p->sam);
  if (!samConn) {
    Error e = samConn.error();
    if (e.code == "card_absent")
      e = {"sam_absent", "Kartu SAM tidak terpasang pada slot SAM.", e.detail};
    return e;
  }
  auto cardConn = pcsc_.connect(p->contactless);
  if (!cardConn) return cardConn.error();

  KtpelSession session(**cardConn, **samConn, adapter_);
  auto samUid = session.openSam(config_.secrets);
  if (!samUid) return samUid.error();
  CardRead out;
  out.samUid = toHex(*samUid);
  if (sams_ != nullptr) {
    if (auto s = sams_->authorizeUse(out.samUid, req.agreementId, req.term, clock_.today()); !s)
      return s.error();
  }
  auto uid = session.cardUid();
  if (!uid) return uid.error();
  out.cardUid = toHex(*uid);
  if (auto s = session.selectApplication(); !s) return s.error();
  if (auto s = session.authenticate(*uid); !s) return s.error();
  auto bio = session.readBiodata();
  if (!bio) return bio.error();
  // Minimisation (rule 1): the same projection as for registry answers.
  out.fields = minimise(*bio, req.permitted);
  bio.value().wipe();
  return out;
}

}  // namespace gerbang::reader
