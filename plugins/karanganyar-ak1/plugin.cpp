// Plugin of the PKS between Disdukcapil Kabupaten Karanganyar and Disdagnakerkop UKM
// Kabupaten Karanganyar for the job-seeker card service (Kartu AK I); PKS
// 470/2566.12/XI/2020 and 562/4430.7.3/XI/2020. The agreement is declared in manifest.json;
// this class adds the balikan rules and the AK-I counter routes.
#include <gerbang/sdk/plugin.hpp>

#include <string>
#include <string_view>

#include "../common/counter_check.hpp"
#include "../common/plugin_json.hpp"
#include "gerbang_manifest.h"

namespace {

using gerbang::plugins::allDigits;
using gerbang::plugins::digitsValue;
using gerbang::plugins::jsonMessage;
using gerbang::plugins::jsonString;
using gerbang::plugins::counterCheckBody;
using gerbang::plugins::missingField;
using gerbang::plugins::runCounterCheck;
using gerbang::plugins::valueOf;

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// Nomor Register Pemohon Kartu AK I: "AK1-3313-YYYYMM-NNNNNN" (Kabupaten Karanganyar 3313,
// year and month of registration, serial within the month).
struct Register {
  int year = 0;
  int month = 0;
  int serial = 0;
};

// On failure *why says what is wrong and where (in Indonesian, for the operator).
bool parseRegister(std::string_view s, Register* r, std::string* why) {
  if (s.size() != 22) {
    *why = "panjang harus 22 karakter (AK1-3313-TTTTBB-NNNNNN), bukan " + std::to_string(s.size());
    return false;
  }
  if (s.substr(0, 4) != "AK1-") {
    *why = "awalan harus 'AK1-'";
    return false;
  }
  if (s.substr(4, 5) != "3313-") {
    *why = "kode wilayah pada posisi 5-8 harus 3313 (Kabupaten Karanganyar)";
    return false;
  }
  if (!allDigits(s.substr(9, 6), 6) || s[15] != '-') {
    *why = "posisi 10-15 harus tahun dan bulan pendaftaran (TTTTBB) diikuti '-'";
    return false;
  }
  r->year = digitsValue(s, 9, 4);
  r->month = digitsValue(s, 13, 2);
  if (r->year < 2000 || r->year > 2099) {
    *why = "tahun pendaftaran " + std::to_string(r->year) + " di luar 2000-2099";
    return false;
  }
  if (r->month < 1 || r->month > 12) {
    *why = "bulan pendaftaran " + std::to_string(r->month) + " tidak ada (01-12)";
    return false;
  }
  if (!allDigits(s.substr(16), 6)) {
    *why = "posisi 17-22 harus nomor urut 6 angka";
    return false;
  }
  r->serial = digitsValue(s, 16, 6);
  if (r->serial == 0) {
    *why = "nomor urut tidak boleh 000000";
    return false;
  }
  return true;
}

// Nomor ID Kartu Tanda Pencari Kerja: "3313-YYYY-NNNNNN" (year the card was issued).
bool parseCardYear(std::string_view s, int* year) {
  if (s.size() != 16 || s.substr(0, 5) != "3313-" || s[9] != '-' || !allDigits(s.substr(5, 4), 4) ||
      !allDigits(s.substr(10), 6))
    return false;
  *year = digitsValue(s, 5, 4);
  return true;
}

std::string registerJson(std::string_view number, const Register& r) {
  return "{\"sah\":true,\"nomor\":" + jsonString(number) + ",\"kode_wilayah\":\"3313\"" +
         ",\"tahun\":" + std::to_string(r.year) + ",\"bulan\":" + std::to_string(r.month) +
         ",\"nomor_urut\":" + std::to_string(r.serial) + "}";
}

class KaranganyarAk1 final : public gerbang::sdk::Plugin {
 public:
  gerbang::sdk::Verdict validateBalikan(const gerbang::sdk::Fields& record) override {
    auto value = [&](const char* name) -> std::string_view {
      auto it = record.find(name);
      return it == record.end() ? std::string_view{} : std::string_view(it->second);
    };
    Register reg;
    std::string why;
    if (!parseRegister(value("nomor_register"), &reg, &why))
      return gerbang::sdk::Verdict::Invalid("nomor_register tidak sah: " + why);
    // The card (Kartu AK I) is issued on an application, so it cannot predate the
    // registration it was issued for.
    std::string_view card = value("nomor_id_kartu_pencari_kerja");
    if (!blank(card)) {
      int cardYear = 0;
      if (!parseCardYear(card, &cardYear))
        return gerbang::sdk::Verdict::Invalid(
            "nomor_id_kartu_pencari_kerja harus berbentuk 3313-TTTT-NNNNNN");
      if (cardYear < reg.year) {
        return gerbang::sdk::Verdict::Invalid(
            "nomor_id_kartu_pencari_kerja bertahun " + std::to_string(cardYear) +
            ", lebih awal dari tahun nomor_register " + std::to_string(reg.year));
      }
    }
    // Juknis: "Jenis Usaha, Class Usaha": a class describes a kind of business, so a class
    // without the kind it classifies is incomplete.
    if (!blank(value("class_usaha")) && blank(value("jenis_usaha")))
      return gerbang::sdk::Verdict::Invalid("jenis_usaha wajib diisi bila class_usaha diisi");
    return gerbang::sdk::Verdict::Ok();
  }

  gerbang::sdk::RouteResponse handleRoute(const gerbang::sdk::RouteRequest& req) override {
    if (req.routeId == "ak1-register") return registerRoute(req);
    if (req.routeId == "ak1-pemeriksaan") return checkRoute(req);
    return {404, jsonMessage("Rute tidak dikenal")};
  }

 private:
  // GET ak1/register/{nomor}: validates a register number and answers its structure.
  static gerbang::sdk::RouteResponse registerRoute(const gerbang::sdk::RouteRequest& req) {
    auto it = req.params.find("nomor");
    if (it == req.params.end() || it->second.empty())
      return {400, jsonMessage("Parameter 'nomor' wajib diisi")};
    Register r;
    std::string why;
    if (!parseRegister(it->second, &r, &why)) {
      return {422, "{\"sah\":false,\"nomor\":" + jsonString(it->second) + ",\"message\":" +
                       jsonString("Nomor Register Pemohon tidak sah: " + why) + "}"};
    }
    return {200, registerJson(it->second, r)};
  }

  // POST ak1/pemeriksaan: the "Pemeriksaan Pemohon AK-I" counter step. Body: nik,
  // nomor_register, and optionally what the applicant's documents say (nama_lengkap,
  // tempat_lahir, tanggal_lahir) and the card data (nomor_id_kartu_pencari_kerja,
  // jenis_usaha, class_usaha). PKS Karanganyar: access only for the Kartu AK I service, so
  // the register number is checked here and passed to the host as the lookup's purpose
  // reference (the host runs its whole compliance pipeline). When the applicant is found
  // and the documents match, the register number (with the card data) is recorded as the
  // person's data balikan (PKS: "Nomor Register Pemohon Kartu AK I").
  gerbang::sdk::RouteResponse checkRoute(const gerbang::sdk::RouteRequest& req) const {
    std::string error;
    auto body = counterCheckBody(req.body,
                                 {"nik", "nomor_register", "nomor_id_kartu_pencari_kerja",
                                  "jenis_usaha", "class_usaha"},
                                 &error);
    if (!body) return {400, jsonMessage(error)};
    if (auto missing = missingField(*body, {"nomor_register", "nik"})) return *missing;
    const std::string reg = body->at("nomor_register");
    Register r;
    std::string why;
    if (!parseRegister(reg, &r, &why))
      return {422, jsonMessage("Nomor Register Pemohon tidak sah: " + why)};
    gerbang::sdk::Fields balikan{{"nomor_register", reg}};
    for (const char* k : {"nomor_id_kartu_pencari_kerja", "jenis_usaha", "class_usaha"})
      balikan[k] = std::string(valueOf(*body, k));
    return runCounterCheck(host(), req, body->at("nik"), reg, *body, std::move(balikan),
                           ",\"register\":" + registerJson(reg, r));
  }
};

}  // namespace

GERBANG_PLUGIN(KaranganyarAk1, gerbang_manifest_json)
