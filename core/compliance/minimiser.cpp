#include "core/compliance/minimiser.hpp"

#include "core/plugin/manifest.hpp"

#include <algorithm>
#include <stdexcept>
#include <string_view>

namespace gerbang::compliance {
namespace {

template <class List>
bool known(const List& list, std::string_view name) {
  return std::find(std::begin(list), std::end(list), name) != std::end(list);
}

}  // namespace

Minimiser::Minimiser(const std::vector<std::string>& elements,
                     const std::vector<std::string>& addressParts) {
  bool alamat = false;
  for (const auto& e : elements) {
    if (!known(plugin::kElements, e))
      throw std::invalid_argument("minimiser: unknown element '" + e + "'");
    if (e == "ALAMAT")
      alamat = true;  // its parts are decided below
    else
      permitted_.insert(e);
  }
  for (const auto& p : addressParts)
    if (!known(plugin::kAddressParts, p))
      throw std::invalid_argument("minimiser: unknown address part '" + p + "'");
  if (alamat) {
    // Parts not itemised (the manifest may omit address_parts; an Adendum may narrow them
    // to none): only the street line, never the codes and names.
    if (addressParts.empty())
      permitted_.insert("ALAMAT");
    else
      permitted_.insert(addressParts.begin(), addressParts.end());
  }
}

Minimised Minimiser::project(const RegistryRecord& record) const {
  Minimised out;
  for (const auto& [name, value] : record)
    if (permitted_.count(name) != 0) {
      out.record.emplace(name, value);
      out.keptFields.push_back(name);
    }
  return out;
}

Minimised Minimiser::project(RegistryRecord&& record) const {
  Minimised out;
  for (auto it = record.begin(); it != record.end();) {
    auto node = record.extract(it++);
    if (permitted_.count(node.key()) != 0) {
      out.keptFields.push_back(node.key());
      out.record.insert(std::move(node));
    }
  }
  return out;
}

}  // namespace gerbang::compliance
