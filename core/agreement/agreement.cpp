#include "core/agreement/agreement.hpp"

#include <algorithm>
#include <set>

namespace gerbang::agreement {
namespace {

Error invalid(std::string indonesian, std::string english) {
  std::string message = indonesian + " / " + english;
  return Error{"adendum_invalid", message, message};
}

// The day the PKS was signed (one accessor, so a rename in the manifest is one edit).
const Date& signedOn(const plugin::Manifest& m) { return m.signedOn; }

bool contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Checks a narrowed list against what the manifest permits. `what` names the list in both
// languages for the message.
Status checkNarrowing(const std::vector<std::string>& narrowed,
                      const std::vector<std::string>& permitted, const char* fieldId,
                      const char* indonesian, const char* english) {
  if (narrowed.empty())
    return invalid(std::string(fieldId) + ": daftar " + indonesian + " tidak boleh kosong",
                   std::string(fieldId) + ": the list of " + english + " must not be empty");
  std::set<std::string> seen;
  for (size_t i = 0; i < narrowed.size(); ++i) {
    const std::string& e = narrowed[i];
    std::string where = std::string(fieldId) + "[" + std::to_string(i) + "]";
    if (!seen.insert(e).second)
      return invalid(where + ": '" + e + "' disebut dua kali", where + ": '" + e + "' is repeated");
    if (!contains(permitted, e)) {
      // Rule 1 / the PKS: only the listed elements. An Adendum may narrow the list; adding
      // an element needs a new agreement with Dukcapil, not an entry in this host.
      return invalid(where + ": '" + e + "' tidak termasuk " + indonesian +
                         " yang diizinkan PKS; Adendum hanya boleh mempersempit, tidak menambah",
                     where + ": '" + e + "' is not among the " + english +
                         " the PKS permits; an Adendum may narrow them, never add one");
    }
  }
  return Status::Ok();
}

}  // namespace

std::string_view phaseName(Phase p) {
  switch (p) {
    case Phase::kNotStarted:
      return "not_started";
    case Phase::kActive:
      return "active";
    case Phase::kExpiring:
      return "expiring";
    case Phase::kExpired:
      return "expired";
  }
  return "unknown";
}

Status validateAdendum(const plugin::Manifest& m, const Adendum& a) {
  if (a.number.find_first_not_of(" \t") == std::string::npos)
    return invalid("number: nomor Adendum wajib diisi", "number: the Adendum number is required");
  if (a.number.size() > 128)
    return invalid("number: nomor Adendum lebih dari 128 karakter",
                   "number: the Adendum number is longer than 128 characters");
  if (a.date < signedOn(m))
    return invalid("date: tanggal Adendum " + a.date.iso() + " sebelum PKS ditandatangani (" +
                       signedOn(m).iso() + ")",
                   "date: the Adendum date " + a.date.iso() + " is before the PKS was signed (" +
                       signedOn(m).iso() + ")");
  if (a.newEnd && *a.newEnd <= signedOn(m))
    return invalid("end: tanggal berakhir baru " + a.newEnd->iso() +
                       " harus sesudah tanggal penandatanganan PKS (" + signedOn(m).iso() + ")",
                   "end: the new end " + a.newEnd->iso() + " must be after the PKS was signed (" +
                       signedOn(m).iso() + ")");
  if (a.quotaPerDay && *a.quotaPerDay <= 0)
    return invalid("quota: kuota per hari harus lebih dari 0",
                   "quota: the daily quota must be greater than 0");
  if (a.pocPassed && !m.quota.unlimitedAfterPoc)
    return invalid("poc_passed: juknis " + m.agencyId +
                       " tidak menghapus batas kuota setelah PoC; ubah kuota dengan --quota",
                   "poc_passed: the " + m.agencyId +
                       " juknis does not lift the quota after a PoC; change it with --quota");
  if (a.pocPassed && a.quotaPerDay)
    return invalid("quota: PoC lulus menghapus batas kuota; jangan isi kuota sekaligus",
                   "quota: a passed PoC lifts the quota; do not also set a quota");
  if (a.elements) {
    Status s = checkNarrowing(*a.elements, m.elements, "elements", "elemen data", "data elements");
    if (!s.ok()) return s;
  }
  if (a.addressParts) {
    Status s = checkNarrowing(*a.addressParts, m.addressParts, "address_parts", "bagian alamat",
                              "address parts");
    if (!s.ok()) return s;
    const std::vector<std::string>& elements = a.elements ? *a.elements : m.elements;
    if (!contains(elements, "ALAMAT"))
      return invalid("address_parts: bagian alamat diisi padahal elemen ALAMAT tidak diizinkan",
                     "address_parts: address parts given but the ALAMAT element is not permitted");
  }
  if (!a.newEnd && !a.quotaPerDay && !a.pocPassed && !a.elements && !a.addressParts)
    return invalid(
        "Adendum tidak mengubah apa pun (isi tanggal berakhir, kuota, PoC, elemen "
        "atau bagian alamat)",
        "the Adendum changes nothing (give a new end, quota, PoC, elements or "
        "address parts)");
  return Status::Ok();
}

Agreement::Agreement(plugin::Manifest manifest, std::vector<Adendum> adenda)
    : manifest_(std::move(manifest)), adenda_(std::move(adenda)) {
  std::stable_sort(adenda_.begin(), adenda_.end(), [](const Adendum& x, const Adendum& y) {
    if (x.date != y.date) return x.date < y.date;
    return x.id < y.id;
  });
}

EffectiveTerms Agreement::termsOn(Date today) const {
  EffectiveTerms t;
  t.start = manifest_.start;
  t.end = manifest_.end;
  t.quotaPerDay = manifest_.quota.perDay;
  t.elements = manifest_.elements;
  t.addressParts = manifest_.addressParts;
  for (const Adendum& a : adenda_) {
    // An Adendum is in force from the day it is signed; asking about an earlier day (a
    // demo's --today) shows the terms as they were then.
    if (a.date > today) break;
    if (a.newEnd) t.end = *a.newEnd;
    if (a.quotaPerDay) t.quotaPerDay = *a.quotaPerDay;
    if (a.pocPassed && manifest_.quota.unlimitedAfterPoc) {
      // Juknis Purbalingga: 200 hits/day on the Web Portal, unlimited after a passed PoC.
      t.pocPassed = true;
      t.quotaPerDay.reset();
    }
    if (a.elements) t.elements = *a.elements;
    if (a.addressParts) t.addressParts = *a.addressParts;
    t.adendumNumbers.push_back(a.number);
  }
  // Without ALAMAT no part of the address may be shown, whatever the earlier lists said.
  if (!contains(t.elements, "ALAMAT")) t.addressParts.clear();
  return t;
}

AgreementStatus Agreement::status(Date today) const {
  EffectiveTerms t = termsOn(today);
  AgreementStatus s;
  s.end = t.end;
  s.daysLeft = today.daysUntil(t.end);
  if (today < t.start) {
    s.phase = Phase::kNotStarted;
  } else if (today > t.end) {
    s.phase = Phase::kExpired;
  } else if (s.daysLeft <= manifest_.extensionNoticeDays) {
    s.phase = Phase::kExpiring;
  } else {
    s.phase = Phase::kActive;
  }
  return s;
}

}  // namespace gerbang::agreement
