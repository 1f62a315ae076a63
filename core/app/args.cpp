#include "core/app/args.hpp"

#include <algorithm>
#include <charconv>

namespace gerbang::app {

Args::Args(const std::vector<std::string>& args, const std::vector<OptionSpec>& spec,
           size_t maxPositionals) {
  auto find = [&](std::string_view name) -> const OptionSpec* {
    for (const auto& s : spec)
      if (s.name == name) return &s;
    return nullptr;
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() < 3 || a.rfind("--", 0) != 0) {
      if (a.size() > 1 && a[0] == '-')
        throw UsageError("unknown option '" + a + "' (argument " + std::to_string(i + 1) + ")");
      if (positionals_.size() >= maxPositionals)
        throw UsageError("unexpected argument '" + a + "' (argument " + std::to_string(i + 1) +
                         ")");
      positionals_.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::optional<std::string> inlineValue;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      inlineValue = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const OptionSpec* s = find(name);
    if (s == nullptr) throw UsageError("unknown option '--" + name + "'");
    if (values_.count(name) != 0 || std::count(flags_.begin(), flags_.end(), name) != 0)
      throw UsageError("--" + name + " is given twice");
    if (!s->takesValue) {
      if (inlineValue) throw UsageError("--" + name + " takes no value");
      flags_.push_back(name);
      continue;
    }
    if (inlineValue) {
      values_.emplace(name, *inlineValue);
    } else {
      if (i + 1 >= args.size()) throw UsageError("--" + name + " needs a value");
      values_.emplace(name, args[++i]);
    }
  }
}

bool Args::flag(std::string_view name) const {
  return std::find(flags_.begin(), flags_.end(), name) != flags_.end();
}

std::optional<std::string> Args::value(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::required(std::string_view name) const {
  auto v = value(name);
  if (!v || v->empty()) throw UsageError("--" + std::string(name) + " is required");
  return *v;
}

Date parseDateArg(std::string_view what, std::string_view text) {
  auto d = Date::parseIso(text);
  if (!d)
    throw UsageError(std::string(what) + ": '" + std::string(text) +
                     "' is not a date (YYYY-MM-DD)");
  return *d;
}

std::optional<Date> Args::date(std::string_view name) const {
  auto v = value(name);
  if (!v) return std::nullopt;
  return parseDateArg("--" + std::string(name), *v);
}

std::optional<int> Args::integer(std::string_view name, int min, int max) const {
  auto v = value(name);
  if (!v) return std::nullopt;
  int n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size() || v->empty())
    throw UsageError("--" + std::string(name) + ": '" + *v + "' is not a whole number");
  if (n < min || n > max)
    throw UsageError("--" + std::string(name) + ": " + *v + " is outside " + std::to_string(min) +
                     ".." + std::to_string(max));
  return n;
}

std::optional<std::vector<std::string>> Args::list(std::string_view name) const {
  auto v = value(name);
  if (!v) return std::nullopt;
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t comma = v->find(',', start);
    std::string item =
        v->substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (item.empty())
      throw UsageError("--" + std::string(name) + ": empty item in '" + *v + "' (item " +
                       std::to_string(out.size() + 1) + ")");
    out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string Args::choice(std::string_view name, const std::vector<std::string>& allowed) const {
  auto v = value(name);
  if (!v) return allowed.front();
  if (std::find(allowed.begin(), allowed.end(), *v) != allowed.end()) return *v;
  std::string options;
  for (const auto& a : allowed) options += (options.empty() ? "" : "|") + a;
  throw UsageError("--" + std::string(name) + ": '" + *v + "' is not one of " + options);
}

}  // namespace gerbang::app
