#include "core/compliance/purpose_guard.hpp"

#include <stdexcept>

namespace gerbang::compliance {

PurposeGuard::PurposeGuard(const plugin::PurposeReference& reference, std::size_t maxLength)
    : label_(reference.label), example_(reference.example), maxLength_(maxLength) {
  if (label_.empty()) throw std::invalid_argument("purpose reference: label is empty");
  if (reference.pattern.empty()) throw std::invalid_argument("purpose reference: pattern is empty");
  if (reference.pattern.size() > plugin::kMaxPatternLength)
    throw std::invalid_argument("purpose reference: pattern is longer than " +
                                std::to_string(plugin::kMaxPatternLength) + " characters");
  if (maxLength_ == 0) throw std::invalid_argument("purpose reference: length cap is 0");
  try {
    regex_ = std::regex(reference.pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    throw std::invalid_argument(std::string("purpose reference: pattern does not compile: ") +
                                e.what());
  }
  if (!example_.empty() && !check(example_).ok())
    throw std::invalid_argument("purpose reference: the example does not match the pattern");
}

Status PurposeGuard::check(std::string_view reference) const {
  const auto refuse = [&](std::string message, std::string detail) {
    return Status(Error{"purpose_invalid", std::move(message), std::move(detail)});
  };
  if (reference.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return refuse("Referensi layanan wajib diisi: " + label_ + ".", "purpose reference is blank");
  if (reference.size() > maxLength_)
    return refuse("Referensi layanan terlalu panjang (paling banyak " + std::to_string(maxLength_) +
                      " karakter): " + label_ + ".",
                  "purpose reference longer than " + std::to_string(maxLength_));
  for (char c : reference) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f)
      return refuse("Referensi layanan memuat karakter yang tidak diizinkan.",
                    "purpose reference contains a control character");
  }
  // The length cap above also bounds std::regex's recursion.
  if (!std::regex_match(reference.begin(), reference.end(), regex_)) {
    std::string m = "Referensi layanan tidak sesuai format: " + label_ + ".";
    if (!example_.empty()) m += " Contoh: " + example_ + ".";
    return refuse(std::move(m), "purpose reference does not match the agreement's pattern");
  }
  return Status::Ok();
}

}  // namespace gerbang::compliance
