// Small JSON helpers shared by the agreement plugins (header-only, standard library only:
// plugins may not depend on Poco, Boost or spdlog; see sdk/include/gerbang/sdk/plugin.hpp).
//
// Only what a route handler needs: escaping a string into a JSON literal, and reading a
// flat object of string values from a request body. Not a general JSON parser.
#pragma once

#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace gerbang::plugins {

// `s` as a JSON string literal, quotes included. Control characters are \u-escaped.
inline std::string jsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// A {"message": ...} error body.
inline std::string jsonMessage(std::string_view message) {
  return "{\"message\":" + jsonString(message) + "}";
}

// Parses a flat JSON object whose values are all strings ({"a":"x","b":"y"}); whitespace
// allowed, escapes \" \\ \/ \n \t \r supported. Returns nullopt (and sets *error to what
// was wrong and at which byte) on anything else.
inline std::optional<std::map<std::string, std::string>> parseFlatObject(std::string_view s,
                                                                         std::string* error) {
  size_t i = 0;
  auto fail = [&](const char* what) -> std::optional<std::map<std::string, std::string>> {
    if (error != nullptr) *error = std::string(what) + " pada posisi " + std::to_string(i);
    return std::nullopt;
  };
  auto ws = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) ++i;
  };
  auto str = [&](std::string& out) -> bool {
    if (i >= s.size() || s[i] != '"') return false;
    ++i;
    while (i < s.size() && s[i] != '"') {
      char c = s[i++];
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c == '\\') {
        if (i >= s.size()) return false;
        char e = s[i++];
        switch (e) {
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case '/':
            out += '/';
            break;
          case 'n':
            out += '\n';
            break;
          case 't':
            out += '\t';
            break;
          case 'r':
            out += '\r';
            break;
          default:
            return false;
        }
      } else {
        out += c;
      }
    }
    if (i >= s.size()) return false;
    ++i;
    return true;
  };
  std::map<std::string, std::string> obj;
  ws();
  if (i >= s.size() || s[i] != '{') return fail("objek JSON harus diawali '{'");
  ++i;
  ws();
  if (i < s.size() && s[i] == '}') {
    ++i;
  } else {
    for (;;) {
      ws();
      std::string key, value;
      if (!str(key)) return fail("nama field JSON tidak sah");
      ws();
      if (i >= s.size() || s[i] != ':') return fail("tanda ':' diharapkan");
      ++i;
      ws();
      if (!str(value)) return fail("nilai field harus berupa teks JSON");
      if (!obj.emplace(std::move(key), std::move(value)).second)
        return fail("nama field JSON ganda");
      ws();
      if (i < s.size() && s[i] == ',') {
        ++i;
        continue;
      }
      if (i < s.size() && s[i] == '}') {
        ++i;
        break;
      }
      return fail("tanda ',' atau '}' diharapkan");
    }
  }
  ws();
  if (i != s.size()) return fail("ada teks setelah objek JSON");
  return obj;
}

// True when s is exactly n ASCII digits.
inline bool allDigits(std::string_view s, size_t n) {
  if (s.size() != n) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// The value of the n ASCII digits at s[pos..pos+n); the caller checked allDigits.
inline int digitsValue(std::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t k = pos; k < pos + n; ++k) v = v * 10 + (s[k] - '0');
  return v;
}

}  // namespace gerbang::plugins
