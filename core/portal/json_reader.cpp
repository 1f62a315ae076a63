#include "core/portal/json_reader.hpp"

#include <cctype>
#include <cstdint>
#include <cstdio>

namespace gerbang::portal::json {
namespace {

class Reader {
 public:
  Reader(std::string_view in, int maxDepth) : in_(in), maxDepth_(maxDepth) {}

  bool run(Value& out, std::string& error) {
    skipWs();
    if (!value(out, 0)) {
      error = error_;
      return false;
    }
    skipWs();
    if (pos_ != in_.size()) {
      error = "unexpected " + describe() + " after the JSON value at byte " + std::to_string(pos_);
      return false;
    }
    return true;
  }

 private:
  std::string describe() const {
    if (pos_ >= in_.size()) return "end of input";
    unsigned char c = static_cast<unsigned char>(in_[pos_]);
    if (c >= 0x21 && c < 0x7f) return std::string("character '") + char(c) + "'";
    char buf[16];
    std::snprintf(buf, sizeof buf, "byte 0x%02x", c);
    return buf;
  }
  bool fail(const std::string& what) {
    error_ = what + " at byte " + std::to_string(pos_);
    return false;
  }
  bool failUnexpected(const char* expected) {
    return fail("expected " + std::string(expected) + ", found " + describe());
  }
  void skipWs() {
    while (pos_ < in_.size() &&
           (in_[pos_] == ' ' || in_[pos_] == '\t' || in_[pos_] == '\n' || in_[pos_] == '\r'))
      ++pos_;
  }
  bool literal(std::string_view word) {
    if (in_.substr(pos_, word.size()) != word) return failUnexpected("a JSON value");
    pos_ += word.size();
    return true;
  }

  bool value(Value& v, int depth) {
    if (pos_ >= in_.size()) return failUnexpected("a JSON value");
    char c = in_[pos_];
    switch (c) {
      case '{': return object(v, depth + 1);
      case '[': return array(v, depth + 1);
      case '"': v.type = Value::Type::kString; return string(v.text);
      case 't': v.type = Value::Type::kBool; v.boolean = true; return literal("true");
      case 'f': v.type = Value::Type::kBool; v.boolean = false; return literal("false");
      case 'n': v.type = Value::Type::kNull; return literal("null");
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return number(v);
        return failUnexpected("a JSON value");
    }
  }

  bool object(Value& v, int depth) {
    if (depth > maxDepth_) return fail("nesting deeper than " + std::to_string(maxDepth_));
    v.type = Value::Type::kObject;
    ++pos_;
    skipWs();
    if (pos_ < in_.size() && in_[pos_] == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      skipWs();
      if (pos_ >= in_.size() || in_[pos_] != '"') return failUnexpected("a member name");
      std::string key;
      if (!string(key)) return false;
      skipWs();
      if (pos_ >= in_.size() || in_[pos_] != ':') return failUnexpected("':'");
      ++pos_;
      skipWs();
      Value member;
      if (!value(member, depth)) return false;
      v.members.push_back(Value::Member{std::move(key), std::move(member)});
      skipWs();
      if (pos_ < in_.size() && in_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < in_.size() && in_[pos_] == '}') {
        ++pos_;
        return true;
      }
      return failUnexpected("',' or '}'");
    }
  }

  bool array(Value& v, int depth) {
    if (depth > maxDepth_) return fail("nesting deeper than " + std::to_string(maxDepth_));
    v.type = Value::Type::kArray;
    ++pos_;
    skipWs();
    if (pos_ < in_.size() && in_[pos_] == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      skipWs();
      Value item;
      if (!value(item, depth)) return false;
      v.items.push_back(std::move(item));
      skipWs();
      if (pos_ < in_.size() && in_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < in_.size() && in_[pos_] == ']') {
        ++pos_;
        return true;
      }
      return failUnexpected("',' or ']'");
    }
  }

  bool hex4(uint32_t& out) {
    out = 0;
    for (int k = 0; k < 4; ++k) {
      if (pos_ >= in_.size() || !std::isxdigit(static_cast<unsigned char>(in_[pos_])))
        return failUnexpected("4 hex digits after \\u");
      char c = in_[pos_++];
      out = out * 16 + uint32_t(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return true;
  }

  static void appendUtf8(std::string& s, uint32_t cp) {
    if (cp < 0x80) {
      s += char(cp);
    } else if (cp < 0x800) {
      s += char(0xC0 | (cp >> 6));
      s += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      s += char(0xE0 | (cp >> 12));
      s += char(0x80 | ((cp >> 6) & 0x3F));
      s += char(0x80 | (cp & 0x3F));
    } else {
      s += char(0xF0 | (cp >> 18));
      s += char(0x80 | ((cp >> 12) & 0x3F));
      s += char(0x80 | ((cp >> 6) & 0x3F));
      s += char(0x80 | (cp & 0x3F));
    }
  }

  bool string(std::string& out) {
    ++pos_;  // opening quote
    out.clear();
    while (true) {
      if (pos_ >= in_.size()) return fail("unterminated string");
      unsigned char c = static_cast<unsigned char>(in_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return fail("control character in string");
      if (c != '\\') {
        // Copy the run of plain characters in one go.
        size_t end = pos_ + 1;
        while (end < in_.size() && in_[end] != '"' && in_[end] != '\\' &&
               static_cast<unsigned char>(in_[end]) >= 0x20)
          ++end;
        out.append(in_.data() + pos_, end - pos_);
        pos_ = end;
        continue;
      }
      ++pos_;
      if (pos_ >= in_.size()) return fail("unterminated escape");
      char e = in_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp;
          if (!hex4(cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t lo;
            if (in_.substr(pos_, 2) != "\\u") return fail("unpaired surrogate");
            pos_ += 2;
            if (!hex4(lo)) return false;
            if (lo < 0xDC00 || lo > 0xDFFF) return fail("unpaired surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return fail("unpaired surrogate");
          }
          appendUtf8(out, cp);
          break;
        }
        default:
          --pos_;
          return fail("invalid escape");
      }
    }
  }

  bool digits() {
    size_t start = pos_;
    while (pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

  bool number(Value& v) {
    size_t start = pos_;
    if (in_[pos_] == '-') ++pos_;
    if (pos_ < in_.size() && in_[pos_] == '0') {
      ++pos_;
    } else if (!digits()) {
      return failUnexpected("a digit");
    }
    if (pos_ < in_.size() && in_[pos_] == '.') {
      ++pos_;
      if (!digits()) return failUnexpected("a digit after '.'");
    }
    if (pos_ < in_.size() && (in_[pos_] == 'e' || in_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < in_.size() && (in_[pos_] == '+' || in_[pos_] == '-')) ++pos_;
      if (!digits()) return failUnexpected("a digit in the exponent");
    }
    if (pos_ - start > 64) {
      pos_ = start;
      return fail("number longer than 64 characters");
    }
    v.type = Value::Type::kNumber;
    v.text = std::string(in_.substr(start, pos_ - start));
    return true;
  }

  std::string_view in_;
  int maxDepth_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace

const Value* Value::findCaseless(std::string_view key) const {
  for (const auto& [k, v] : members) {
    if (k.size() != key.size()) continue;
    bool same = true;
    for (size_t i = 0; i < k.size() && same; ++i)
      same = std::tolower(static_cast<unsigned char>(k[i])) ==
             std::tolower(static_cast<unsigned char>(key[i]));
    if (same) return &v;
  }
  return nullptr;
}

bool parse(std::string_view input, Value& out, std::string& error, int maxDepth) {
  out = Value{};
  return Reader(input, maxDepth).run(out, error);
}

std::string normaliseNumber(std::string_view n) {
  std::string_view s = n;
  bool negative = !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  std::string mantissa;
  long pointShift = 0;  // digits after the decimal point
  size_t i = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) mantissa += s[i];
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      mantissa += s[i];
      ++pointShift;
    }
  }
  long exponent = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool expNeg = i < s.size() && s[i] == '-';
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      exponent = exponent * 10 + (s[i] - '0');
      if (exponent > 100) return std::string(n);  // far outside any registry number
    }
    if (expNeg) exponent = -exponent;
  }
  if (i != s.size() || mantissa.empty()) return std::string(n);
  long shift = exponent - pointShift;  // value = mantissa * 10^shift
  if (shift < 0) {
    // Integral only if the dropped digits are all zero.
    size_t drop = size_t(-shift);
    if (drop > mantissa.size()) drop = mantissa.size();
    for (size_t k = mantissa.size() - drop; k < mantissa.size(); ++k)
      if (mantissa[k] != '0') return std::string(n);
    mantissa.resize(mantissa.size() - drop);
  } else {
    mantissa.append(size_t(shift), '0');
  }
  size_t nz = mantissa.find_first_not_of('0');
  if (nz == std::string::npos) return "0";
  mantissa.erase(0, nz);
  return negative ? "-" + mantissa : mantissa;
}

const char* typeName(Value::Type t) {
  switch (t) {
    case Value::Type::kNull: return "null";
    case Value::Type::kBool: return "a boolean";
    case Value::Type::kNumber: return "a number";
    case Value::Type::kString: return "a string";
    case Value::Type::kArray: return "an array";
    case Value::Type::kObject: return "an object";
  }
  return "?";
}

}  // namespace gerbang::portal::json
