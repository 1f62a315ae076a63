#include "sim/vcard/stand_in_crypto.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace gerbang::vcard {
namespace {

Bytes be32(uint32_t v) {
  return Bytes{uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)};
}

Bytes truncate(Bytes b, size_t n) {
  b.resize(n);
  return b;
}

Bytes keystream(const Bytes& ks, uint32_t counter, size_t n) {
  Bytes out;
  Bytes enc = label("ENC"), ctr = be32(counter);
  for (uint16_t i = 0; out.size() < n; ++i) {
    Bytes idx{uint8_t(i >> 8), uint8_t(i)};
    Bytes block = hmac(ks, concat({&enc, &ctr, &idx}));
    out.insert(out.end(), block.begin(), block.end());
  }
  out.resize(n);
  return out;
}

Bytes macOf(const Bytes& ks, uint32_t counter, const Bytes& cipher) {
  Bytes m = label("MAC"), ctr = be32(counter);
  return truncate(hmac(ks, concat({&m, &ctr, &cipher})), 8);
}

}  // namespace

Bytes hmac(const Bytes& key, const Bytes& message) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), int(key.size()), message.data(), message.size(), out, &len);
  return Bytes(out, out + len);
}

Bytes concat(std::initializer_list<const Bytes*> parts) {
  Bytes out;
  for (const Bytes* p : parts) out.insert(out.end(), p->begin(), p->end());
  return out;
}

Bytes label(std::string_view s) { return Bytes(s.begin(), s.end()); }

Bytes randomBytes(size_t n) {
  Bytes b(n);
  if (RAND_bytes(b.data(), int(n)) != 1) throw std::runtime_error("RAND_bytes failed");
  return b;
}

Bytes cardKey(const Bytes& master, const Bytes& uid) {
  Bytes l = label("KTPEL-CARD");
  return hmac(master, concat({&l, &uid}));
}

Bytes hostCryptogram(const Bytes& kc, const Bytes& rndIcc, const Bytes& rndSam) {
  Bytes l = label("HOST");
  return truncate(hmac(kc, concat({&l, &rndIcc, &rndSam})), 16);
}

Bytes cardCryptogram(const Bytes& kc, const Bytes& rndIcc, const Bytes& rndSam) {
  Bytes l = label("CARD");
  return truncate(hmac(kc, concat({&l, &rndSam, &rndIcc})), 16);
}

Bytes sessionKey(const Bytes& kc, const Bytes& rndIcc, const Bytes& rndSam) {
  Bytes l = label("SESS");
  return hmac(kc, concat({&l, &rndIcc, &rndSam}));
}

Bytes protect(const Bytes& ks, uint32_t counter, const Bytes& plain) {
  Bytes stream = keystream(ks, counter, plain.size());
  Bytes cipher(plain.size());
  for (size_t i = 0; i < plain.size(); ++i) cipher[i] = plain[i] ^ stream[i];
  Bytes mac = macOf(ks, counter, cipher);
  cipher.insert(cipher.end(), mac.begin(), mac.end());
  return cipher;
}

std::optional<Bytes> unprotect(const Bytes& ks, uint32_t counter, const Bytes& sealed) {
  if (sealed.size() < 8) return std::nullopt;
  Bytes cipher(sealed.begin(), sealed.end() - 8);
  Bytes mac(sealed.end() - 8, sealed.end());
  if (!equalBytes(mac, macOf(ks, counter, cipher))) return std::nullopt;
  Bytes stream = keystream(ks, counter, cipher.size());
  for (size_t i = 0; i < cipher.size(); ++i) cipher[i] ^= stream[i];
  return cipher;
}

bool equalBytes(const Bytes& a, const Bytes& b) {
  if (a.size() != b.size()) return false;
  uint8_t d = 0;
  for (size_t i = 0; i < a.size(); ++i) d |= uint8_t(a[i] ^ b[i]);
  return d == 0;
}

}  // namespace gerbang::vcard
