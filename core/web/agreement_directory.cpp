#include "core/web/agreement_directory.hpp"

#include <algorithm>

namespace gerbang::web {

std::optional<AgreementInfo> AgreementDirectory::find(const std::string& id) const {
  for (auto& a : list())
    if (a.id == id) return a;
  return std::nullopt;
}

StaticAgreementDirectory::StaticAgreementDirectory(const Clock& clock, std::vector<Entry> entries)
    : clock_(clock), entries_(std::move(entries)) {
  std::sort(entries_.begin(), entries_.end(),
            [](const Entry& a, const Entry& b) { return a.id < b.id; });
}

std::vector<AgreementInfo> StaticAgreementDirectory::list() const {
  const Date today = clock_.today();
  std::vector<AgreementInfo> out;
  for (const auto& e : entries_) {
    AgreementInfo a{e.id, e.title, e.pksNumber, e.signedOn, e.endsOn, "aktif", "Aktif"};
    if (today < e.signedOn) {
      a.status = "belum_berlaku";
      a.statusLabel = "Belum berlaku";
    } else if (today > e.endsOn) {
      // DOMAIN rule 8: access stops when the term ends unless an Adendum extends it.
      a.status = "berakhir";
      a.statusLabel = "Berakhir — akses ditutup";
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace gerbang::web
