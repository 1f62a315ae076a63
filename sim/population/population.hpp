// A deterministic synthetic population for the stand-ins (registry portal, KTP-el card),
// the tests, the demo and the benchmarks. Every person here is generated: names are
// composed from name-part lists, NIKs are well formed but belong to nobody.
//
// What is realistic (so that the host's checks are exercised for real):
//  - NIK `PPKKCCDDMMYYSSSS`: PPKKCC is a real district (kecamatan) code from data/wilayah.csv,
//    DDMMYY the birth date with day + 40 for women, SSSS a serial 0001-9999; unique.
//  - NO_KK (family card) `PPKKCCDDMMYYSSSS` with the family's district and an issue date;
//    members of one family share it, its address and its region; unique per family.
//  - Addresses use real region codes and names: Jawa Barat (32), Kab. Purbalingga (33.03)
//    and Kab. Karanganyar (33.13) are heavily represented (about 35 %, 20 %, 20 %), the rest
//    is spread over every other district. KODE_POS is synthetic (not the real postcode).
//  - About 3 % deceased, 1 % duplicate records (Data Ganda), 1 % inactive.
//
// Nothing is materialised: a resident is computed from (seed, index) on demand; a compact
// sorted index (12 bytes per person: 120 MB for 10 million, about 300 MB at peak while it is
// built) answers find().
#pragma once

#include "core/common/clock.hpp"
#include "sim/population/wilayah.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gerbang::sim {

// One synthetic resident, with the registry's fields (field comments give the CALL_NIK key).
struct Resident {
  // What the registry answers for this NIK.
  enum class Kind {
    kFound,      // data returned
    kDeceased,   // 11 "Data Ditemukan, Meninggal Dunia"
    kDuplicate,  // 12 "Data Ditemukan, Data Ganda"
    kInactive,   // 14 "Data Ditemukan, Status Non Aktif ..."
  };

  std::string nik;            // NIK, 16 digits
  std::string noKk;           // NO_KK, 16 digits, shared by the family
  std::string nama;           // NAMA_LGKP, upper case
  std::string tempatLahir;    // TMPT_LHR, upper case
  Date tanggalLahir;          // TGL_LHR (sent as dd-mm-yyyy)
  std::string jenisKelamin;   // JENIS_KLMIN: "LAKI-LAKI" or "PEREMPUAN"
  std::string statusKawin;    // STATUS_KAWIN: "BELUM KAWIN", "KAWIN", "CERAI HIDUP", "CERAI MATI"
  std::string pekerjaan;      // JENIS_PKRJN
  std::string alamat;         // ALAMAT (street / hamlet part only)
  std::string noRt;           // NO_RT, 3 digits
  std::string noRw;           // NO_RW, 3 digits
  std::string noProp;         // NO_PROP: province component, "33"
  std::string propName;       // PROP_NAME, upper case
  std::string noKab;          // NO_KAB: regency component only, "03" (full code 33.03)
  std::string kabName;        // KAB_NAME, upper case
  std::string noKec;          // NO_KEC: district component only, "01"
  std::string kecName;        // KEC_NAME, upper case
  std::string noKel;          // NO_KEL: village component only, "2001"
  std::string kelName;        // KEL_NAME, upper case
  std::string kodePos;        // KODE_POS, 5 digits, synthetic
  std::string agama;          // AGAMA
  std::string namaIbu;        // NAMA_LGKP_IBU
  std::string golDarah;       // GOL_DARAH
  std::string pendidikan;     // PDDK_AKH
  std::string statHbkel;      // STAT_HBKEL: "KEPALA KELUARGA", "ISTRI", "ANAK"
  std::string ektpStatus;     // EKTP_STATUS
  std::string noAktaLhr;      // NO_AKTA_LHR
  std::string kewarganegaraan;  // "WNI"
  Kind kind = Kind::kFound;
};

// "found", "deceased", "duplicate", "inactive".
const char* kindName(Resident::Kind kind);
// The inverse of kindName(); nullopt for anything else.
std::optional<Resident::Kind> parseKind(std::string_view name);

class Population {
 public:
  static constexpr size_t kDefaultSize = 100'000;
  static constexpr uint64_t kDefaultSeed = 20261123;

  // Generates the index for `size` residents (1 <= size <= 50,000,000) from `seed`; the
  // same (wilayah file, seed, size) always gives the same people. Copies what it needs from
  // `wilayah`. Throws std::invalid_argument for a size out of range and std::runtime_error
  // when `wilayah` lacks the districts of 32, 33.03 or 33.13. About 0.3-0.8 s per million
  // (optimised build).
  Population(const Wilayah& wilayah, uint64_t seed, size_t size = kDefaultSize);

  size_t size() const { return size_; }
  uint64_t seed() const { return seed_; }

  // The resident at index i (0 <= i < size(); throws std::out_of_range otherwise).
  // Thread-safe, as is every const member.
  Resident at(size_t i) const;
  // The resident with this NIK, or nullopt (also for malformed input).
  std::optional<Resident> find(std::string_view nik) const;
  // The index of this NIK, or nullopt.
  std::optional<size_t> indexOf(std::string_view nik) const;
  bool contains(std::string_view nik) const { return indexOf(nik).has_value(); }
  // The kind of resident i without building the whole record (cheap).
  Resident::Kind kindAt(size_t i) const;

  // Up to n distinct NIKs of residents of `kind`, spread over the population (never
  // sequential), deterministic for the seed. Fewer than n only when the population has
  // fewer of that kind.
  std::vector<std::string> sample(Resident::Kind kind, size_t n) const;
  // n distinct NIKs that are well formed (real district, real birth date, serial 0001-9999)
  // and guaranteed not in this population; deterministic for the seed.
  std::vector<std::string> absent(size_t n) const;

 private:
  struct Skeleton;  // the cheap numeric part of one resident
  struct Family;

  Skeleton skeleton(size_t i) const;
  Family family(uint64_t familyId) const;
  uint64_t nikNumber(const Skeleton& s, size_t i) const;
  uint64_t pickDistrict(uint64_t h) const;

  Wilayah wilayah_;
  uint64_t seed_;
  size_t size_;
  std::vector<uint32_t> jabar_, purbalingga_, karanganyar_, elsewhere_;  // district indices
  std::vector<uint64_t> district6_;  // per district index: PPKKCC as a number
  std::vector<uint64_t> sortedNik_;  // ascending
  std::vector<uint32_t> sortedIdx_;  // resident index for each sortedNik_ entry
  std::unordered_map<uint32_t, uint16_t> serialOverride_;  // collisions resolved at build
};

}  // namespace gerbang::sim
