#include "core/audit/nik_hmac.hpp"

#include "core/audit/crypto.hpp"

#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <shared_mutex>
#include <sstream>
#include <stdexcept>
#include <unordered_map>
#include <vector>

namespace gerbang::audit {
namespace {

constexpr std::string_view kSalt = "gerbang/v1";

struct MacDeleter {
  void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};
using MacCtx = std::unique_ptr<EVP_MAC_CTX, MacDeleter>;

// One agreement's keyed HMAC contexts. `keyed` holds the key; idle copies are kept in a
// free list so a hash costs one re-init (EVP_MAC_init with a NULL key reuses the key and
// its precomputed inner/outer pads) instead of a key schedule and allocations.
struct AgreementKey {
  MacCtx keyed;
  std::mutex mu;
  std::vector<MacCtx> idle;
};

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

struct NikHasher::Impl {
  std::string master;
  EVP_MAC* mac = nullptr;
  mutable std::shared_mutex mu;
  mutable std::unordered_map<std::string, std::unique_ptr<AgreementKey>> keys;

  ~Impl() {
    keys.clear();
    EVP_MAC_free(mac);
    OPENSSL_cleanse(master.data(), master.size());
  }

  AgreementKey& keyFor(std::string_view agreement) const {
    {
      std::shared_lock lock(mu);
      auto it = keys.find(std::string(agreement));
      if (it != keys.end()) return *it->second;
    }
    std::unique_lock lock(mu);
    auto [it, inserted] = keys.try_emplace(std::string(agreement));
    if (inserted) {
      std::string info = "nik-hmac:";
      info += agreement;
      Digest k = hkdfSha256(master, kSalt, info);
      auto entry = std::make_unique<AgreementKey>();
      entry->keyed.reset(EVP_MAC_CTX_new(mac));
      char digest[] = "SHA256";
      OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                             OSSL_PARAM_construct_end()};
      const bool ok =
          entry->keyed && EVP_MAC_init(entry->keyed.get(), k.data(), k.size(), params) == 1;
      OPENSSL_cleanse(k.data(), k.size());
      if (!ok) {
        keys.erase(it);
        throw std::runtime_error("audit: cannot set up HMAC-SHA256 (OpenSSL)");
      }
      it->second = std::move(entry);
    }
    return *it->second;
  }
};

NikHasher::NikHasher(std::string_view masterSecret) : impl_(std::make_unique<Impl>()) {
  if (masterSecret.size() < kMinSecretBytes)
    throw std::invalid_argument("audit: the NIK master secret has " +
                                std::to_string(masterSecret.size()) +
                                " bytes; at least 32 are required");
  impl_->master.assign(masterSecret);
  impl_->mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (impl_->mac == nullptr) throw std::runtime_error("audit: OpenSSL has no HMAC");
}

NikHasher::~NikHasher() = default;
NikHasher::NikHasher(NikHasher&&) noexcept = default;
NikHasher& NikHasher::operator=(NikHasher&&) noexcept = default;

std::string NikHasher::parseKeyText(std::string_view text, std::string_view where) {
  std::string hex;
  int lineNo = 0;
  int keyLine = 0;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    ++lineNo;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.pop_back();
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    if (keyLine != 0)
      throw std::runtime_error(std::string(where) + ": line " + std::to_string(lineNo) +
                               ": a second key line (expected exactly one line of hex)");
    keyLine = lineNo;
    hex = line.substr(start);
  }
  if (keyLine == 0) throw std::runtime_error(std::string(where) + ": no key line found");
  const std::string at = std::string(where) + ": line " + std::to_string(keyLine);
  for (size_t i = 0; i < hex.size(); ++i)
    if (hexValue(hex[i]) < 0)
      throw std::runtime_error(at + ", column " + std::to_string(i + 1) + ": not a hex digit");
  if (hex.size() % 2 != 0) throw std::runtime_error(at + ": odd number of hex digits");
  if (hex.size() < 2 * kMinSecretBytes)
    throw std::runtime_error(at + ": key has " + std::to_string(hex.size() / 2) +
                             " bytes; at least 32 are required");
  std::string raw(hex.size() / 2, '\0');
  for (size_t i = 0; i < raw.size(); ++i)
    raw[i] = char(hexValue(hex[2 * i]) * 16 + hexValue(hex[2 * i + 1]));
  OPENSSL_cleanse(hex.data(), hex.size());
  return raw;
}

NikHasher NikHasher::fromKeyFile(const std::filesystem::path& file) {
  const std::string where = "key file " + file.string();
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) throw std::runtime_error(where + ": cannot be read");
  if (!S_ISREG(st.st_mode)) throw std::runtime_error(where + ": not a regular file");
  // Like ssh's private keys: a secret others can read or replace is not a secret.
  if ((st.st_mode & 077) != 0)
    throw std::runtime_error(where + ": group or others have access (chmod 600 it)");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(where + ": cannot be read");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string raw = parseKeyText(text, where);
  OPENSSL_cleanse(text.data(), text.size());
  NikHasher h(raw);
  OPENSSL_cleanse(raw.data(), raw.size());
  return h;
}

void NikHasher::createKeyFile(const std::filesystem::path& file) {
  const std::string where = "key file " + file.string();
  unsigned char secret[kMinSecretBytes];
  if (RAND_bytes(secret, sizeof secret) != 1)
    throw std::runtime_error(where + ": no random bytes from OpenSSL");
  std::string text =
      "# Gerbang NIK master secret (HMAC of NIKs in the audit and the balikan obligations).\n"
      "# Keep it secret and backed up; losing or replacing it orphans every stored pseudonym.\n";
  text += toHex(secret, sizeof secret);
  text += '\n';
  OPENSSL_cleanse(secret, sizeof secret);
  // O_EXCL: never replace an existing key; 0600 from the start, so it is never readable by
  // others even for a moment.
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int err = errno;
    OPENSSL_cleanse(text.data(), text.size());
    throw std::runtime_error(where + ": cannot be created (" + std::strerror(err) + ")");
  }
  ssize_t written = ::write(fd, text.data(), text.size());
  const bool ok = written == ssize_t(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  OPENSSL_cleanse(text.data(), text.size());
  if (!ok) {
    ::unlink(file.c_str());
    throw std::runtime_error(where + ": could not be written completely");
  }
}

Result<std::string> NikHasher::hash(std::string_view agreementId, std::string_view nik) const {
  if (agreementId.empty())
    return Error{"invalid_agreement", "Perjanjian kerja sama tidak disebutkan",
                 "NIK HMAC: empty agreement id"};
  bool digits = nik.size() == 16;
  for (char c : nik) digits = digits && c >= '0' && c <= '9';
  if (!digits)
    return Error{
        "invalid_nik", "NIK tidak sesuai format Dukcapil",
        "NIK HMAC: input is not 16 ASCII digits (length " + std::to_string(nik.size()) + ")"};

  AgreementKey& key = impl_->keyFor(agreementId);
  MacCtx ctx;
  {
    std::lock_guard lock(key.mu);
    if (!key.idle.empty()) {
      ctx = std::move(key.idle.back());
      key.idle.pop_back();
    }
  }
  if (!ctx) ctx.reset(EVP_MAC_CTX_dup(key.keyed.get()));
  unsigned char out[32];
  size_t len = 0;
  // A NULL key re-initialises the context with the key it already holds.
  if (!ctx || EVP_MAC_init(ctx.get(), nullptr, 0, nullptr) != 1 ||
      EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(nik.data()), nik.size()) !=
          1 ||
      EVP_MAC_final(ctx.get(), out, &len, sizeof out) != 1 || len != sizeof out)
    return Error{"internal_error", "Kesalahan internal pada penyamaran NIK",
                 "NIK HMAC: OpenSSL HMAC failed"};
  {
    std::lock_guard lock(key.mu);
    key.idle.push_back(std::move(ctx));
  }
  return toHex(out, sizeof out);
}

std::string NikHasher::deriveKey(std::string_view label) const {
  // A separate namespace of labels, so no derived key can equal an agreement's NIK key.
  std::string info = "derived:";
  info += label;
  Digest k = hkdfSha256(impl_->master, kSalt, info);
  std::string out(reinterpret_cast<const char*>(k.data()), k.size());
  OPENSSL_cleanse(k.data(), k.size());
  return out;
}

}  // namespace gerbang::audit
