#include "core/web/ui_crosscheck.hpp"

#include <cctype>

namespace gerbang::web {

std::string normaliseForCheck(std::string_view value, bool isDate) {
  std::string out;
  bool space = false;
  for (char c : value) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(char(std::toupper(static_cast<unsigned char>(c))));
  }
  if (isDate) {
    auto digits = [&](size_t from, size_t n) {
      for (size_t i = from; i < from + n; ++i)
        if (!std::isdigit(static_cast<unsigned char>(out[i]))) return false;
      return true;
    };
    // yyyy-mm-dd (an <input type="date">) → dd-mm-yyyy, the registry's format.
    if (out.size() == 10 && digits(0, 4) && out[4] == '-' && digits(5, 2) && out[7] == '-' &&
        digits(8, 2))
      return out.substr(8, 2) + "-" + out.substr(5, 2) + "-" + out.substr(0, 4);
    // dd/mm/yyyy or dd.mm.yyyy → dd-mm-yyyy.
    if (out.size() == 10 && digits(0, 2) && (out[2] == '/' || out[2] == '.') && digits(3, 2) &&
        out[5] == out[2] && digits(6, 4))
      return out.substr(0, 2) + "-" + out.substr(3, 2) + "-" + out.substr(6, 4);
  }
  return out;
}

std::vector<CheckResult> crossCheck(const compliance::RegistryRecord& record,
                                    const std::map<std::string, std::string>& entered) {
  std::vector<CheckResult> out;
  for (const CrossCheckField& f : kCrossCheckFields) {
    auto typed = entered.find(std::string(f.name));
    if (typed == entered.end()) continue;
    CheckResult r{std::string(f.name), std::string(f.label), "tidak_tersedia"};
    auto have = record.find(std::string(f.name));
    if (have != record.end() && !have->second.empty())
      r.result = normaliseForCheck(typed->second, f.isDate) ==
                         normaliseForCheck(have->second, f.isDate)
                     ? "sesuai"
                     : "tidak_sesuai";
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace gerbang::web
