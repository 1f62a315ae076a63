// The virtual KTP-el's stand-in cryptography. NOT the real KTP-el scheme (which is secret
// and lives in the SAM and the vendor SDKs): a simple construction so the virtual chip and
// SAM really authenticate each other and really protect the biodata read, and a wrong SAM
// really fails.
//   Kc   = HMAC(master, "KTPEL-CARD" || UID)                 per-card key
//   host = HMAC(Kc, "HOST" || RND.ICC || RND.SAM)[0..16)     SAM -> chip (00 82 data)
//   card = HMAC(Kc, "CARD" || RND.SAM || RND.ICC)[0..16)     chip -> SAM (00 82 answer)
//   Ks   = HMAC(Kc, "SESS" || RND.ICC || RND.SAM)            session key
//   protect(ctr, m) = (m XOR HMAC(Ks, "ENC" || ctr || i)...) || HMAC(Ks, "MAC" || ctr || c)[0..8)
// with one counter per session, incremented for every protected message in either
// direction.
#pragma once

#include "core/reader/bytes.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace gerbang::vcard {

using reader::Bytes;

Bytes hmac(const Bytes& key, const Bytes& message);
Bytes concat(std::initializer_list<const Bytes*> parts);
Bytes label(std::string_view s);
Bytes randomBytes(size_t n);

Bytes cardKey(const Bytes& master, const Bytes& uid);
Bytes hostCryptogram(const Bytes& kc, const Bytes& rndIcc, const Bytes& rndSam);
Bytes cardCryptogram(const Bytes& kc, const Bytes& rndIcc, const Bytes& rndSam);
Bytes sessionKey(const Bytes& kc, const Bytes& rndIcc, const Bytes& rndSam);

// ciphertext || 8-byte MAC
Bytes protect(const Bytes& ks, uint32_t counter, const Bytes& plain);
// nullopt when the MAC does not match.
std::optional<Bytes> unprotect(const Bytes& ks, uint32_t counter, const Bytes& sealed);

// Constant-time comparison.
bool equalBytes(const Bytes& a, const Bytes& b);

}  // namespace gerbang::vcard
