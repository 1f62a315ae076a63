#include "core/audit/crypto.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>
#include <stdexcept>

namespace gerbang::audit {
namespace {

// OpenSSL 3 looks an algorithm up by name on every one-shot call (EVP_Digest, HMAC) and
// builds a fresh context; the audit writer hashes and MACs every record, so the algorithms
// are fetched once and each thread keeps its contexts.
const EVP_MD* sha256Md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) throw std::runtime_error("audit: OpenSSL has no SHA-256");
  return md;
}

EVP_MAC* hmacAlgorithm() {
  static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) throw std::runtime_error("audit: OpenSSL has no HMAC");
  return mac;
}

struct DigestContext {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~DigestContext() { EVP_MD_CTX_free(ctx); }
};

// The thread's HMAC context and the key it was last initialised with (a copy, wiped when
// replaced and when the thread ends), so the same key costs one re-init and no key setup.
struct MacContext {
  EVP_MAC_CTX* ctx = nullptr;
  std::string key;
  bool keyed = false;
  ~MacContext() {
    forget();
    EVP_MAC_CTX_free(ctx);
  }
  void forget() {
    OPENSSL_cleanse(key.data(), key.size());
    key.clear();
    keyed = false;
  }
};

}  // namespace

Digest sha256(std::string_view data) {
  thread_local DigestContext c;
  Digest out{};
  unsigned int len = 0;
  if (c.ctx == nullptr || EVP_DigestInit_ex2(c.ctx, sha256Md(), nullptr) != 1 ||
      EVP_DigestUpdate(c.ctx, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(c.ctx, out.data(), &len) != 1 || len != out.size())
    throw std::runtime_error("audit: SHA-256 failed (OpenSSL)");
  return out;
}

Digest hmacSha256(std::string_view key, std::string_view data) {
  thread_local MacContext c;
  if (c.ctx == nullptr) c.ctx = EVP_MAC_CTX_new(hmacAlgorithm());
  if (c.ctx == nullptr) throw std::runtime_error("audit: HMAC-SHA256 failed (OpenSSL)");
  bool ok;
  if (c.keyed && c.key == key) {
    ok = EVP_MAC_init(c.ctx, nullptr, 0, nullptr) == 1;  // NULL key: the same key again
  } else {
    c.forget();
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                           OSSL_PARAM_construct_end()};
    ok = EVP_MAC_init(c.ctx, reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                      params) == 1;
    if (ok) {
      c.key.assign(key);
      c.keyed = true;
    }
  }
  Digest out{};
  size_t len = 0;
  if (!ok ||
      EVP_MAC_update(c.ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) !=
          1 ||
      EVP_MAC_final(c.ctx, out.data(), &len, out.size()) != 1 || len != out.size()) {
    c.forget();
    throw std::runtime_error("audit: HMAC-SHA256 failed (OpenSSL)");
  }
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
