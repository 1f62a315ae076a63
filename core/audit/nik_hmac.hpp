// NikHasher: the only unit of the ledger that ever sees a NIK. It turns a NIK into
// HMAC-SHA256(per-agreement key, NIK), hex, so the audit trail and the balikan obligations
// can recognise "the same person under the same agreement" without storing who it is.
//
// Keys: one master secret (>= 32 bytes, from a key file the host reads at startup) and,
// per agreement, key = HKDF-SHA256(master, salt "gerbang/v1", info "nik-hmac:" + agreement).
// Per-agreement keys make one person's pseudonyms unlinkable across agreements (Zero Sharing
// Policy: no agreement's records can be joined with another's), and the master secret never
// leaves this object: it is not logged, not put in exception messages, and wiped on
// destruction.
#pragma once

#include "core/common/result.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace gerbang::audit {

class NikHasher {
 public:
  static constexpr size_t kMinSecretBytes = 32;

  // Takes the raw master secret bytes. Throws std::invalid_argument when shorter than
  // kMinSecretBytes (the message gives the length, never the bytes).
  explicit NikHasher(std::string_view masterSecret);

  // Reads the master secret from a key file: one line of hex (>= 64 hex digits, i.e. >= 32
  // bytes); blank lines and lines starting with '#' are ignored. Refuses (std::runtime_error
  // naming the file and the reason, never its content) a file that is missing, readable or
  // writable by group or others, or malformed.
  static NikHasher fromKeyFile(const std::filesystem::path& file);

  // Creates a new key file with a fresh random master secret (32 bytes from OpenSSL's CSPRNG,
  // as hex, behind a comment line), mode 0600, for first-time setup. Refuses (throws
  // std::runtime_error naming the file) when the file already exists, so a working key is
  // never replaced by accident: replacing it would orphan every pseudonym already stored.
  static void createKeyFile(const std::filesystem::path& file);

  // Parses key-file text as fromKeyFile does; `where` names the source in error messages.
  // Returns the raw secret bytes.
  static std::string parseKeyText(std::string_view text, std::string_view where);

  ~NikHasher();
  NikHasher(NikHasher&&) noexcept;
  NikHasher& operator=(NikHasher&&) noexcept;
  NikHasher(const NikHasher&) = delete;
  NikHasher& operator=(const NikHasher&) = delete;

  // HMAC-SHA256 of `nik` under the key of `agreementId`, as 64 lower-case hex digits.
  // Refuses, with code "invalid_nik" ("NIK tidak sesuai format Dukcapil"), anything but
  // exactly 16 ASCII digits, so one person always has one pseudonym (no stray spaces), and
  // with code "invalid_agreement" an empty agreement id. The error never contains the NIK.
  // Thread-safe; keyed contexts are cached per agreement and reused.
  Result<std::string> hash(std::string_view agreementId, std::string_view nik) const;

  // A 32-byte key for another purpose, derived from the same master secret with a distinct
  // HKDF label (e.g. "audit-anchor" for AuditLog's keyed chain anchor). Raw bytes.
  std::string deriveKey(std::string_view label) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gerbang::audit
