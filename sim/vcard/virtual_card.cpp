#include "sim/vcard/virtual_card.hpp"

#include "sim/vcard/stand_in_crypto.hpp"

#include <algorithm>

namespace gerbang::vcard {
namespace {

constexpr size_t kBiodataFileSize = 512;

Bytes sw(uint16_t s) { return Bytes{uint8_t(s >> 8), uint8_t(s)}; }

Bytes withSw(Bytes data, uint16_t s) {
  data.push_back(uint8_t(s >> 8));
  data.push_back(uint8_t(s));
  return data;
}

std::string quoteAll(const std::vector<std::string>& f) {
  std::string out;
  for (size_t i = 0; i < f.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : f[i]) out += (c == '"' || uint8_t(c) < 0x20 || uint8_t(c) > 0x7E) ? ' ' : c;
    out += '"';
  }
  return out;
}

// A synthetic "photo": a fixed marker and a pattern, not an image of anyone.
Bytes syntheticPhoto(const Bytes& uid) {
  Bytes body = {'S', 'Y', 'N', 'T', 'H', 'E', 'T', 'I', 'C'};
  for (size_t i = 0; i < 600; ++i) body.push_back(uint8_t(i * 31 + uid[i % uid.size()]));
  Bytes out{uint8_t(body.size() >> 8), uint8_t(body.size())};
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

}  // namespace

std::optional<ParsedApdu> parseApdu(const Bytes& a) {
  if (a.size() < 4) return std::nullopt;
  ParsedApdu p{a[0], a[1], a[2], a[3], {}, -1};
  if (a.size() == 4) return p;
  if (a.size() == 5) {
    p.le = a[4] == 0 ? 256 : a[4];
    return p;
  }
  size_t lc = a[4];
  if (lc == 0) return std::nullopt;  // extended length: not supported
  if (a.size() == 5 + lc) {
    p.data.assign(a.begin() + 5, a.end());
    return p;
  }
  if (a.size() == 6 + lc) {
    p.data.assign(a.begin() + 5, a.end() - 1);
    p.le = a.back() == 0 ? 256 : a.back();
    return p;
  }
  return std::nullopt;
}

std::string biodataFor(const sim::Resident& r) {
  return quoteAll({r.nik,
                   r.alamat,
                   r.noRt,
                   r.noRw,
                   r.tempatLahir,
                   r.kecName,
                   r.kelName,
                   r.kabName,
                   r.jenisKelamin,
                   r.golDarah,
                   r.agama,
                   r.statusKawin,
                   r.pekerjaan,
                   r.nama,
                   r.tanggalLahir.dmy(),
                   r.propName,
                   "SEUMUR HIDUP",
                   r.kabName,
                   "01-07-2019",
                   r.kewarganegaraan.empty() ? "WNI" : r.kewarganegaraan,
                   ""});
}

Bytes uidFor(size_t index) {
  return Bytes{
      0x04,          0x4B, 0x54, uint8_t(index >> 24), uint8_t(index >> 16), uint8_t(index >> 8),
      uint8_t(index)};
}

// --------------------------------------------------------------------------------------
VirtualChip::VirtualChip(Bytes uid, const std::string& biodata, Bytes master)
    : uid_(std::move(uid)), master_(std::move(master)), biodata_(biodata.begin(), biodata.end()) {
  if (biodata_.size() < kBiodataFileSize) biodata_.resize(kBiodataFileSize, 0x00);
  photo_ = syntheticPhoto(uid_);
}

void VirtualChip::reset() {
  inDf_ = false;
  ef_ = 0;
  rndIcc_.reset();
  ks_.reset();
  ctr_ = 0;
}

Bytes VirtualChip::process(const Bytes& apdu) {
  auto p = parseApdu(apdu);
  if (!p) return sw(0x6700);
  if (p->cla == 0xFF && p->ins == 0xCA) {
    if (p->p1 != 0x00 || p->p2 != 0x00) return sw(0x6A86);
    return withSw(uid_, 0x9000);
  }
  if (p->cla == 0x0C && p->ins == 0xC2) {
    if (!ks_) return sw(0x6982);
    auto plain = unprotect(*ks_, ctr_, p->data);
    if (!plain) {
      ks_.reset();  // a forged or replayed message ends the session
      return sw(0x6988);
    }
    ++ctr_;
    Bytes answer;
    auto inner = parseApdu(*plain);
    if (!inner || inner->cla != 0x00) {
      answer = sw(inner ? 0x6E00 : 0x6700);
    } else {
      answer = execute(inner->cla, inner->ins, inner->p1, inner->p2, inner->data, inner->le, true);
    }
    Bytes sealed = protect(*ks_, ctr_, answer);
    ++ctr_;
    return withSw(sealed, 0x9000);
  }
  if (p->cla != 0x00) return sw(0x6E00);
  return execute(p->cla, p->ins, p->p1, p->p2, p->data, p->le, false);
}

Bytes VirtualChip::execute(uint8_t, uint8_t ins, uint8_t p1, uint8_t p2, const Bytes& data, int le,
                           bool secure) {
  switch (ins) {
    case 0xA4: {  // SELECT by file id
      if (data.size() != 2) return sw(0x6700);
      if (p1 > 0x02) return sw(0x6A86);
      uint16_t fid = uint16_t((data[0] << 8) | data[1]);
      if (fid == 0x7F0A) {
        inDf_ = true;
        ef_ = 0;
        return sw(0x9000);
      }
      if (!inDf_ || fid < 0x6FF0 || fid > 0x6FF6) return sw(0x6A82);
      if (fid == 0x6FF1 && !secure) return sw(0x6982);  // biodata only through the SAM
      ef_ = fid;
      (void)p2;
      return sw(0x9000);
    }
    case 0xB0: {  // READ BINARY
      if (ef_ == 0) return sw(0x6986);
      if (ef_ == 0x6FF1 && !secure) return sw(0x6982);
      if (ef_ != 0x6FF1 && ef_ != 0x6FF2) return sw(0x6982);  // CC, signatures, minutiae
      const Bytes& file = ef_ == 0x6FF1 ? biodata_ : photo_;
      size_t off = size_t((p1 & 0x7F) << 8) | p2;
      if (le < 0) return sw(0x6700);
      if (off >= file.size()) return sw(0x6B00);
      size_t n = std::min(size_t(le), file.size() - off);
      Bytes out(file.begin() + long(off), file.begin() + long(off + n));
      return withSw(out, n < size_t(le) ? 0x6282 : 0x9000);
    }
    case 0x84: {  // GET CHALLENGE
      if (le != 8) return sw(0x6700);
      ks_.reset();
      rndIcc_ = randomBytes(8);
      return withSw(*rndIcc_, 0x9000);
    }
    case 0x82: {  // EXTERNAL AUTHENTICATE: RND.SAM || host cryptogram
      if (!rndIcc_) return sw(0x6985);
      if (data.size() != 24) return sw(0x6700);
      Bytes rndSam(data.begin(), data.begin() + 8), got(data.begin() + 8, data.end());
      Bytes kc = cardKey(master_, uid_);
      Bytes rndIcc = *rndIcc_;
      rndIcc_.reset();  // one attempt per challenge
      if (!equalBytes(got, hostCryptogram(kc, rndIcc, rndSam))) return sw(0x6300);
      ks_ = sessionKey(kc, rndIcc, rndSam);
      ctr_ = 0;
      return withSw(cardCryptogram(kc, rndIcc, rndSam), 0x9000);
    }
    default:
      return sw(0x6D00);
  }
}

// --------------------------------------------------------------------------------------
void VirtualSam::reset() {
  open_ = false;
  rndSam_.reset();
  ks_.reset();
  ctr_ = 0;
}

Bytes VirtualSam::process(const Bytes& apdu) {
  auto p = parseApdu(apdu);
  if (!p) return sw(0x6700);
  if (p->cla != 0x80) return sw(0x6E00);
  const Bytes& d = p->data;
  switch (p->ins) {
    case 0xF7:
      return withSw(id_.uid, 0x9000);
    case 0xF0: {
      if (d.empty() || d[0] == 0 || size_t(d[0]) + 2 > d.size()) return sw(0x6700);
      size_t n1 = d[0];
      size_t n2 = d[1 + n1];
      if (2 + n1 + n2 != d.size()) return sw(0x6700);
      Bytes pcid(d.begin() + 1, d.begin() + 1 + long(n1));
      Bytes conf(d.begin() + 2 + long(n1), d.end());
      open_ = equalBytes(pcid, id_.pcid) && equalBytes(conf, id_.conf);
      return sw(open_ ? 0x9000 : 0x6982);
    }
    case 0xF1:
      if (!open_) return sw(0x6982);
      rndSam_ = randomBytes(8);
      ks_.reset();
      return withSw(*rndSam_, 0x9000);
    case 0xF2: {
      if (!open_ || !rndSam_) return sw(0x6985);
      if (p->p1 == 0x00) {
        if (d.empty() || d.size() != size_t(1 + d[0] + 16)) return sw(0x6700);
        Bytes uid(d.begin() + 1, d.begin() + 1 + d[0]);
        rndIcc_.assign(d.begin() + 1 + d[0], d.begin() + 1 + d[0] + 8);
        Bytes rndSam(d.end() - 8, d.end());
        if (!equalBytes(rndSam, *rndSam_)) return sw(0x6A80);
        kc_ = cardKey(id_.master, uid);
        Bytes out = *rndSam_;
        Bytes host = hostCryptogram(kc_, rndIcc_, *rndSam_);
        out.insert(out.end(), host.begin(), host.end());
        return withSw(out, 0x9000);
      }
      if (p->p1 == 0x01) {
        if (kc_.empty()) return sw(0x6985);
        if (d.size() != 16) return sw(0x6700);
        if (!equalBytes(d, cardCryptogram(kc_, rndIcc_, *rndSam_))) return sw(0x6300);
        ks_ = sessionKey(kc_, rndIcc_, *rndSam_);
        ctr_ = 0;
        return sw(0x9000);
      }
      return sw(0x6A86);
    }
    case 0xF3: {
      if (!ks_) return sw(0x6982);
      if (d.size() < 4 || d.size() > 200) return sw(0x6700);
      Bytes sealed = protect(*ks_, ctr_++, d);
      Bytes out{0x0C, 0xC2, 0x00, 0x00, uint8_t(sealed.size())};
      out.insert(out.end(), sealed.begin(), sealed.end());
      out.push_back(0x00);
      return withSw(out, 0x9000);
    }
    case 0xF4: {
      if (!ks_) return sw(0x6982);
      auto plain = unprotect(*ks_, ctr_, d);
      if (!plain) return sw(0x6988);
      ++ctr_;
      return withSw(*plain, 0x9000);
    }
    default:
      return sw(0x6D00);
  }
}

}  // namespace gerbang::vcard
