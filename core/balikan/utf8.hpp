// UTF-8 checks used by the readers and the schema (lengths are in characters).
#pragma once

#include <cstddef>
#include <string_view>

namespace gerbang::balikan {

// Offset of the first byte that is not part of a well-formed UTF-8 sequence (overlongs,
// surrogates and code points above U+10FFFF are ill-formed), or npos when s is valid.
std::size_t firstInvalidUtf8(std::string_view s);

// Number of code points in s, which must be valid UTF-8.
inline std::size_t utf8Length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace gerbang::balikan
