// Plugin of the PKS between Disdukcapil Kabupaten Purbalingga and Dinas Tenaga Kerja
// Kabupaten Purbalingga (PKS 400.12/2430/2025, 500.15/1564/2025; juknis 400.12/2439/2025).
// The agreement is declared in manifest.json; this class adds balikan rules and one route.
#include <gerbang/sdk/plugin.hpp>

#include <iterator>
#include <string>
#include <string_view>
#include <vector>

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

// Kabupaten Purbalingga's region code.
constexpr std::string_view kPurbalingga = "3303";

// A participant or job-seeker number, as the manifest's purpose_reference describes it.
struct ParticipantNumber {
  std::string kind;  // "peserta_pelatihan" or "pencari_kerja"
  int year = 0;
  int serial = 0;
};

// Parses "PLT-3303-YYYY-NNNNN" or "AK1-3303-YYYY-NNNNNN"; on failure *why says what is
// wrong and where (in Indonesian, for the operator).
bool parseNumber(std::string_view s, ParticipantNumber* n, std::string* why) {
  size_t serialDigits = 0;
  if (s.rfind("PLT-", 0) == 0) {
    n->kind = "peserta_pelatihan";
    serialDigits = 5;
  } else if (s.rfind("AK1-", 0) == 0) {
    n->kind = "pencari_kerja";
    serialDigits = 6;
  } else {
    *why = "awalan harus 'PLT-' (peserta pelatihan) atau 'AK1-' (pencari kerja)";
    return false;
  }
  std::string_view rest = s.substr(4);
  if (rest.size() != 4 + 1 + 4 + 1 + serialDigits || rest[4] != '-' || rest[9] != '-') {
    *why = "susunan harus 3303-tahun (4 angka)-nomor urut (" + std::to_string(serialDigits) +
           " angka)";
    return false;
  }
  if (rest.substr(0, 4) != kPurbalingga) {
    *why = "kode wilayah '" + std::string(rest.substr(0, 4)) +
           "' bukan kode Kabupaten Purbalingga (3303)";
    return false;
  }
  if (!allDigits(rest.substr(5, 4), 4)) {
    *why = "tahun harus 4 angka";
    return false;
  }
  n->year = digitsValue(rest, 5, 4);
  // Numbers issued before the 2025 agreement remain valid references (a participant of an
  // earlier programme may come back), so only an implausible year is refused.
  if (n->year < 2000 || n->year > 2099) {
    *why = "tahun " + std::to_string(n->year) + " di luar 2000-2099";
    return false;
  }
  if (!allDigits(rest.substr(10), serialDigits)) {
    *why = "nomor urut harus " + std::to_string(serialDigits) + " angka";
    return false;
  }
  n->serial = digitsValue(rest, 10, serialDigits);
  if (n->serial == 0) {
    *why = "nomor urut tidak boleh 0";
    return false;
  }
  return true;
}

class PurbalinggaDinnaker final : public gerbang::sdk::Plugin {
 public:
  gerbang::sdk::Verdict validateBalikan(const gerbang::sdk::Fields& record) override {
    auto value = [&](const char* name) -> std::string_view {
      auto it = record.find(name);
      return it == record.end() ? std::string_view{} : std::string_view(it->second);
    };
    // Juknis Purbalingga (data balikan): "nomor sertifikat peserta pelatihan kerja" and
    // "jenis pelatihan" describe the same training; a certificate number without the
    // training it certifies cannot be matched by the registry.
    if (!blank(value("nomor_sertifikat_pelatihan")) && blank(value("jenis_pelatihan"))) {
      return gerbang::sdk::Verdict::Invalid(
          "jenis_pelatihan wajib diisi bila nomor_sertifikat_pelatihan diisi");
    }
    // A record that carries only the NIK returns nothing to the registry: at least one of
    // the juknis items must be filled.
    if (blank(value("keterangan_pencari_kerja")) && blank(value("nomor_sertifikat_pelatihan")) &&
        blank(value("jenis_pelatihan")) && blank(value("penempatan_kerja"))) {
      return gerbang::sdk::Verdict::Invalid(
          "Isi paling sedikit satu: keterangan_pencari_kerja, nomor_sertifikat_pelatihan, "
          "jenis_pelatihan atau penempatan_kerja");
    }
    return gerbang::sdk::Verdict::Ok();
  }

  gerbang::sdk::RouteResponse handleRoute(const gerbang::sdk::RouteRequest& req) override {
    if (req.routeId == "peserta-struktur") return numberRoute(req);
    if (req.routeId == "pelatihan-pemeriksaan") return checkRoute(req);
    return {404, jsonMessage("Rute tidak dikenal")};
  }

 private:
  // POST pelatihan/pemeriksaan: the counter check of a job-training participant or job
  // seeker. Body: nik, nomor_peserta, optionally the documents (nama_lengkap, tempat_lahir,
  // tanggal_lahir) and the balikan items of the juknis (keterangan_pencari_kerja,
  // nomor_sertifikat_pelatihan, jenis_pelatihan, penempatan_kerja). PKS Purbalingga: access
  // only to verify training participants and job seekers, so the participant number is the
  // lookup's purpose reference; when the person is found and the documents match, the
  // items are recorded as the person's data balikan.
  gerbang::sdk::RouteResponse checkRoute(const gerbang::sdk::RouteRequest& req) const {
    static const char* const kBalikan[] = {"keterangan_pencari_kerja", "nomor_sertifikat_pelatihan",
                                           "jenis_pelatihan", "penempatan_kerja"};
    std::string error;
    std::vector<std::string> allowed{"nik", "nomor_peserta"};
    allowed.insert(allowed.end(), std::begin(kBalikan), std::end(kBalikan));
    auto body = counterCheckBody(req.body, allowed, &error);
    if (!body) return {400, jsonMessage(error)};
    if (auto missing = missingField(*body, {"nomor_peserta", "nik"})) return *missing;
    const std::string number = body->at("nomor_peserta");
    ParticipantNumber n;
    std::string why;
    if (!parseNumber(number, &n, &why))
      return {422, jsonMessage("Nomor peserta tidak sah: " + why)};
    gerbang::sdk::Fields balikan;
    for (const char* k : kBalikan) balikan[k] = std::string(valueOf(*body, k));
    return runCounterCheck(host(), req, body->at("nik"), number, *body, std::move(balikan),
                           ",\"peserta\":{\"nomor\":" + jsonString(number) +
                               ",\"jenis\":" + jsonString(n.kind) + "}");
  }

  // GET peserta/{nomor}: checks a participant or job-seeker number before a lookup and
  // answers its structure, so a counter screen catches a mistyped reference without
  // spending quota.
  static gerbang::sdk::RouteResponse numberRoute(const gerbang::sdk::RouteRequest& req) {
    auto it = req.params.find("nomor");
    if (it == req.params.end() || it->second.empty())
      return {400, jsonMessage("Parameter 'nomor' wajib diisi")};
    ParticipantNumber n;
    std::string why;
    if (!parseNumber(it->second, &n, &why)) {
      return {422, "{\"sah\":false,\"nomor\":" + jsonString(it->second) +
                       ",\"message\":" + jsonString("Nomor peserta tidak sah: " + why) + "}"};
    }
    return {200, "{\"sah\":true,\"nomor\":" + jsonString(it->second) +
                     ",\"jenis\":" + jsonString(n.kind) + ",\"kode_wilayah\":\"3303\"" +
                     ",\"tahun\":" + std::to_string(n.year) +
                     ",\"nomor_urut\":" + std::to_string(n.serial) + "}"};
  }
};

}  // namespace

GERBANG_PLUGIN(PurbalinggaDinnaker, gerbang_manifest_json)
