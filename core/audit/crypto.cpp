#include "core/audit/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace gerbang::audit {

Digest sha256(std::string_view data) {
  Digest out{};
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) != 1 ||
      len != out.size())
    throw std::runtime_error("audit: SHA-256 failed (OpenSSL)");
  return out;
}

Digest hmacSha256(std::string_view key, std::string_view data) {
  Digest out{};
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), int(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(),
           &len) == nullptr ||
      len != out.size())
    throw std::runtime_error("audit: HMAC-SHA256 failed (OpenSSL)");
  return out;
}

Digest hkdfSha256(std::string_view ikm, std::string_view salt, std::string_view info) {
  // RFC 5869 2.2: PRK = HMAC-Hash(salt, IKM); an empty salt means HashLen zero bytes.
  const std::string zeros(32, '\0');
  Digest prk = hmacSha256(salt.empty() ? std::string_view(zeros) : salt, ikm);
  // RFC 5869 2.3: T(1) = HMAC-Hash(PRK, "" | info | 0x01); L = 32 needs only T(1).
  std::string t1(info);
  t1.push_back('\x01');
  Digest okm =
      hmacSha256(std::string_view(reinterpret_cast<const char*>(prk.data()), prk.size()), t1);
  OPENSSL_cleanse(prk.data(), prk.size());
  return okm;
}

std::string toHex(const std::uint8_t* data, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    s[2 * i] = kHex[data[i] >> 4];
    s[2 * i + 1] = kHex[data[i] & 0xf];
  }
  return s;
}

bool isDigestHex(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace gerbang::audit
