#include "sim/population/population.hpp"

#include "tests/support/support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

namespace gerbang::sim {
namespace {

const Wilayah& wilayah() {
  static const Wilayah w = Wilayah::loadDefault();
  return w;
}

const Population& pop() {
  static const Population p(wilayah(), Population::kDefaultSeed, 20'000);
  return p;
}

// Checks a NIK against the registry's structure and the resident's own data.
void expectConsistent(const Resident& r) {
  ASSERT_EQ(r.nik.size(), 16u);
  for (char c : r.nik) ASSERT_TRUE(c >= '0' && c <= '9') << "non-digit in NIK";
  auto district = Wilayah::dottedDistrict(r.nik.substr(0, 6));
  ASSERT_TRUE(district);
  EXPECT_TRUE(wilayah().name(*district).has_value()) << "NIK district not in wilayah";
  int dd = std::stoi(r.nik.substr(6, 2));
  bool female = r.jenisKelamin == "PEREMPUAN";
  EXPECT_TRUE(female || r.jenisKelamin == "LAKI-LAKI");
  EXPECT_EQ(unsigned(dd - (female ? 40 : 0)), r.tanggalLahir.day());
  EXPECT_EQ(unsigned(std::stoi(r.nik.substr(8, 2))), r.tanggalLahir.month());
  EXPECT_EQ(std::stoi(r.nik.substr(10, 2)), r.tanggalLahir.year() % 100);
  int serial = std::stoi(r.nik.substr(12, 4));
  EXPECT_GE(serial, 1);
  EXPECT_LE(serial, 9999);
  // Address: real codes whose names match.
  std::string kec = r.noProp + "." + r.noKab + "." + r.noKec;
  ASSERT_TRUE(wilayah().name(kec).has_value());
  EXPECT_EQ(r.noKk.substr(0, 6), r.noProp + r.noKab + r.noKec);
  ASSERT_TRUE(wilayah().name(kec + "." + r.noKel).has_value());
  EXPECT_EQ(r.noKk.size(), 16u);
  EXPECT_FALSE(r.nama.empty());
  EXPECT_FALSE(r.namaIbu.empty());
  EXPECT_EQ(r.noRt.size(), 3u);
  EXPECT_EQ(r.noRw.size(), 3u);
  EXPECT_EQ(r.kodePos.size(), 5u);
  EXPECT_GE(r.tanggalLahir.year(), 1930);
  EXPECT_LE(r.tanggalLahir.year(), 2024);
}

TEST(Population, EveryResidentIsConsistent) {
  for (size_t i = 0; i < pop().size(); i += 7) {
    SCOPED_TRACE(i);
    expectConsistent(pop().at(i));
  }
}

TEST(Population, NiksAreUniqueAndFindReturnsTheSamePerson) {
  std::set<std::string> seen;
  for (size_t i = 0; i < pop().size(); ++i) {
    Resident r = pop().at(i);
    ASSERT_TRUE(seen.insert(r.nik).second) << "duplicate NIK at index " << i;
    auto idx = pop().indexOf(r.nik);
    ASSERT_TRUE(idx);
    ASSERT_EQ(*idx, i);
  }
  auto r = pop().find(pop().at(123).nik);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->nama, pop().at(123).nama);
}

TEST(Population, DeterministicForTheSeedAndDifferentForAnother) {
  Population again(wilayah(), Population::kDefaultSeed, 20'000);
  Population other(wilayah(), Population::kDefaultSeed + 1, 20'000);
  int differ = 0;
  for (size_t i = 0; i < 1000; ++i) {
    Resident a = pop().at(i), b = again.at(i), c = other.at(i);
    EXPECT_EQ(a.nik, b.nik);
    EXPECT_EQ(a.nama, b.nama);
    EXPECT_EQ(a.alamat, b.alamat);
    EXPECT_EQ(a.kind, b.kind);
    if (a.nik != c.nik) ++differ;
  }
  EXPECT_GT(differ, 990);
  EXPECT_EQ(pop().sample(Resident::Kind::kFound, 50), again.sample(Resident::Kind::kFound, 50));
  EXPECT_EQ(pop().absent(50), again.absent(50));
}

TEST(Population, FamiliesShareKkAddressAndRegion) {
  std::map<std::string, std::vector<Resident>> byKk;
  for (size_t i = 0; i < 5000; ++i) {
    Resident r = pop().at(i);
    byKk[r.noKk].push_back(r);
  }
  size_t multi = 0;
  for (const auto& [kk, members] : byKk) {
    int heads = 0;
    for (const auto& m : members) {
      EXPECT_EQ(m.alamat, members[0].alamat);
      EXPECT_EQ(m.noKel, members[0].noKel);
      EXPECT_EQ(m.kelName, members[0].kelName);
      EXPECT_EQ(m.noRt, members[0].noRt);
      if (m.statHbkel == "KEPALA KELUARGA") ++heads;
    }
    EXPECT_EQ(heads, 1) << "a family has exactly one head";
    if (members.size() > 1) ++multi;
  }
  EXPECT_GT(multi, 500u);
}

TEST(Population, RegionsAndKindsAreRepresented) {
  std::map<std::string, int> kab;
  std::map<Resident::Kind, int> kinds;
  int female = 0;
  const int n = 20'000;
  for (int i = 0; i < n; ++i) {
    Resident r = pop().at(size_t(i));
    kab[r.noProp + "." + r.noKab] += 1;
    kab[r.noProp] += 1;
    kinds[r.kind] += 1;
    if (r.jenisKelamin == "PEREMPUAN") ++female;
  }
  EXPECT_GT(kab["32"], n * 30 / 100);
  EXPECT_GT(kab["33.03"], n * 16 / 100);
  EXPECT_GT(kab["33.13"], n * 16 / 100);
  EXPECT_GT(kab.size(), 200u);  // elsewhere too
  EXPECT_GT(kinds[Resident::Kind::kDeceased], n * 2 / 100);
  EXPECT_GT(kinds[Resident::Kind::kDuplicate], n / 200);
  EXPECT_GT(kinds[Resident::Kind::kInactive], n / 200);
  EXPECT_GT(kinds[Resident::Kind::kFound], n * 90 / 100);
  EXPECT_GT(female, n * 35 / 100);
  EXPECT_LT(female, n * 65 / 100);
}

TEST(Population, SampleGivesDistinctNiksOfTheKindNotSequential) {
  for (auto kind : {Resident::Kind::kFound, Resident::Kind::kDeceased,
                    Resident::Kind::kDuplicate, Resident::Kind::kInactive}) {
    auto niks = pop().sample(kind, 40);
    ASSERT_EQ(niks.size(), 40u);
    std::set<std::string> distinct(niks.begin(), niks.end());
    EXPECT_EQ(distinct.size(), 40u);
    for (const auto& nik : niks) {
      auto r = pop().find(nik);
      ASSERT_TRUE(r);
      EXPECT_EQ(r->kind, kind);
    }
    int adjacent = 0;
    for (size_t k = 1; k < niks.size(); ++k)
      if (std::stoull(niks[k]) == std::stoull(niks[k - 1]) + 1) ++adjacent;
    EXPECT_EQ(adjacent, 0);
  }
  Population tiny(wilayah(), 1, 10);
  size_t found = 0;
  for (size_t i = 0; i < tiny.size(); ++i)
    if (tiny.kindAt(i) == Resident::Kind::kFound) ++found;
  EXPECT_EQ(tiny.sample(Resident::Kind::kFound, 100).size(), found);
}

TEST(Population, AbsentNiksAreWellFormedAndNotFound) {
  auto niks = pop().absent(500);
  ASSERT_EQ(niks.size(), 500u);
  std::set<std::string> distinct(niks.begin(), niks.end());
  EXPECT_EQ(distinct.size(), 500u);
  for (const auto& nik : niks) {
    ASSERT_EQ(nik.size(), 16u);
    EXPECT_FALSE(pop().find(nik).has_value());
    auto d = Wilayah::dottedDistrict(nik.substr(0, 6));
    ASSERT_TRUE(d);
    EXPECT_TRUE(wilayah().name(*d).has_value());
    int dd = std::stoi(nik.substr(6, 2));
    EXPECT_TRUE((dd >= 1 && dd <= 31) || (dd >= 41 && dd <= 71));
  }
}

TEST(Population, FindRejectsMalformedInput) {
  EXPECT_FALSE(pop().find("").has_value());
  EXPECT_FALSE(pop().find("12345").has_value());
  std::string nik = pop().at(0).nik;
  EXPECT_FALSE(pop().find(nik + "0").has_value());
  nik[3] = 'x';
  EXPECT_FALSE(pop().find(nik).has_value());
  EXPECT_THROW(pop().at(pop().size()), std::out_of_range);
  EXPECT_THROW(Population(wilayah(), 1, 0), std::invalid_argument);
}

TEST(Population, DenseDistrictsStillGiveUniqueNiksThatRoundTrip) {
  // Four districts for 200,000 people: birth-date/serial clashes are certain, and each must
  // be resolved to a free serial that find() knows.
  testing::TempDir dir;
  std::ofstream(dir / "w.csv") << "kode,nama\n32,Jawa Barat\n32.01,Kabupaten Bogor\n"
                                  "32.01.01,Cibinong\n32.01.01.1001,Pakansari\n"
                                  "33,Jawa Tengah\n33.03,Kabupaten Purbalingga\n"
                                  "33.03.01,Kemangkon\n33.03.01.2001,Kedungbenda\n"
                                  "33.13,Kabupaten Karanganyar\n33.13.01,Jatipuro\n"
                                  "33.13.01.2001,Jatipurwo\n"
                                  "11,Aceh\n11.01,Kabupaten Aceh Selatan\n11.01.01,Bakongan\n"
                                  "11.01.01.2001,Keude Bakongan\n";
  Wilayah tiny = Wilayah::load(dir / "w.csv");
  Population dense(tiny, 7, 200'000);
  std::set<std::string> seen;
  for (size_t i = 0; i < dense.size(); ++i) {
    const std::string nik = dense.at(i).nik;
    ASSERT_TRUE(seen.insert(nik).second) << "duplicate NIK at index " << i;
    ASSERT_EQ(dense.indexOf(nik), i);
  }
}

TEST(Population, KindNamesRoundTrip) {
  for (auto k : {Resident::Kind::kFound, Resident::Kind::kDeceased, Resident::Kind::kDuplicate,
                 Resident::Kind::kInactive})
    EXPECT_EQ(parseKind(kindName(k)), k);
  EXPECT_FALSE(parseKind("absent").has_value());
}

}  // namespace
}  // namespace gerbang::sim
