// Small, allocation-light wrappers over OpenSSL 3 for the ledger units: SHA-256, HMAC-SHA256
// and HKDF-SHA256 (RFC 5869). Internal to core/ (audit, obligation); plugins never see keys.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace gerbang::audit {

using Digest = std::array<std::uint8_t, 32>;

// SHA-256 of `data`.
Digest sha256(std::string_view data);

// HMAC-SHA256 of `data` under `key` (one-shot; for hot paths use NikHasher, which reuses
// keyed contexts).
Digest hmacSha256(std::string_view key, std::string_view data);

// HKDF-SHA256 (RFC 5869) with a 32-byte output: Extract(salt, ikm) then one Expand block
// over `info`. Returns the 32 raw key bytes.
Digest hkdfSha256(std::string_view ikm, std::string_view salt, std::string_view info);

// Lower-case hex of raw bytes.
std::string toHex(const std::uint8_t* data, size_t n);
inline std::string toHex(const Digest& d) { return toHex(d.data(), d.size()); }

// True when `s` is exactly 64 lower-case hex digits (the textual form of a Digest).
bool isDigestHex(std::string_view s);

// Constant-time comparison of two equal-length strings (false when lengths differ).
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace gerbang::audit
