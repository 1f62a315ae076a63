// Secrets at rest: password hashing with a slow KDF, random identifiers, and the
// constant-time comparisons every check of a secret uses.
#pragma once

#include <string>
#include <string_view>

namespace gerbang::web {

// PBKDF2-HMAC-SHA256 iterations for new hashes (OWASP's floor for this KDF is in the
// hundreds of thousands; a login costs the attacker as much as it costs us).
inline constexpr int kPbkdf2Iterations = 210000;

// A new hash of `password` with a fresh random 16-byte salt, as
// "pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>". Throws std::runtime_error if
// the system's random source or OpenSSL fails.
std::string hashPassword(std::string_view password);

// True when `password` matches `stored` (a hashPassword() string). The derived key is
// compared in constant time. A malformed `stored` never matches (and still costs one KDF
// run, so timing does not tell "no such account" from "wrong password").
bool verifyPassword(std::string_view password, std::string_view stored);

// Runs the KDF once on a throwaway salt: what verifyPassword() costs, for unknown users.
void burnPasswordTime(std::string_view password);

// `n` bytes from the OS's cryptographic random source (OpenSSL RAND_bytes). Throws
// std::runtime_error on failure.
std::string randomBytes(size_t n);

// URL-safe base64 without padding.
std::string base64Url(std::string_view bytes);

// Lower-case hex SHA-256 of `data`.
std::string sha256Hex(std::string_view data);

// Compares two byte strings without an early exit on the first difference (lengths are
// not secret).
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace gerbang::web
