// Plugin of the PKS between Disdukcapil Provinsi Jawa Barat and Disnakertrans Provinsi Jawa
// Barat (PKS 438/PMD.07.01/Disdukcapil, 3335/HK.03.01/Disnakertrans). The agreement itself
// is declared in manifest.json; this class adds the balikan rule and one route.
#include <gerbang/sdk/plugin.hpp>

#include <string>
#include <string_view>

#include "../common/counter_check.hpp"
#include "../common/plugin_json.hpp"
#include "gerbang_manifest.h"

namespace {

using gerbang::plugins::allDigits;
using gerbang::plugins::counterCheckBody;
using gerbang::plugins::missingField;
using gerbang::plugins::runCounterCheck;
using gerbang::plugins::valueOf;
using gerbang::plugins::digitsValue;
using gerbang::plugins::jsonMessage;
using gerbang::plugins::jsonString;

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// Kab/kota codes of Jawa Barat (province 32): regencies 3201-3218, cities 3271-3279.
bool isJabarKabKota(int code) {
  return (code >= 3201 && code <= 3218) || (code >= 3271 && code <= 3279);
}

// A registration number, as the manifest's purpose_reference describes it.
struct Registration {
  std::string kind;  // "pencari_kerja" or "peserta_transmigrasi"
  int kabKota = 0;
  int year = 0;
  int serial = 0;
};

// Parses "AK1-KKKK-YYYY-NNNNNN" or "TRANS-KKKK-YYYY-NNNNN"; on failure *why says what is
// wrong and where (in Indonesian, for the operator).
bool parseRegistration(std::string_view s, Registration* r, std::string* why) {
  std::string_view rest;
  size_t serialDigits = 0;
  if (s.rfind("AK1-", 0) == 0) {
    r->kind = "pencari_kerja";
    rest = s.substr(4);
    serialDigits = 6;
  } else if (s.rfind("TRANS-", 0) == 0) {
    r->kind = "peserta_transmigrasi";
    rest = s.substr(6);
    serialDigits = 5;
  } else {
    *why = "awalan harus 'AK1-' (pencari kerja) atau 'TRANS-' (calon transmigran)";
    return false;
  }
  if (rest.size() != 4 + 1 + 4 + 1 + serialDigits || rest[4] != '-' || rest[9] != '-') {
    *why = "susunan harus kode kab/kota (4 angka)-tahun (4 angka)-nomor urut (" +
           std::to_string(serialDigits) + " angka)";
    return false;
  }
  if (!allDigits(rest.substr(0, 4), 4)) {
    *why = "kode kab/kota harus 4 angka";
    return false;
  }
  r->kabKota = digitsValue(rest, 0, 4);
  if (!isJabarKabKota(r->kabKota)) {
    *why =
        "kode kab/kota " + std::string(rest.substr(0, 4)) + " bukan kabupaten/kota di Jawa Barat";
    return false;
  }
  if (!allDigits(rest.substr(5, 4), 4)) {
    *why = "tahun harus 4 angka";
    return false;
  }
  r->year = digitsValue(rest, 5, 4);
  if (r->year < 2000 || r->year > 2099) {
    *why = "tahun pendaftaran " + std::to_string(r->year) + " di luar 2000-2099";
    return false;
  }
  if (!allDigits(rest.substr(10), serialDigits)) {
    *why = "nomor urut harus " + std::to_string(serialDigits) + " angka";
    return false;
  }
  r->serial = digitsValue(rest, 10, serialDigits);
  if (r->serial == 0) {
    *why = "nomor urut tidak boleh 0";
    return false;
  }
  return true;
}

class JabarDisnakertrans final : public gerbang::sdk::Plugin {
 public:
  // Juknis (data balikan): the agency returns "Keterangan Pencari Kerja" or "Keterangan
  // Peserta Program Transmigrasi" for each person accessed. A record carrying neither says
  // nothing about why the data was accessed, so it is refused.
  gerbang::sdk::Verdict validateBalikan(const gerbang::sdk::Fields& record) override {
    auto has = [&](const char* name) {
      auto it = record.find(name);
      return it != record.end() && !blank(it->second);
    };
    if (!has("keterangan_pencari_kerja") && !has("keterangan_peserta_transmigrasi")) {
      return gerbang::sdk::Verdict::Invalid(
          "Isi paling sedikit satu: keterangan_pencari_kerja atau "
          "keterangan_peserta_transmigrasi");
    }
    return gerbang::sdk::Verdict::Ok();
  }

  gerbang::sdk::RouteResponse handleRoute(const gerbang::sdk::RouteRequest& req) override {
    if (req.routeId == "pendaftaran-struktur") return registrationRoute(req);
    if (req.routeId == "pemohon-pemeriksaan") return checkRoute(req);
    return {404, jsonMessage("Rute tidak dikenal")};
  }

 private:
  // POST pemohon/pemeriksaan: the counter check of a job seeker or a transmigration
  // applicant. Body: nik, nomor_pendaftaran, jenis_layanan ("pencari_kerja" or
  // "transmigrasi", matching the number's prefix), optionally the documents (nama_lengkap,
  // tempat_lahir, tanggal_lahir) and the juknis balikan items (keterangan_pencari_kerja,
  // keterangan_peserta_transmigrasi). PKS Jawa Barat: access only for employment and
  // transmigration services, so the registration number is the lookup's purpose reference.
  gerbang::sdk::RouteResponse checkRoute(const gerbang::sdk::RouteRequest& req) const {
    std::string error;
    auto body = counterCheckBody(req.body,
                                 {"nik", "nomor_pendaftaran", "jenis_layanan",
                                  "keterangan_pencari_kerja", "keterangan_peserta_transmigrasi"},
                                 &error);
    if (!body) return {400, jsonMessage(error)};
    if (auto missing = missingField(*body, {"nomor_pendaftaran", "nik", "jenis_layanan"}))
      return *missing;
    const std::string number = body->at("nomor_pendaftaran");
    Registration r;
    std::string why;
    if (!parseRegistration(number, &r, &why))
      return {422, jsonMessage("Nomor pendaftaran tidak sah: " + why)};
    const std::string service = body->at("jenis_layanan");
    const std::string expected = r.kind == "pencari_kerja" ? "pencari_kerja" : "transmigrasi";
    if (service != "pencari_kerja" && service != "transmigrasi")
      return {400, jsonMessage("Field 'jenis_layanan' harus pencari_kerja atau transmigrasi")};
    if (service != expected)
      return {422, jsonMessage("jenis_layanan '" + service + "' tidak cocok dengan nomor " +
                               "pendaftaran (awalan menunjukkan " + expected + ")")};
    gerbang::sdk::Fields balikan;
    for (const char* k : {"keterangan_pencari_kerja", "keterangan_peserta_transmigrasi"})
      balikan[k] = std::string(valueOf(*body, k));
    return runCounterCheck(host(), req, body->at("nik"), number, *body, std::move(balikan),
                           ",\"pendaftaran\":{\"nomor\":" + jsonString(number) +
                               ",\"jenis\":" + jsonString(r.kind) + "}");
  }

  // GET pendaftaran/{nomor}: checks a registration number before a lookup and answers its
  // structure, so a counter screen can catch a mistyped reference without spending quota.
  static gerbang::sdk::RouteResponse registrationRoute(const gerbang::sdk::RouteRequest& req) {
    auto it = req.params.find("nomor");
    if (it == req.params.end() || it->second.empty())
      return {400, jsonMessage("Parameter 'nomor' wajib diisi")};
    Registration r;
    std::string why;
    if (!parseRegistration(it->second, &r, &why)) {
      return {422, "{\"sah\":false,\"nomor\":" + jsonString(it->second) +
                       ",\"message\":" + jsonString("Nomor pendaftaran tidak sah: " + why) + "}"};
    }
    return {200, "{\"sah\":true,\"nomor\":" + jsonString(it->second) +
                     ",\"jenis\":" + jsonString(r.kind) +
                     ",\"kode_kab_kota\":" + jsonString(std::to_string(r.kabKota)) + ",\"tahun\":" +
                     std::to_string(r.year) + ",\"nomor_urut\":" + std::to_string(r.serial) + "}"};
  }
};

}  // namespace

GERBANG_PLUGIN(JabarDisnakertrans, gerbang_manifest_json)
