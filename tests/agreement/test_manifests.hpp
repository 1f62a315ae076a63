// Hand-built manifests for the agreement tests: the facts of two agreements, without going
// through a plugin, so these tests do not depend on the loader.
#pragma once

#include "core/plugin/manifest.hpp"

namespace gerbang::agreement::testing {

// Like Purbalingga: signed 2025-09-16, ends 2027-09-16, 200/day, unlimited after PoC,
// 8 elements without NO_KK.
inline plugin::Manifest pocManifest() {
  plugin::Manifest m;
  m.agencyId = "uji-poc";
  m.agencyName = "Dinas Uji PoC";
  m.shortName = "Uji PoC";
  m.signedOn = Date(2025, 9, 16);
  m.start = Date(2025, 9, 16);
  m.end = Date(2027, 9, 16);
  m.extensionNoticeDays = 60;
  m.elements = {"NIK",         "NAMA_LGKP",    "TMPT_LHR",    "TGL_LHR",
                "JENIS_KLMIN", "STATUS_KAWIN", "JENIS_PKRJN", "ALAMAT"};
  m.addressParts = {"ALAMAT",   "PROP_NAME", "KAB_NAME", "NO_KEC",
                    "KEC_NAME", "KEL_NAME",  "NO_RT",    "NO_RW"};
  m.quota.perDay = 200;
  m.quota.unlimitedAfterPoc = true;
  return m;
}

// Like Jawa Barat: signed 2021-06-18, ends 2023-06-18, 75/day, 9 elements.
inline plugin::Manifest fixedQuotaManifest() {
  plugin::Manifest m;
  m.agencyId = "uji-tetap";
  m.agencyName = "Dinas Uji Kuota Tetap";
  m.shortName = "Uji Tetap";
  m.signedOn = Date(2021, 6, 18);
  m.start = Date(2021, 6, 18);
  m.end = Date(2023, 6, 18);
  m.extensionNoticeDays = 60;
  m.elements = {"NO_KK",       "NIK",          "NAMA_LGKP",   "TMPT_LHR", "TGL_LHR",
                "JENIS_KLMIN", "STATUS_KAWIN", "JENIS_PKRJN", "ALAMAT"};
  m.addressParts = {"ALAMAT",   "NO_PROP", "PROP_NAME", "NO_KAB",   "KAB_NAME", "NO_KEC",
                    "KEC_NAME", "NO_KEL",  "KEL_NAME",  "KODE_POS", "NO_RT",    "NO_RW"};
  m.quota.perDay = 75;
  m.quota.unlimitedAfterPoc = false;
  return m;
}

}  // namespace gerbang::agreement::testing
