#include "core/reader/test_sam_adapter.hpp"

namespace gerbang::reader {
namespace {

Result<Bytes> call(CardChannel& sam, uint8_t ins, uint8_t p1, Bytes data, int le) {
  CommandApdu c{kSamCla, ins, p1, 0x00, std::move(data), le};
  auto r = exchangeOk(sam, c, "SAM");
  if (!r) return r.error();
  return std::move(r.value().data);
}

}  // namespace

Status TestSamAdapter::open(CardChannel& sam, const SamSecrets& s) {
  if (s.pcid.empty() || s.conf.empty() || s.pcid.size() > 64 || s.conf.size() > 64)
    return Error{"sam_config_invalid", "Konfigurasi SAM (PCID/CONF) tidak lengkap.",
                 "PCID and CONF must each be 1..64 bytes"};
  Bytes d;
  d.push_back(uint8_t(s.pcid.size()));
  d.insert(d.end(), s.pcid.begin(), s.pcid.end());
  d.push_back(uint8_t(s.conf.size()));
  d.insert(d.end(), s.conf.begin(), s.conf.end());
  auto r = exchange(sam, CommandApdu{kSamCla, kSamOpen, 0, 0, d, -1});
  wipe(d);
  if (!r) return r.error();
  if (r->sw == 0x6982)
    return Error{"sam_rejected",
                 "SAM menolak PCID/CONF: SAM di pembaca bukan SAM yang diaktivasi untuk "
                 "instalasi ini.",
                 "SAM open (F0) answered 6982"};
  if (!r->ok()) return statusError(r->sw, kSamOpen, "SAM");
  return Status::Ok();
}

Result<Bytes> TestSamAdapter::samUid(CardChannel& sam) { return call(sam, kSamUid, 0, {}, 8); }

Result<Bytes> TestSamAdapter::challenge(CardChannel& sam) {
  auto r = call(sam, kSamChallenge, 0, {}, 8);
  if (r && r->size() != 8)
    return Error{"sam_bad_response", "SAM memberi jawaban yang tidak valid; periksa SAM.",
                 "SAM challenge of " + std::to_string(r->size()) + " bytes, expected 8"};
  return r;
}

Result<Bytes> TestSamAdapter::authenticate(CardChannel& sam, const Bytes& uid, const Bytes& rndIcc,
                                           const Bytes& rndSam) {
  if (uid.empty() || uid.size() > 16)
    return Error{"card_bad_response", "UID kartu tidak valid.",
                 "UID length " + std::to_string(uid.size())};
  Bytes d{uint8_t(uid.size())};
  d.insert(d.end(), uid.begin(), uid.end());
  d.insert(d.end(), rndIcc.begin(), rndIcc.end());
  d.insert(d.end(), rndSam.begin(), rndSam.end());
  return call(sam, kSamAuthenticate, 0x00, d, 0);
}

Status TestSamAdapter::verifyCard(CardChannel& sam, const Bytes& answer) {
  auto r = call(sam, kSamAuthenticate, 0x01, answer, -1);
  if (!r) return r.error();
  return Status::Ok();
}

Result<Bytes> TestSamAdapter::wrap(CardChannel& sam, const Bytes& plain) {
  return call(sam, kSamWrap, 0, plain, 0);
}

Result<Bytes> TestSamAdapter::unwrap(CardChannel& sam, const Bytes& protectedAnswer) {
  return call(sam, kSamUnwrap, 0, protectedAnswer, 0);
}

}  // namespace gerbang::reader
