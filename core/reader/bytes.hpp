// Byte strings for APDUs, and hex helpers for logs and tests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gerbang::reader {

using Bytes = std::vector<uint8_t>;

// Upper-case hex without separators ("7F0A"). Use only for protocol bytes (status words,
// instruction bytes, UIDs), never for card data that holds personal data.
std::string toHex(const Bytes& b);
std::string toHex(const uint8_t* data, size_t size);

// Parses hex, ignoring spaces; nullopt on an odd digit count or a non-hex character.
std::optional<Bytes> fromHex(std::string_view hex);

// Overwrites the bytes before releasing them (best effort: card data is personal data and
// should not linger in freed heap memory).
void wipe(Bytes& b);
void wipe(std::string& s);

}  // namespace gerbang::reader
