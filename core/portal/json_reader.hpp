// A small, strict JSON reader for the portal's response bodies (RFC 8259).
//
// Why not Poco::JSON: its errors do not say where the input broke, it rejects integers
// beyond 64 bits, and it has no nesting limit; a registry answer is small and flat, so a
// reader with byte offsets, raw number text and a depth limit is both simpler to fuzz and
// gives operators a usable "what and where".
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gerbang::portal::json {

struct Value {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  std::string text;  // kString: decoded UTF-8; kNumber: the number exactly as written
  std::vector<Value> items;  // kArray
  struct Member;
  std::vector<Member> members;  // kObject, in order

  // The first member whose key equals `key` ignoring ASCII case, or nullptr.
  const Value* findCaseless(std::string_view key) const;
};

struct Value::Member {
  std::string key;
  Value value;
};

// Parses exactly one JSON value (surrounding whitespace allowed). On failure returns false
// and sets `error` to "what at byte N" (never quoting input beyond one escaped character).
// Nesting deeper than maxDepth is an error.
bool parse(std::string_view input, Value& out, std::string& error, int maxDepth = 32);

// A JSON number's text as a plain integer digit string when it denotes an integer
// ("3.303010101900001E15" -> "3303010101900001", "-0" -> "0"); otherwise the text unchanged.
std::string normaliseNumber(std::string_view number);

const char* typeName(Value::Type t);

}  // namespace gerbang::portal::json
