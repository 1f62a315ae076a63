#include "core/reader/card_registry_diff.hpp"

#include "core/common/clock.hpp"

namespace gerbang::reader {
namespace {

std::string normaliseText(const std::string& v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += (c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c;
  }
  return out;
}

std::string normalise(const std::string& element, const std::string& v) {
  std::string t = normaliseText(v);
  if (element == "NO_RT" || element == "NO_RW") {
    size_t i = t.find_first_not_of('0');
    return i == std::string::npos ? (t.empty() ? t : "0") : t.substr(i);
  }
  if (element == "TGL_LHR") {
    if (auto d = Date::parseDmy(t)) return d->iso();
    if (auto d = Date::parseIso(t)) return d->iso();
  }
  return t;
}

}  // namespace

std::vector<FieldDifference> compareCardWithRegistry(
    const CardRead& card, const std::map<std::string, std::string>& registry) {
  std::vector<FieldDifference> out;
  for (const auto& [element, cardValue] : card.fields) {
    auto it = registry.find(element);
    if (it == registry.end()) {
      out.push_back({element, FieldDifference::Kind::kMissingInRegistry, cardValue, ""});
      continue;
    }
    if (normalise(element, cardValue) != normalise(element, it->second))
      out.push_back({element, FieldDifference::Kind::kDiffers, cardValue, it->second});
  }
  return out;
}

}  // namespace gerbang::reader
