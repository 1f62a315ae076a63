#include "tests/lookup/lookup_fixture.hpp"

#include "sim/population/wilayah.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace gerbang::lookup::testing {

namespace fs = std::filesystem;

plugin::Manifest shippedManifest(const std::string& id) {
  std::ifstream in(gerbang::testing::sourceDir() / "plugins" / id / "manifest.json");
  std::stringstream s;
  s << in.rdbuf();
  auto m = plugin::parseManifest(s.str());
  if (!m.ok()) throw std::runtime_error("manifest " + id + ": " + m.error().detail);
  return m.value();
}

const sim::Population& population() {
  static const sim::Wilayah w = sim::Wilayah::loadDefault();
  static const sim::Population p(w, sim::Population::kDefaultSeed, sim::Population::kDefaultSize);
  return p;
}

std::string simUsersJson() {
  return R"({"users":[
  {"user_id":"jabar-disnakertrans-01","password":"sim-jabar-rahasia","lembaga":"DISNAKERTRANS_JABAR","daily_quota":75},
  {"user_id":"purbalingga-dinnaker-01","password":"sim-purbalingga-rahasia","lembaga":"DINNAKER_PURBALINGGA","daily_quota":200},
  {"user_id":"karanganyar-ak1-01","password":"sim-karanganyar-rahasia","lembaga":"DISDAGNAKERKOP_KARANGANYAR","daily_quota":1000},
  {"user_id":"pbg-quota-1","password":"pw-quota","daily_quota":1},
  {"user_id":"pbg-agency-off","password":"pw-agency","institution_active":false},
  {"user_id":"pbg-user-off","password":"pw-user","user_active":false},
  {"user_id":"pbg-other-ip","password":"pw-ip","client_ip":"127.0.0.9"}
]})";
}

void LookupFixture::SetUp() {
  tdb_ = std::make_unique<gerbang::testing::TestDatabase>(GetParam(), dir_.path());
  {
    std::ofstream u(dir_ / "users.json");
    u << simUsersJson();
  }
  sim_ = std::make_unique<gerbang::testing::PortalSimProcess>(
      std::vector<std::string>{"--config", (dir_ / "users.json").string(), "--today",
                               "2026-11-23", "--access-log", "none"},
      dir_ / "sim.err");
  {
    std::ofstream k(dir_ / "audit.key");
    k << "# test key\n" << std::string(64, 'a') << "\n";
  }
  fs::permissions(dir_ / "audit.key", fs::perms::owner_read | fs::perms::owner_write,
                  fs::perm_options::replace);
  manifests_ = {shippedManifest(kJabar), shippedManifest(kPurbalingga),
                shippedManifest(kKaranganyar)};
  build();

  // The Jawa Barat PKS ended on 2023-06-18; an Adendum extends it (as in the demo).
  agreement::Adendum ad;
  ad.agencyId = kJabar;
  ad.number = "UJI/ADD/001";
  ad.date = Date(2026, 1, 5);
  ad.newEnd = Date(2028, 1, 4);
  ad.recordedBy = "test";
  ASSERT_TRUE(agreements_->addAdendum(ad).ok());

  auto& ops = host_->operators();
  auto add = [&](std::string id, op::Role role, std::vector<std::string> ags, bool nda) {
    op::Operator o;
    o.userId = std::move(id);
    o.fullName = "Operator Uji " + o.userId;
    o.role = role;
    o.agreements = std::move(ags);
    if (nda) o.nda = op::Nda{"NDA/UJI/" + o.userId, Date(2026, 1, 10)};
    ASSERT_TRUE(ops.add(o).ok()) << o.userId;
  };
  add("op-jabar", op::Role::kOperator, {kJabar}, true);
  add("op-pbg", op::Role::kOperator, {kPurbalingga}, true);
  add("op-pbg2", op::Role::kOperator, {kPurbalingga}, true);
  add("op-kra", op::Role::kOperator, {kKaranganyar}, true);
  add("op-nonda", op::Role::kOperator, {kPurbalingga}, false);
  add("op-off", op::Role::kOperator, {kPurbalingga}, true);
  add("sup", op::Role::kSupervisor, {kJabar, kPurbalingga, kKaranganyar}, true);
  ASSERT_TRUE(ops.setActive("op-off", false).ok());
  for (const char* ag : {kJabar, kPurbalingga})
    ASSERT_TRUE(ops.recordSptjm({ag, std::string("SPTJM/UJI/") + ag, Date(2026, 1, 6),
                                 "Kepala Dinas Uji", "Kepala Dinas"})
                    .ok());
}

void LookupFixture::TearDown() {
  teardownHost();
  sim_.reset();
  tdb_.reset();
}

void LookupFixture::teardownHost() {
  host_.reset();
  agreements_.reset();
  adenda_.reset();
  db_.reset();
}

void LookupFixture::build(std::pair<std::string, std::string> purbalingga) {
  teardownHost();
  db_ = std::make_unique<store::Database>(tdb_->config());
  adenda_ = std::make_unique<agreement::AdendumRepository>(*db_);
  agreements_ = std::make_unique<agreement::AgreementService>(manifests_, *adenda_, clock_);
  conf_ = new Poco::Util::MapConfiguration;
  conf_->setString("audit.key_file", (dir_ / "audit.key").string());
  conf_->setString("portal.url", sim_->baseUrl());
  conf_->setString("portal.client_ip", "127.0.0.1");
  conf_->setString("portal.connect_timeout_ms", "2000");
  conf_->setString("portal.read_timeout_ms", "5000");
  conf_->setString("portal.max_connections", "16");
  auto account = [&](const std::string& ag, const std::string& user, const std::string& pw,
                     const std::string& lembaga) {
    conf_->setString("agreement." + ag + ".portal.user_id", user);
    conf_->setString("agreement." + ag + ".portal.password", pw);
    conf_->setString("agreement." + ag + ".portal.dialect.lembaga", lembaga);
  };
  account(kJabar, "jabar-disnakertrans-01", "sim-jabar-rahasia", "DISNAKERTRANS_JABAR");
  if (purbalingga.first.empty())
    account(kPurbalingga, "purbalingga-dinnaker-01", "sim-purbalingga-rahasia",
            "DINNAKER_PURBALINGGA");
  else
    account(kPurbalingga, purbalingga.first, purbalingga.second, "DINNAKER_PURBALINGGA");
  // Karanganyar deliberately has no registry account configured.
  host_ = std::make_unique<LookupHost>(*conf_, *db_, *agreements_, clock_);
}

std::string LookupFixture::purposeFor(const std::string& agreement) {
  if (agreement == kJabar) return "AK1-3273-2026-000123";
  if (agreement == kPurbalingga) return "PLT-3303-2026-00017";
  return "AK1-3313-202611-000457";
}

LookupAnswer LookupFixture::lookup(const std::string& agreement, const std::string& op,
                                   const std::string& nik, std::string purpose) {
  LookupRequest r;
  r.agreementId = agreement;
  r.operatorId = op;
  r.nik = nik;
  r.purposeRef = purpose.empty() ? purposeFor(agreement) : std::move(purpose);
  return host_->service().lookup(r);
}

namespace {
long statOf(const std::string& json, const std::string& user, const std::string& key) {
  Poco::JSON::Object::Ptr o = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
  Poco::JSON::Object::Ptr users = o->getObject("users");
  if (!users || !users->has(user)) return 0;
  return users->getObject(user)->getValue<long>(key);
}
}  // namespace

long LookupFixture::simHits(const std::string& user) {
  return statOf(sim_->get("/sim/stats"), user, "hits");
}
long LookupFixture::simRequests(const std::string& user) {
  return statOf(sim_->get("/sim/stats"), user, "requests");
}

}  // namespace gerbang::lookup::testing
