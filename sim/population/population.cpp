#include "sim/population/population.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <numeric>
#include <stdexcept>
#include <unordered_set>

namespace gerbang::sim {

// ---- deterministic hashing ---------------------------------------------------------------
namespace {

uint64_t splitmix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Independent streams per (seed, tag, x): the tag keeps e.g. a family's district and a
// person's serial from being correlated.
uint64_t mix(uint64_t seed, uint64_t tag, uint64_t x) {
  return splitmix(seed ^ splitmix(tag * 0x632BE59BD9B4E019ULL ^ splitmix(x)));
}

enum Tag : uint64_t {
  kTagBlock = 1, kTagFamily, kTagPerson, kTagSerial, kTagKind, kTagName, kTagMother,
  kTagSample, kTagAbsent, kTagMoved, kTagDetail
};

constexpr size_t kBlock = 5;  // indices per block; a block holds one or two families

// ---- name parts (composed freely; any resemblance to a real person is coincidence) -------
constexpr std::array kMaleGiven = {
    "AGUS", "BAMBANG", "BUDI", "DEDI", "EKO", "HENDRA", "JOKO", "RUDI", "SLAMET", "WAHYU",
    "YUSUF", "RIZKY", "FAJAR", "ADI", "DIMAS", "BAYU", "ARIS", "TEGUH", "ANDI", "AHMAD",
    "MUHAMAD", "IWAN", "HADI", "IRFAN", "ARIF", "ASEP", "UJANG", "DADANG", "CECEP", "YAYAN",
    "GILANG", "RAKA", "DANU", "GALIH", "YOGA", "ILHAM", "TAUFIK", "WAWAN", "HERU", "ANTON"};
constexpr std::array kMaleStem = {"SU", "HAR", "PUR", "WI", "SUG", "SAP", "TRI", "KUS",
                                  "MUL", "SAR", "DAR", "WAR", "PRA", "JUM", "KAR", "SUK"};
constexpr std::array kMaleEnd = {"YANTO", "JONO", "MARDI", "TONO", "WANTO", "DIMAN",
                                 "YADI", "NO", "MIN", "TOYO", "SONO", "WOTO"};
constexpr std::array kMaleFamily = {
    "SAPUTRA", "PRATAMA", "NUGROHO", "SETIAWAN", "HIDAYAT", "KURNIAWAN", "SANTOSO", "WIBOWO",
    "GUNAWAN", "PERMANA", "RAMADHAN", "FIRMANSYAH", "PRASETYO", "SUSILO", "HERMAWAN",
    "SURYADI", "MAULANA", "SAEPUDIN", "KOSWARA", "SUNARYA"};
constexpr std::array kFemaleGiven = {
    "SRI", "DEWI", "SITI", "ANI", "RINA", "WULAN", "INDAH", "FITRI", "AYU", "NUR", "PUTRI",
    "RATNA", "YUNI", "EKA", "DIAN", "RINI", "INTAN", "NINING", "EUIS", "NENG", "IMAS",
    "NENENG", "TITIN", "LILIS", "ENDAH", "TUTI", "WIWIK", "RETNO", "ANISA", "NADIA"};
constexpr std::array kFemaleStem = {"SU", "SRI", "PUR", "WI", "SUM", "TRI", "KUS", "MUL",
                                    "SAR", "DAR", "WAR", "PAR", "JUM", "KAR", "SUP", "RUS"};
constexpr std::array kFemaleEnd = {"WATI", "NINGSIH", "YANTI", "ASIH", "INEM", "NAH",
                                   "YATI", "TINAH", "MINAH", "IYAH"};
constexpr std::array kFemaleFamily = {
    "RAHAYU", "HANDAYANI", "WAHYUNI", "SUSANTI", "KURNIASIH", "PUSPITA", "ANGGRAINI",
    "MAHARANI", "PERMATASARI", "UTAMI", "LESTARI", "SAFITRI", "RAHMAWATI", "NURHAYATI",
    "MARLINA", "SUGIARTI", "KUSUMAWATI", "NURJANAH", "SEPTIANI", "OKTAVIANI"};

constexpr std::array kStreets = {
    "MELATI", "MAWAR", "KENANGA", "ANGGREK", "CEMPAKA", "FLAMBOYAN", "MERDEKA", "PAHLAWAN",
    "RAYA", "SUKAMAJU", "SUKARAME", "PASAR", "STASIUN", "MASJID", "PENDIDIKAN", "NUSA INDAH",
    "BOUGENVILLE", "KAMBOJA", "SEROJA", "KALIMANTAN"};
constexpr std::array kDusun = {"KRAJAN", "KIDUL", "WETAN", "KULON", "LOR", "TENGAH", "SABRANG",
                               "GUNUNGSARI", "SUKAMULYA", "CIBODAS", "SINDANGSARI", "KARANGANYAR"};
constexpr std::array kJobs = {
    "KARYAWAN SWASTA", "WIRASWASTA", "PETANI/PEKEBUN", "BURUH HARIAN LEPAS", "PEDAGANG",
    "BELUM/TIDAK BEKERJA", "PEGAWAI NEGERI SIPIL (PNS)", "GURU", "SOPIR", "BURUH TANI/PERKEBUNAN",
    "NELAYAN/PERIKANAN", "PERANGKAT DESA", "TUKANG BATU", "KARYAWAN HONORER", "PERDAGANGAN"};
constexpr std::array kBlood = {"A", "B", "AB", "O", "TIDAK TAHU", "TIDAK TAHU", "O", "B"};

template <class A>
const char* pick(const A& arr, uint64_t h) {
  return arr[h % arr.size()];
}

std::string pad(uint64_t v, int width) {
  std::string s = std::to_string(v);
  if (int(s.size()) < width) s.insert(0, size_t(width) - s.size(), '0');
  return s;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Kabupaten/Kota name as written for a birth place: "Kabupaten Purbalingga" -> "PURBALINGGA".
std::string placeName(std::string_view kab) {
  for (std::string_view p : {"Kabupaten ", "Kota "})
    if (kab.substr(0, p.size()) == p) return upper(kab.substr(p.size()));
  return upper(kab);
}

int daysOf(int y, unsigned m, unsigned d) {
  return int(Date(y, m, d).sysDays().time_since_epoch().count());
}
Date dateOfDays(int days) {
  return Date(std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{days}}});
}

const int kHeadBirthMin = daysOf(1950, 1, 1);
const int kHeadBirthMax = daysOf(2000, 12, 31);
const int kLatestBirth = daysOf(2024, 12, 31);
const int kKkIssueFirst = daysOf(2005, 1, 1);
constexpr int kKkIssueDays = 7000;  // about 19 years of issue dates

uint64_t digitsOfDate(const Date& d, bool female) {
  return uint64_t(d.day() + (female ? 40 : 0)) * 10000 + uint64_t(d.month()) * 100 +
         uint64_t(d.year() % 100);
}

std::string composeName(uint64_t h, bool female) {
  uint64_t a = splitmix(h), b = splitmix(a), c = splitmix(b);
  std::string first;
  if (a % 3 == 0) {
    first = female ? std::string(pick(kFemaleStem, b)) + pick(kFemaleEnd, c)
                   : std::string(pick(kMaleStem, b)) + pick(kMaleEnd, c);
  } else {
    first = female ? pick(kFemaleGiven, b) : pick(kMaleGiven, b);
  }
  switch ((a >> 8) % 4) {
    case 0:
      return first;
    case 1:
    case 2:
      return first + " " + (female ? pick(kFemaleFamily, c >> 7) : pick(kMaleFamily, c >> 7));
    default: {
      uint64_t d = splitmix(c);
      std::string second = female ? pick(kFemaleGiven, d) : pick(kMaleGiven, d);
      if (second == first) return first + " " + (female ? pick(kFemaleFamily, d >> 9)
                                                       : pick(kMaleFamily, d >> 9));
      return first + " " + second + " " +
             (female ? pick(kFemaleFamily, d >> 9) : pick(kMaleFamily, d >> 9));
    }
  }
}

}  // namespace

// ---- the numeric skeleton -----------------------------------------------------------------

struct Population::Family {
  uint32_t district;  // index into wilayah_.districts()
  uint32_t village;   // index into the district's villages
  uint64_t h;         // family hash for details
  int headBirth;      // days since epoch
  bool headFemale;
};

struct Population::Skeleton {
  uint64_t familyId;
  unsigned member;      // 0 = head
  unsigned familySize;
  size_t firstIndex;    // population index of member 0
  Family fam;
  uint32_t nikDistrict;
  int birth;
  bool female;
  uint16_t serial;
  Resident::Kind kind;
  int role;  // 0 head, 1 spouse, 2 child
};

const char* kindName(Resident::Kind kind) {
  switch (kind) {
    case Resident::Kind::kFound: return "found";
    case Resident::Kind::kDeceased: return "deceased";
    case Resident::Kind::kDuplicate: return "duplicate";
    case Resident::Kind::kInactive: return "inactive";
  }
  return "found";
}

std::optional<Resident::Kind> parseKind(std::string_view name) {
  for (auto k : {Resident::Kind::kFound, Resident::Kind::kDeceased, Resident::Kind::kDuplicate,
                 Resident::Kind::kInactive})
    if (name == kindName(k)) return k;
  return std::nullopt;
}

uint64_t Population::pickDistrict(uint64_t h) const {
  uint64_t r = h % 100;
  const std::vector<uint32_t>& pool = r < 35 ? jabar_ : r < 55 ? purbalingga_
                                    : r < 75 ? karanganyar_ : elsewhere_;
  return pool[(h >> 8) % pool.size()];
}

Population::Family Population::family(uint64_t familyId) const {
  Family f{};
  f.h = mix(seed_, kTagFamily, familyId);
  f.district = uint32_t(pickDistrict(f.h));
  const auto& villages = wilayah_.villagesOf(wilayah_.districts()[f.district]);
  uint64_t h2 = splitmix(f.h);
  f.village = villages.empty() ? 0 : uint32_t(h2 % villages.size());
  f.headBirth = kHeadBirthMin + int((h2 >> 20) % uint64_t(kHeadBirthMax - kHeadBirthMin + 1));
  f.headFemale = (h2 >> 50) % 100 < 15;
  return f;
}

Population::Skeleton Population::skeleton(size_t i) const {
  Skeleton s{};
  size_t block = i / kBlock;
  unsigned pos = unsigned(i % kBlock);
  uint64_t bh = mix(seed_, kTagBlock, block);
  // Household sizes: 5 (35 %), 4 (25 %), 3 (20 %), 2 (10 %), 1 (10 %); the rest of the block
  // is a second, smaller family.
  uint64_t r = bh % 100;
  unsigned a = r < 35 ? 5 : r < 60 ? 4 : r < 80 ? 3 : r < 90 ? 2 : 1;
  bool first = pos < a;
  s.familyId = uint64_t(block) * 2 + (first ? 0 : 1);
  s.member = first ? pos : pos - a;
  s.familySize = first ? a : unsigned(kBlock) - a;
  s.firstIndex = block * kBlock + (first ? 0 : a);
  s.fam = family(s.familyId);

  uint64_t ph = mix(seed_, kTagPerson, i);
  bool hasSpouse = !s.fam.headFemale && s.familySize >= 2;
  if (s.member == 0) {
    s.role = 0;
    s.female = s.fam.headFemale;
    s.birth = s.fam.headBirth;
  } else if (s.member == 1 && hasSpouse) {
    s.role = 1;
    s.female = true;
    s.birth = std::clamp(s.fam.headBirth - 6 * 365 + int(ph % (10 * 365)), kHeadBirthMin - 3650,
                         kHeadBirthMax);
  } else {
    s.role = 2;
    s.female = (ph >> 3) % 2 == 1;
    unsigned k = s.member - (hasSpouse ? 2 : 1);
    s.birth = s.fam.headBirth + 20 * 365 + int(k) * 700 + int((ph >> 5) % 600);
    if (s.birth > kLatestBirth) s.birth = kLatestBirth - int((ph >> 17) % 1500);
  }
  // One in ten got their NIK in another district before moving to this address.
  uint64_t mv = mix(seed_, kTagMoved, i);
  s.nikDistrict = mv % 10 == 0 ? uint32_t(pickDistrict(mv >> 4)) : s.fam.district;
  s.serial = uint16_t(1 + mix(seed_, kTagSerial, i) % 9999);
  uint64_t kh = mix(seed_, kTagKind, i) % 1000;
  s.kind = kh < 30 ? Resident::Kind::kDeceased
         : kh < 40 ? Resident::Kind::kDuplicate
         : kh < 50 ? Resident::Kind::kInactive : Resident::Kind::kFound;
  return s;
}

uint64_t Population::nikNumber(const Skeleton& s, size_t i) const {
  uint16_t serial = s.serial;
  if (!serialOverride_.empty()) {
    auto it = serialOverride_.find(uint32_t(i));
    if (it != serialOverride_.end()) serial = it->second;
  }
  return district6_[s.nikDistrict] * 10'000'000'000ULL +
         digitsOfDate(dateOfDays(s.birth), s.female) * 10'000ULL + serial;
}

// ---- construction: the compact index ------------------------------------------------------

Population::Population(const Wilayah& wilayah, uint64_t seed, size_t size)
    : wilayah_(wilayah), seed_(seed), size_(size) {
  if (size == 0 || size > 50'000'000)
    throw std::invalid_argument("population: size must be 1..50000000, got " +
                                std::to_string(size));
  const auto& ds = wilayah_.districts();
  district6_.reserve(ds.size());
  for (uint32_t k = 0; k < ds.size(); ++k) {
    const std::string& d = ds[k];  // "33.03.01"
    district6_.push_back(std::stoull(d.substr(0, 2) + d.substr(3, 2) + d.substr(6, 2)));
    if (wilayah_.villagesOf(d).empty()) continue;  // an address needs a village
    if (d.compare(0, 3, "32.") == 0) jabar_.push_back(k);
    else if (d.compare(0, 6, "33.03.") == 0) purbalingga_.push_back(k);
    else if (d.compare(0, 6, "33.13.") == 0) karanganyar_.push_back(k);
    else elsewhere_.push_back(k);
  }
  if (jabar_.empty() || purbalingga_.empty() || karanganyar_.empty() || elsewhere_.empty())
    throw std::runtime_error(
        "population: wilayah data lacks districts with villages for 32, 33.03, 33.13 or "
        "elsewhere");

  struct Entry {
    uint64_t nik;
    uint32_t idx;
  };
  std::vector<Entry> entries(size);
  for (size_t i = 0; i < size; ++i) entries[i] = {nikNumber(skeleton(i), i), uint32_t(i)};
  auto byNik = [](const Entry& x, const Entry& y) {
    return x.nik != y.nik ? x.nik < y.nik : x.idx < y.idx;
  };
  std::sort(entries.begin(), entries.end(), byNik);

  // Two people drew the same district, birth date and serial: the later index takes the
  // next free serial, as a registry office would issue it.
  std::vector<size_t> clashes;
  for (size_t k = 1; k < entries.size(); ++k)
    if (entries[k].nik == entries[k - 1].nik) clashes.push_back(k);
  if (!clashes.empty()) {
    std::unordered_set<uint64_t> taken;
    auto present = [&](uint64_t nik) {
      if (taken.count(nik)) return true;
      auto it = std::lower_bound(entries.begin(), entries.end(), nik,
                                 [](const Entry& e, uint64_t v) { return e.nik < v; });
      return it != entries.end() && it->nik == nik;
    };
    for (size_t k : clashes) {
      uint64_t base = entries[k].nik - entries[k].nik % 10'000;
      uint16_t serial = uint16_t(entries[k].nik % 10'000);
      for (int tries = 0; tries < 9999; ++tries) {
        serial = uint16_t(serial % 9999 + 1);
        if (!present(base + serial)) break;
      }
      if (present(base + serial))
        throw std::runtime_error("population: no free serial (population too dense)");
      serialOverride_[entries[k].idx] = serial;
      taken.insert(base + serial);
    }
    for (size_t k : clashes) {
      uint32_t idx = entries[k].idx;
      entries[k].nik = entries[k].nik - entries[k].nik % 10'000 + serialOverride_[idx];
    }
    std::sort(entries.begin(), entries.end(), byNik);
  }
  sortedNik_.resize(size);
  sortedIdx_.resize(size);
  for (size_t k = 0; k < size; ++k) {
    sortedNik_[k] = entries[k].nik;
    sortedIdx_[k] = entries[k].idx;
  }
}

// ---- lookups ------------------------------------------------------------------------------

std::optional<size_t> Population::indexOf(std::string_view nik) const {
  if (nik.size() != 16) return std::nullopt;
  uint64_t v = 0;
  for (char c : nik) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + uint64_t(c - '0');
  }
  auto it = std::lower_bound(sortedNik_.begin(), sortedNik_.end(), v);
  if (it == sortedNik_.end() || *it != v) return std::nullopt;
  return sortedIdx_[size_t(it - sortedNik_.begin())];
}

std::optional<Resident> Population::find(std::string_view nik) const {
  auto i = indexOf(nik);
  if (!i) return std::nullopt;
  return at(*i);
}

Resident::Kind Population::kindAt(size_t i) const {
  if (i >= size_) throw std::out_of_range("population: index out of range");
  return skeleton(i).kind;
}

Resident Population::at(size_t i) const {
  if (i >= size_) throw std::out_of_range("population: index out of range");
  const Skeleton s = skeleton(i);
  const auto& ds = wilayah_.districts();
  const std::string& district = ds[s.fam.district];  // "33.03.01"
  const std::string& village = wilayah_.villagesOf(district)[s.fam.village];
  const std::string prop = district.substr(0, 2), kab = district.substr(0, 5);
  const uint64_t dh = mix(seed_, kTagDetail, i);
  const Date birth = dateOfDays(s.birth);
  const int birthYear = birth.year();

  Resident r;
  r.kind = s.kind;
  r.nik = pad(nikNumber(s, i), 16);
  // NO_KK: family's district + issue date + serial; (issue day, serial) is a bijection of the
  // family id, so family cards never collide.
  {
    int issue = kKkIssueFirst + int(s.familyId % kKkIssueDays);
    uint64_t serial = s.familyId / kKkIssueDays + 1;
    r.noKk = pad(district6_[s.fam.district] * 10'000'000'000ULL +
                     digitsOfDate(dateOfDays(issue), false) * 10'000ULL + serial,
                 16);
  }
  r.nama = composeName(mix(seed_, kTagName, i), s.female);
  uint64_t th = splitmix(dh);
  r.tempatLahir = th % 100 < 85
                      ? placeName(*wilayah_.name(kab))
                      : placeName(*wilayah_.name(ds[pickDistrict(th >> 7)].substr(0, 5)));
  r.tanggalLahir = birth;
  r.jenisKelamin = s.female ? "PEREMPUAN" : "LAKI-LAKI";

  bool hasSpouse = !s.fam.headFemale && s.familySize >= 2;
  if (s.role == 0) {
    r.statHbkel = "KEPALA KELUARGA";
    r.statusKawin = hasSpouse ? "KAWIN"
                  : s.fam.headFemale ? ((dh >> 3) % 2 ? "CERAI MATI" : "CERAI HIDUP")
                  : (s.familySize == 1 ? "BELUM KAWIN" : "CERAI HIDUP");
  } else if (s.role == 1) {
    r.statHbkel = "ISTRI";
    r.statusKawin = "KAWIN";
  } else {
    r.statHbkel = "ANAK";
    r.statusKawin = (birthYear < 1998 && (dh >> 3) % 3 == 0) ? "KAWIN" : "BELUM KAWIN";
  }
  if (birthYear >= 2019) {
    r.pekerjaan = "BELUM/TIDAK BEKERJA";
    r.pendidikan = "TIDAK/BELUM SEKOLAH";
  } else if (birthYear >= 2003) {
    r.pekerjaan = "PELAJAR/MAHASISWA";
    r.pendidikan = birthYear >= 2012 ? "BELUM TAMAT SD/SEDERAJAT" : "SLTP/SEDERAJAT";
  } else {
    r.pekerjaan = (s.role == 1 && (dh >> 11) % 2 == 0) ? "MENGURUS RUMAH TANGGA"
                                                      : pick(kJobs, dh >> 13);
    constexpr std::array kEdu = {"TAMAT SD/SEDERAJAT", "SLTP/SEDERAJAT", "SLTA/SEDERAJAT",
                                 "SLTA/SEDERAJAT", "DIPLOMA I/II", "AKADEMI/DIPLOMA III/S. MUDA",
                                 "DIPLOMA IV/STRATA I", "STRATA II"};
    r.pendidikan = pick(kEdu, dh >> 17);
  }

  uint64_t fh = s.fam.h;
  r.alamat = (fh >> 3) % 2 == 0
                 ? std::string("JL. ") + pick(kStreets, fh >> 7) + " NO. " +
                       std::to_string(1 + (fh >> 13) % 120)
                 : std::string("DUSUN ") + pick(kDusun, fh >> 7);
  r.noRt = pad(1 + (fh >> 21) % 12, 3);
  r.noRw = pad(1 + (fh >> 27) % 9, 3);
  r.noProp = prop;
  r.propName = upper(*wilayah_.name(prop));
  r.noKab = district.substr(3, 2);
  r.kabName = upper(*wilayah_.name(kab));
  r.noKec = district.substr(6, 2);
  r.kecName = upper(*wilayah_.name(district));
  r.noKel = village.substr(9, 4);
  r.kelName = upper(*wilayah_.name(village));
  // FNV-1a of the village code (std::hash is not specified to be stable across libraries).
  uint64_t vh = 1469598103934665603ULL;
  for (char c : village) vh = (vh ^ uint8_t(c)) * 1099511628211ULL;
  r.kodePos = pad(20000 + splitmix(vh ^ seed_) % 70000, 5);

  constexpr std::array kAgama = {"ISLAM", "KRISTEN", "KATHOLIK", "HINDU", "BUDHA", "KONGHUCU"};
  uint64_t ar = (fh >> 33) % 1000;
  r.agama = kAgama[ar < 870 ? 0 : ar < 940 ? 1 : ar < 970 ? 2 : ar < 987 ? 3 : ar < 997 ? 4 : 5];
  // The mother: the head's wife for a child of a two-parent family, the head for a child of
  // a mother-headed family, otherwise a name of her own.
  if (s.role == 2 && hasSpouse) {
    r.namaIbu = composeName(mix(seed_, kTagName, s.firstIndex + 1), true);
  } else if (s.role == 2 && s.fam.headFemale) {
    r.namaIbu = composeName(mix(seed_, kTagName, s.firstIndex), true);
  } else {
    r.namaIbu = composeName(mix(seed_, kTagMother, i), true);
  }
  r.golDarah = pick(kBlood, dh >> 23);
  r.ektpStatus = birthYear > 2008 ? "BELUM WAJIB KTP-EL" : "SUDAH PEREKAMAN";
  if (birthYear >= 1985 && (dh >> 29) % 10 < 8) {
    r.noAktaLhr = district.substr(0, 2) + district.substr(3, 2) + "-LT-" + pad(birth.day(), 2) +
                  pad(birth.month(), 2) + pad(unsigned(birthYear), 4) + "-" +
                  pad(1 + (dh >> 33) % 9999, 4);
  }
  r.kewarganegaraan = "WNI";
  return r;
}

// ---- samples ------------------------------------------------------------------------------

std::vector<std::string> Population::sample(Resident::Kind kind, size_t n) const {
  std::vector<std::string> out;
  if (n == 0) return out;
  // Walk the population with a large prime stride (coprime to size): every index once, in
  // an order with no visible pattern.
  constexpr std::array<uint64_t, 4> kPrimes = {7'919'993ULL, 15'485'863ULL, 32'452'843ULL,
                                               49'979'687ULL};
  uint64_t stride = 1;
  for (uint64_t p : kPrimes)
    if (size_ % p != 0) {
      stride = p % size_ == 0 ? 1 : p;
      break;
    }
  if (std::gcd(stride, uint64_t(size_)) != 1) stride = 1;
  uint64_t idx = mix(seed_, kTagSample, uint64_t(kind)) % size_;
  for (size_t j = 0; j < size_ && out.size() < n; ++j) {
    if (skeleton(idx).kind == kind) out.push_back(pad(nikNumber(skeleton(idx), idx), 16));
    idx = (idx + stride) % size_;
  }
  return out;
}

std::vector<std::string> Population::absent(size_t n) const {
  std::vector<std::string> out;
  std::unordered_set<uint64_t> chosen;
  const auto& ds = wilayah_.districts();
  for (uint64_t k = 0; out.size() < n; ++k) {
    uint64_t h = mix(seed_, kTagAbsent, k);
    uint32_t d = uint32_t(h % ds.size());
    int birth = kHeadBirthMin + int((h >> 16) % uint64_t(daysOf(2010, 12, 31) - kHeadBirthMin));
    bool female = (h >> 40) % 2 == 1;
    uint64_t serial = 1 + (h >> 42) % 9999;
    uint64_t nik = district6_[d] * 10'000'000'000ULL +
                   digitsOfDate(dateOfDays(birth), female) * 10'000ULL + serial;
    if (std::binary_search(sortedNik_.begin(), sortedNik_.end(), nik)) continue;
    if (!chosen.insert(nik).second) continue;
    out.push_back(pad(nik, 16));
  }
  return out;
}

}  // namespace gerbang::sim
