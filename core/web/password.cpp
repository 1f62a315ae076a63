#include "core/web/password.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <stdexcept>
#include <vector>

namespace gerbang::web {
namespace {

constexpr size_t kSaltBytes = 16;
constexpr size_t kKeyBytes = 32;
constexpr int kMinIterations = 200000;  // hashes weaker than this are refused outright

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), int(bytes.size()));
  out.resize(size_t(n));
  return out;
}

bool unbase64(std::string_view text, std::string& out) {
  if (text.empty() || text.size() % 4 != 0) return false;
  std::string buf(text.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(buf.data()),
                          reinterpret_cast<const unsigned char*>(text.data()), int(text.size()));
  if (n < 0) return false;
  size_t pad = 0;
  if (text.back() == '=') ++pad;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++pad;
  buf.resize(size_t(n) - pad);
  out = std::move(buf);
  return true;
}

std::string derive(std::string_view password, std::string_view salt, int iterations) {
  std::string key(kKeyBytes, '\0');
  if (PKCS5_PBKDF2_HMAC(password.data(), int(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()), int(salt.size()),
                        iterations, EVP_sha256(), int(key.size()),
                        reinterpret_cast<unsigned char*>(key.data())) != 1)
    throw std::runtime_error("password: PBKDF2 failed");
  return key;
}

}  // namespace

std::string randomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), int(n)) != 1)
    throw std::runtime_error("random: the system's random source failed");
  return out;
}

std::string base64Url(std::string_view bytes) {
  std::string s = base64(bytes);
  while (!s.empty() && s.back() == '=') s.pop_back();
  for (char& c : s) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return s;
}

std::string sha256Hex(std::string_view data) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(2 * sizeof md);
  for (unsigned char c : md) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string hashPassword(std::string_view password) {
  std::string salt = randomBytes(kSaltBytes);
  return "pbkdf2-sha256$" + std::to_string(kPbkdf2Iterations) + "$" + base64(salt) + "$" +
         base64(derive(password, salt, kPbkdf2Iterations));
}

void burnPasswordTime(std::string_view password) {
  (void)derive(password, std::string(kSaltBytes, '\0'), kPbkdf2Iterations);
}

bool verifyPassword(std::string_view password, std::string_view stored) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (parts.size() < 4) {
    size_t j = stored.find('$', i);
    parts.push_back(stored.substr(i, j == std::string_view::npos ? j : j - i));
    if (j == std::string_view::npos) break;
    i = j + 1;
  }
  int iterations = 0;
  std::string salt, key;
  bool wellFormed = parts.size() == 4 && parts[0] == "pbkdf2-sha256" && !parts[1].empty() &&
                    parts[1].size() <= 8 &&
                    parts[1].find_first_not_of("0123456789") == std::string_view::npos;
  if (wellFormed) iterations = std::stoi(std::string(parts[1]));
  wellFormed = wellFormed && iterations >= kMinIterations && unbase64(parts[2], salt) &&
               unbase64(parts[3], key) && key.size() == kKeyBytes && !salt.empty();
  if (!wellFormed) {
    burnPasswordTime(password);
    return false;
  }
  return constantTimeEquals(derive(password, salt, iterations), key);
}

}  // namespace gerbang::web
