#include "core/compliance/minimiser.hpp"
#include "core/plugin/manifest.hpp"
#include "tests/support/support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace gerbang::compliance {
namespace {

// A synthetic registry answer with every field the portal can send, including those no
// agreement permits.
RegistryRecord superset() {
  RegistryRecord r;
  for (auto e : plugin::kElements) r[std::string(e)] = "v-" + std::string(e);
  for (auto p : plugin::kAddressParts) r[std::string(p)] = "v-" + std::string(p);
  for (const char* extra :
       {"AGAMA", "NAMA_LGKP_IBU", "NAMA_LGKP_AYAH", "GOL_DARAH", "PDDK_AKH", "STAT_HBKEL",
        "EKTP_STATUS", "NO_AKTA_LHR", "NO_AKTA_KWN", "PENYANDANG_CACAT"})
    r[extra] = std::string("v-") + extra;
  return r;
}

const std::vector<std::string> kJabarElements{"NO_KK",        "NIK",         "NAMA_LGKP",
                                              "TMPT_LHR",     "TGL_LHR",     "JENIS_KLMIN",
                                              "STATUS_KAWIN", "JENIS_PKRJN", "ALAMAT"};
const std::vector<std::string> kJabarParts{"ALAMAT",   "NO_PROP",  "PROP_NAME", "NO_KAB",
                                           "KAB_NAME", "NO_KEC",   "KEC_NAME",  "NO_KEL",
                                           "KEL_NAME", "KODE_POS", "NO_RT",     "NO_RW"};
// PKS 400.12/2430/2025: 8 elements (no Nomor KK); address: alamat, nama provinsi, nama
// kab/kota, kode + nama kecamatan, nama desa/kelurahan, RT, RW.
const std::vector<std::string> kPurbalinggaElements{"NIK",         "NAMA_LGKP",   "TMPT_LHR",
                                                    "TGL_LHR",     "JENIS_KLMIN", "STATUS_KAWIN",
                                                    "JENIS_PKRJN", "ALAMAT"};
const std::vector<std::string> kPurbalinggaParts{"ALAMAT",   "PROP_NAME", "KAB_NAME", "NO_KEC",
                                                 "KEC_NAME", "KEL_NAME",  "NO_RT",    "NO_RW"};

TEST(MinimiserTest, JawaBaratKeepsItsNineElementsAndAllAddressParts) {
  Minimiser m(kJabarElements, kJabarParts);
  Minimised out = m.project(superset());
  EXPECT_EQ(out.keptFields,
            (std::vector<std::string>{"ALAMAT",    "JENIS_KLMIN",  "JENIS_PKRJN", "KAB_NAME",
                                      "KEC_NAME",  "KEL_NAME",     "KODE_POS",    "NAMA_LGKP",
                                      "NIK",       "NO_KAB",       "NO_KEC",      "NO_KEL",
                                      "NO_KK",     "NO_PROP",      "NO_RT",       "NO_RW",
                                      "PROP_NAME", "STATUS_KAWIN", "TGL_LHR",     "TMPT_LHR"}));
  EXPECT_EQ(out.record.size(), out.keptFields.size());
  EXPECT_EQ(out.record.at("NAMA_LGKP"), "v-NAMA_LGKP");
  EXPECT_EQ(out.record.count("AGAMA"), 0u);
}

TEST(MinimiserTest, PurbalinggaNeverSeesNoKkNorUnlistedAddressParts) {
  Minimiser m(kPurbalinggaElements, kPurbalinggaParts);
  Minimised out = m.project(superset());
  for (const char* gone :
       {"NO_KK", "NO_PROP", "NO_KAB", "NO_KEL", "KODE_POS", "AGAMA", "NAMA_LGKP_IBU", "GOL_DARAH",
        "PDDK_AKH", "STAT_HBKEL", "EKTP_STATUS", "NO_AKTA_LHR"})
    EXPECT_EQ(out.record.count(gone), 0u) << gone;
  EXPECT_EQ(out.keptFields, (std::vector<std::string>{
                                "ALAMAT", "JENIS_KLMIN", "JENIS_PKRJN", "KAB_NAME", "KEC_NAME",
                                "KEL_NAME", "NAMA_LGKP", "NIK", "NO_KEC", "NO_RT", "NO_RW",
                                "PROP_NAME", "STATUS_KAWIN", "TGL_LHR", "TMPT_LHR"}));
}

TEST(MinimiserTest, AddressPartsCountOnlyWithTheAlamatElement) {
  Minimiser m({"NIK", "NAMA_LGKP"}, {"NO_RT", "NO_RW"});
  Minimised out = m.project(superset());
  EXPECT_EQ(out.keptFields, (std::vector<std::string>{"NAMA_LGKP", "NIK"}));
  // ALAMAT element with parts but without the street part: the street is dropped.
  Minimiser parts({"NIK", "ALAMAT"}, {"KAB_NAME"});
  EXPECT_EQ(parts.project(superset()).keptFields, (std::vector<std::string>{"KAB_NAME", "NIK"}));
}

TEST(MinimiserTest, AlamatWithoutItemisedPartsKeepsOnlyTheStreetLine) {
  Minimiser m({"NIK", "ALAMAT"}, {});
  EXPECT_EQ(m.project(superset()).keptFields, (std::vector<std::string>{"ALAMAT", "NIK"}));
}

TEST(MinimiserTest, MissingFieldsStayMissing) {
  Minimiser m(kJabarElements, kJabarParts);
  Minimised out = m.project(RegistryRecord{{"NIK", "x"}, {"AGAMA", "y"}});
  EXPECT_EQ(out.keptFields, std::vector<std::string>{"NIK"});
  EXPECT_TRUE(m.project(RegistryRecord{}).record.empty());
}

TEST(MinimiserTest, MovingProjectionLeavesNothingBehind) {
  Minimiser m(kPurbalinggaElements, kPurbalinggaParts);
  RegistryRecord r = superset();
  Minimised copied = m.project(r);
  Minimised moved = m.project(std::move(r));
  EXPECT_TRUE(r.empty());  // NOLINT(bugprone-use-after-move): cleared by contract
  EXPECT_EQ(moved.record, copied.record);
  EXPECT_EQ(moved.keptFields, copied.keptFields);
}

TEST(MinimiserTest, RefusesElementsNoAgreementMayHave) {
  EXPECT_THROW(Minimiser({"NIK", "AGAMA"}, {}), std::invalid_argument);
  EXPECT_THROW(Minimiser({"NIK"}, {"GOL_DARAH"}), std::invalid_argument);
  try {
    Minimiser({"NIK", "NAMA_LGKP_IBU"}, {});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'NAMA_LGKP_IBU'"), std::string::npos);
  }
}

// The shipped plugins' own manifests, through the real parser.
TEST(MinimiserTest, ShippedAgreementsProjectOntoTheirManifests) {
  for (const char* agency : {"jabar-disnakertrans", "purbalingga-dinnaker", "karanganyar-ak1"}) {
    const auto file = gerbang::testing::sourceDir() / "plugins" / agency / "manifest.json";
    std::ifstream in(file);
    ASSERT_TRUE(in) << file;
    std::stringstream text;
    text << in.rdbuf();
    auto manifest = plugin::parseManifest(text.str());
    ASSERT_TRUE(manifest.ok()) << agency << ": " << manifest.error().detail;
    Minimiser m(manifest->elements, manifest->addressParts);
    Minimised out = m.project(superset());
    std::set<std::string> allowed(manifest->elements.begin(), manifest->elements.end());
    allowed.insert(manifest->addressParts.begin(), manifest->addressParts.end());
    for (const auto& f : out.keptFields) EXPECT_EQ(allowed.count(f), 1u) << agency << " " << f;
    EXPECT_EQ(out.record.count("AGAMA"), 0u) << agency;
    EXPECT_EQ(out.record.count("NIK"), 1u) << agency;
    if (std::string(agency) == "purbalingga-dinnaker") {
      EXPECT_EQ(out.record.count("NO_KK"), 0u);
    } else {
      EXPECT_EQ(out.record.count("NO_KK"), 1u) << agency;
    }
  }
}

}  // namespace
}  // namespace gerbang::compliance
