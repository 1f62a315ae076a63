#include "core/balikan/simple_pattern.hpp"

#include <charconv>

namespace gerbang::balikan {
namespace {

constexpr std::string_view kSpecial = "\\^$.|?*+()[]{}";

// Reads "{n}" or "{n,m}" at s[i] (s[i] == '{'); returns false when malformed.
bool braces(std::string_view s, std::size_t& i, std::size_t& min, std::size_t& max) {
  auto close = s.find('}', i);
  if (close == std::string_view::npos) return false;
  std::string_view body = s.substr(i + 1, close - i - 1);
  auto comma = body.find(',');
  auto num = [](std::string_view t, std::size_t& out) {
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
    return !t.empty() && ec == std::errc() && p == t.data() + t.size() && out <= 10000;
  };
  if (comma == std::string_view::npos) {
    if (!num(body, min)) return false;
    max = min;
  } else {
    if (!num(body.substr(0, comma), min) || !num(body.substr(comma + 1), max) || max < min) {
      return false;  // "{n,}" (unbounded) is left to std::regex
    }
  }
  i = close + 1;
  return true;
}

}  // namespace

std::optional<SimplePattern> SimplePattern::compile(std::string_view p) {
  SimplePattern out;
  std::size_t i = 0;
  if (!p.empty() && p.front() == '^') ++i;
  std::size_t end = p.size();
  if (end > i && p.back() == '$' && (end < 2 || p[end - 2] != '\\')) --end;
  while (i < end) {
    Atom a;
    char c = p[i];
    if (static_cast<unsigned char>(c) >= 0x80) return std::nullopt;
    if (c == '\\') {
      if (i + 1 >= end) return std::nullopt;
      char e = p[i + 1];
      if (e == 'd') {
        for (char d = '0'; d <= '9'; ++d) a.set.set(static_cast<unsigned char>(d));
      } else if (kSpecial.find(e) != std::string_view::npos || e == '-' || e == '/' || e == ' ') {
        a.set.set(static_cast<unsigned char>(e));
      } else {
        return std::nullopt;  // \w, \s, \b, back-references...: std::regex
      }
      i += 2;
    } else if (c == '[') {
      ++i;
      if (i < end && p[i] == '^') return std::nullopt;
      bool any = false;
      while (i < end && p[i] != ']') {
        char lo = p[i];
        if (lo == '\\' || lo == '[' || static_cast<unsigned char>(lo) >= 0x80) return std::nullopt;
        if (i + 2 < end && p[i + 1] == '-' && p[i + 2] != ']') {
          char hi = p[i + 2];
          if (hi < lo || hi == '\\' || static_cast<unsigned char>(hi) >= 0x80) return std::nullopt;
          for (int x = lo; x <= hi; ++x) a.set.set(static_cast<unsigned char>(x));
          i += 3;
        } else {
          a.set.set(static_cast<unsigned char>(lo));
          ++i;
        }
        any = true;
      }
      if (i >= end || !any) return std::nullopt;
      ++i;  // ']'
    } else if (kSpecial.find(c) != std::string_view::npos) {
      return std::nullopt;  // '.', groups, alternation, a stray quantifier, inner anchors
    } else {
      a.set.set(static_cast<unsigned char>(c));
      ++i;
    }
    if (i < end) {
      char q = p[i];
      if (q == '{') {
        if (!braces(p, i, a.min, a.max)) return std::nullopt;
      } else if (q == '?') {
        a.min = 0;
        a.max = 1;
        ++i;
      } else if (q == '+' || q == '*') {
        a.min = q == '+' ? 1 : 0;
        a.max = SIZE_MAX;
        ++i;
      }
      if (i < end && (p[i] == '?' || p[i] == '+' || p[i] == '*' || p[i] == '{')) {
        return std::nullopt;  // lazy or stacked quantifiers
      }
    }
    out.atoms_.push_back(a);
  }
  // Greedy matching without backtracking is exact only when a variable-length atom is the
  // last one or is followed by a fixed one (min >= 1) that cannot start with its characters.
  for (std::size_t k = 0; k < out.atoms_.size(); ++k) {
    const Atom& a = out.atoms_[k];
    if (a.min == a.max) continue;
    if (k + 1 == out.atoms_.size()) continue;
    const Atom& next = out.atoms_[k + 1];
    if (next.min == 0 || (a.set & next.set).any()) return std::nullopt;
  }
  return out;
}

bool SimplePattern::matches(std::string_view s) const {
  std::size_t i = 0;
  for (const auto& a : atoms_) {
    std::size_t n = 0;
    while (n < a.max && i < s.size() && a.set.test(static_cast<unsigned char>(s[i]))) {
      ++n;
      ++i;
    }
    if (n < a.min) return false;
  }
  return i == s.size();
}

}  // namespace gerbang::balikan
