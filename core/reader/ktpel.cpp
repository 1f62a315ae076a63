#include "core/reader/ktpel.hpp"

#include <algorithm>

namespace gerbang::reader {
namespace {

Bytes fid(uint16_t f) { return Bytes{uint8_t(f >> 8), uint8_t(f & 0xFF)}; }

}  // namespace

Result<size_t> parsePhotoLength(const Bytes& b) {
  if (b.size() < 2)
    return Error{"card_bad_response", "Berkas foto pada kartu tidak lengkap.",
                 "photo header: " + std::to_string(b.size()) + " bytes, need 2"};
  size_t n = (size_t(b[0]) << 8) | b[1];
  if (n == 0) return Error{"card_bad_response", "Berkas foto pada kartu kosong.", "photo length 0"};
  return n;
}

Result<Bytes> KtpelSession::cardUid() {
  auto r = exchangeOk(card_, CommandApdu{0xFF, 0xCA, 0x00, 0x00, {}, 256});
  if (!r) return r.error();
  if (r->data.empty() || r->data.size() > 16)
    return Error{"card_bad_response", "UID kartu tidak valid.",
                 "UID length " + std::to_string(r->data.size())};
  return std::move(r.value().data);
}

Status KtpelSession::selectApplication() {
  auto r = exchangeOk(card_, CommandApdu{0x00, 0xA4, 0x00, 0x0C, fid(kDfKtpel), -1});
  if (!r) return r.error();
  return Status::Ok();
}

Result<Bytes> KtpelSession::openSam(const SamSecrets& secrets) {
  if (auto s = adapter_.open(sam_, secrets); !s) return s.error();
  return adapter_.samUid(sam_);
}

Status KtpelSession::authenticate(const Bytes& uid) {
  auto rndIcc = exchangeOk(card_, CommandApdu{0x00, 0x84, 0x00, 0x00, {}, 8});
  if (!rndIcc) return rndIcc.error();
  if (rndIcc->data.size() != 8)
    return Error{"card_bad_response", "Tantangan (challenge) dari kartu tidak valid.",
                 "GET CHALLENGE returned " + std::to_string(rndIcc->data.size()) + " bytes"};
  auto rndSam = adapter_.challenge(sam_);
  if (!rndSam) return rndSam.error();
  auto ext = adapter_.authenticate(sam_, uid, rndIcc->data, *rndSam);
  if (!ext) return ext.error();
  auto answer = exchangeOk(card_, CommandApdu{0x00, 0x82, 0x00, 0x00, *ext, 0});
  if (!answer) return answer.error();
  return adapter_.verifyCard(sam_, answer->data);
}

Result<ResponseApdu> KtpelSession::protectedExchange(const CommandApdu& plain) {
  auto wrapped = adapter_.wrap(sam_, plain.encode());
  if (!wrapped) return wrapped.error();
  // The SAM (or a vendor adapter) is outside our control: never forward something that is
  // not even a command APDU (CLA INS P1 P2 at least, at most an extended-length APDU).
  if (wrapped->size() < 4 || wrapped->size() > 65544)
    return Error{"sam_bad_response", "SAM memberi jawaban yang tidak valid; periksa SAM.",
                 "wrapped command of " + std::to_string(wrapped->size()) + " bytes"};
  auto raw = card_.transmit(*wrapped);
  if (!raw) return raw.error();
  auto outer = parseResponse(*raw);
  if (!outer) return outer;
  if (!outer->ok()) return statusError(outer->sw, wrapped->size() > 1 ? (*wrapped)[1] : 0);
  auto inner = adapter_.unwrap(sam_, outer->data);
  if (!inner) return inner.error();
  return parseResponse(*inner);
}

Result<Biodata> KtpelSession::readBiodata() {
  CommandApdu select{0x00, 0xA4, 0x02, 0x0C, fid(kEfBiodata), -1};
  auto sel = protectedExchange(select);
  if (!sel) return sel.error();
  if (!sel->ok()) return statusError(sel->sw, select.ins);
  Bytes file;
  while (file.size() <= kBiodataMaxBytes) {
    size_t off = file.size();
    CommandApdu read{0x00, 0xB0, uint8_t(off >> 8), uint8_t(off & 0xFF), {}, kReadChunk};
    auto r = protectedExchange(read);
    if (!r) {
      wipe(file);
      return r.error();
    }
    // Reading exactly up to the end makes the next offset fall outside the file.
    if (r->sw == 0x6B00 && off > 0) break;
    if (!r->ok() && r->sw != 0x6282) {
      wipe(file);
      return statusError(r->sw, read.ins);
    }
    file.insert(file.end(), r->data.begin(), r->data.end());
    const bool last = r->sw == 0x6282 || r->data.size() < size_t(kReadChunk);
    wipe(r.value().data);
    if (last) break;
  }
  auto parsed =
      parseBiodata(std::string_view(reinterpret_cast<const char*>(file.data()), file.size()));
  wipe(file);
  return parsed;
}

Result<Bytes> KtpelSession::readPhoto(const PermittedFields& permitted) {
  // Minimisation (every PKS): the photo is not among any agreement's elements.
  if (std::find(permitted.elements.begin(), permitted.elements.end(), "FOTO") ==
      permitted.elements.end())
    return Error{"element_not_permitted",
                 "Foto pada KTP-el tidak termasuk elemen yang diizinkan PKS.",
                 "FOTO not permitted"};
  CommandApdu select{0x00, 0xA4, 0x02, 0x0C, fid(kEfPhoto), -1};
  if (auto s = exchangeOk(card_, select); !s) return s.error();
  auto head = exchangeOk(card_, CommandApdu{0x00, 0xB0, 0, 0, {}, 2});
  if (!head) return head.error();
  auto len = parsePhotoLength(head->data);
  if (!len) return len.error();
  Bytes photo;
  size_t off = 2;
  while (photo.size() < *len) {
    int want = int(std::min<size_t>(*len - photo.size(), kReadChunk));
    if (off > 0x7FFF)
      return Error{"card_bad_response", "Berkas foto melebihi batas.", "offset above 7FFF"};
    auto r =
        exchangeOk(card_, CommandApdu{0x00, 0xB0, uint8_t(off >> 8), uint8_t(off & 0xFF), {}, want},
                   "kartu", true);
    if (!r) return r.error();
    if (r->data.empty()) break;
    photo.insert(photo.end(), r->data.begin(), r->data.end());
    off += r->data.size();
    if (r->sw == 0x6282) break;
  }
  if (photo.size() != *len)
    return Error{"card_bad_response", "Berkas foto pada kartu terpotong.",
                 "photo: got " + std::to_string(photo.size()) + " of " + std::to_string(*len)};
  return photo;
}

Result<KtpelRead> readKtpel(CardChannel& card, CardChannel& sam, SamAdapter& adapter,
                            const SamSecrets& secrets) {
  KtpelSession s(card, sam, adapter);
  KtpelRead out;
  auto samUid = s.openSam(secrets);
  if (!samUid) return samUid.error();
  out.samUid = std::move(samUid.value());
  auto uid = s.cardUid();
  if (!uid) return uid.error();
  out.cardUid = std::move(uid.value());
  if (auto st = s.selectApplication(); !st) return st.error();
  if (auto st = s.authenticate(out.cardUid); !st) return st.error();
  auto bio = s.readBiodata();
  if (!bio) return bio.error();
  out.biodata = std::move(bio.value());
  return out;
}

}  // namespace gerbang::reader
