// An agreement as it stands today: the plugin's manifest (PKS + juknis as signed) adjusted
// by every Adendum recorded since, and its status on a given Jakarta day.
//
// Rule 8 (every PKS): access stops when the term ends unless an Adendum extends it; the
// 2025 juknis asks for the extension at least two months before the end. So an agreement
// is "expiring" from extension_notice_days (default 60) days before its end, and still
// allows access on its last day; the day after, it is "expired" and refuses access.
#pragma once

#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/plugin/manifest.hpp"

#include <Poco/Types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gerbang::agreement {

// Adendum (amendment): the only way a PKS changes after signing. Each field left empty
// (nullopt) leaves that term as it was.
struct Adendum {
  Poco::Int64 id = 0;              // store id; 0 until recorded. Orders adenda of the same date.
  std::string agencyId;            // the agreement (plugin agency id)
  std::string number;              // the Adendum's letter number, unique per agreement
  Date date;                       // the day it was signed; in force from that day
  std::optional<Date> newEnd;      // extends (or shortens) the term
  std::optional<int> quotaPerDay;  // a new daily quota (hits per User ID), > 0
  bool pocPassed = false;  // records a passed PoC (lifts the quota where the juknis says so)
  std::optional<std::vector<std::string>> elements;      // narrows the permitted elements
  std::optional<std::vector<std::string>> addressParts;  // narrows the permitted address parts
  std::string recordedBy;  // who recorded it (administrator's user name)
  TimePoint recordedAt{};  // when it was recorded
};

// Checks that `a` may amend the agreement `m` declares. Returns ok, or an Error with code
// "adendum_invalid" whose message (Indonesian, then English after " / ") names the field:
// number and date present, date not before signing, new end after signing, quota > 0,
// PoC only where the juknis lifts the quota after a PoC and not together with a quota,
// elements and address parts only narrowed (never one the manifest lacks), and at least
// one term changed. Never throws.
Status validateAdendum(const plugin::Manifest& m, const Adendum& a);

// The terms in force on some day: the manifest with the adenda in force applied in order.
struct EffectiveTerms {
  Date start;
  Date end;
  std::optional<int> quotaPerDay;  // nullopt = unlimited
  bool pocPassed = false;
  std::vector<std::string> elements;
  std::vector<std::string> addressParts;
  std::vector<std::string> adendumNumbers;  // the adenda applied, oldest first
};

enum class Phase {
  kNotStarted,  // before the first day of the term
  kActive,      // within the term, more than extension_notice_days left
  kExpiring,    // within the term, extension_notice_days or fewer left (still allows access)
  kExpired,     // after the last day of the term: access refused
};

// "not_started", "active", "expiring", "expired".
std::string_view phaseName(Phase p);

struct AgreementStatus {
  Phase phase = Phase::kActive;
  int daysLeft = 0;  // from today to the last day (0 on the last day, negative once expired)
  Date end;          // the last day of the term in force
  bool allowsAccess() const { return phase == Phase::kActive || phase == Phase::kExpiring; }
};

class Agreement {
 public:
  // `adenda` in any order; they are sorted by date, then by id (recording order). They are
  // assumed valid (validateAdendum) and belonging to this agreement.
  Agreement(plugin::Manifest manifest, std::vector<Adendum> adenda);

  const plugin::Manifest& manifest() const { return manifest_; }
  const std::string& id() const { return manifest_.agencyId; }
  // Sorted by date, then id.
  const std::vector<Adendum>& adenda() const { return adenda_; }

  // The terms on `today`: the manifest, then each Adendum dated on or before today in
  // order, the later one winning for a term both change. A passed PoC makes the quota
  // unlimited (only possible where the manifest says unlimited_after_poc); a later Adendum
  // with a quota sets a limit again.
  EffectiveTerms termsOn(Date today) const;

  // Phase and days left on `today` (see Phase).
  AgreementStatus status(Date today) const;

 private:
  plugin::Manifest manifest_;
  std::vector<Adendum> adenda_;
};

}  // namespace gerbang::agreement
