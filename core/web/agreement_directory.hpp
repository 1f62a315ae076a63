// What the web layer needs to know about agreements (PKS): which exist, their status and
// their end date. core/agreement owns the real answer (manifest + recorded Adenda); this
// narrow interface keeps the screens independent of it.
#pragma once

#include "core/common/clock.hpp"

#include <optional>
#include <string>
#include <vector>

namespace gerbang::web {

struct AgreementInfo {
  std::string id;         // the plugin's agency id, e.g. "karanganyar-ak1"
  std::string title;      // the using agency (PIHAK KEDUA), as shown to operators
  std::string pksNumber;  // the agency's PKS number
  Date signedOn;
  Date endsOn;  // after any Adendum
  // Stable status code: "aktif", "berakhir" (past its end; access refused, DOMAIN rule 8),
  // "belum_berlaku" (not yet in force) or "ditangguhkan" (suspended by the registry).
  std::string status;
  std::string statusLabel;  // Indonesian, for the screen
};

class AgreementDirectory {
 public:
  virtual ~AgreementDirectory() = default;
  // Every agreement on this host, ordered by id. Thread-safe.
  virtual std::vector<AgreementInfo> list() const = 0;
  // One agreement, or nullopt. Thread-safe.
  virtual std::optional<AgreementInfo> find(const std::string& id) const;
};

// A fixed set of agreements whose status follows the clock: "belum_berlaku" before
// signedOn, "berakhir" after endsOn, else "aktif". Used by tests and by `gerbang serve`
// until core/agreement provides its directory.
class StaticAgreementDirectory final : public AgreementDirectory {
 public:
  struct Entry {
    std::string id, title, pksNumber;
    Date signedOn, endsOn;
  };
  // `clock` must outlive the directory.
  StaticAgreementDirectory(const Clock& clock, std::vector<Entry> entries);
  std::vector<AgreementInfo> list() const override;

 private:
  const Clock& clock_;
  std::vector<Entry> entries_;
};

}  // namespace gerbang::web
