#include "core/balikan/upload.hpp"

#include <algorithm>

namespace gerbang::balikan {

UploadFormat detectUploadFormat(std::string_view head) {
  return head.substr(0, 4) == std::string_view("PK\x03\x04", 4) ? UploadFormat::kXlsx
                                                                : UploadFormat::kCsv;
}

std::string_view methodOf(UploadFormat format) {
  return format == UploadFormat::kXlsx ? "xlsx_upload" : "csv_upload";
}

Status checkUploadAllowed(const plugin::BalikanPolicy& policy, UploadFormat format) {
  const auto& m = policy.methods;
  if (std::find(m.begin(), m.end(), methodOf(format)) != m.end()) return Status::Ok();
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"web_service", "layanan web"},
      {"csv_upload", "unggah CSV"},
      {"xlsx_upload", "unggah Excel"},
      {"online_form", "formulir daring"},
      {"media", "media penyimpanan"}};
  std::string allowed;
  for (const auto& method : m) {
    std::string_view name = method;
    for (const auto& [id, label] : kNames) {
      if (id == method) name = label;
    }
    allowed += (allowed.empty() ? "" : ", ") + std::string(name);
  }
  return Error{"balikan_method_not_allowed",
               std::string("Perjanjian ini tidak mengizinkan data balikan lewat ") +
                   (format == UploadFormat::kXlsx ? "unggah Excel" : "unggah CSV") +
                   "; cara yang diizinkan: " + (allowed.empty() ? "tidak ada" : allowed),
               std::string(methodOf(format)) + " not in balikan.methods"};
}

std::unique_ptr<RowSource> openUpload(std::istream& in, UploadFormat format,
                                      const UploadOptions& options) {
  if (format == UploadFormat::kXlsx) return std::make_unique<XlsxReader>(in, options.xlsx);
  return std::make_unique<CsvReader>(in, options.csv);
}

}  // namespace gerbang::balikan
