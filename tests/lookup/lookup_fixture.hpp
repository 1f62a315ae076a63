// A whole lookup pipeline for tests: the real units on a real store (SQLite or PostgreSQL),
// the shipped manifests, a FixedClock, and a real gerbang-portal-sim subprocess.
#pragma once

#include "core/agreement/adendum_repository.hpp"
#include "core/agreement/agreement_service.hpp"
#include "core/lookup/lookup_host.hpp"
#include "sim/population/population.hpp"
#include "tests/portal/sim_process.hpp"
#include "tests/support/support.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gerbang::lookup::testing {

// The shipped manifest of one agreement (plugins/<id>/manifest.json).
plugin::Manifest shippedManifest(const std::string& id);

// The stand-in's synthetic population (same seed and size as its defaults).
const sim::Population& population();

// Users of the stand-in for these tests: the three default accounts plus accounts that
// trigger the registry's parameter refusals.
std::string simUsersJson();

inline constexpr const char* kJabar = "jabar-disnakertrans";
inline constexpr const char* kPurbalingga = "purbalingga-dinnaker";
inline constexpr const char* kKaranganyar = "karanganyar-ak1";

class LookupFixture : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // (Re)builds the store objects and the service. `purbalingga` overrides the registry
  // account of the Purbalingga agreement ({user, password}); empty = the default account.
  void build(std::pair<std::string, std::string> purbalingga = {});
  // Drops the service and everything on the store, then closes the database (a restart).
  void teardownHost();

  LookupAnswer lookup(const std::string& agreement, const std::string& op, const std::string& nik,
                      std::string purpose = "");
  // Hits the stand-in counted for one registry user.
  long simHits(const std::string& user);
  long simRequests(const std::string& user);
  // Moves the clock forward (so the pattern guard's rapid rule is not hit).
  void tick(int seconds = 30) { clock_.advance(std::chrono::seconds{seconds}); }

  static std::string purposeFor(const std::string& agreement);

  gerbang::testing::TempDir dir_;
  std::unique_ptr<gerbang::testing::TestDatabase> tdb_;
  std::unique_ptr<gerbang::testing::PortalSimProcess> sim_;
  FixedClock clock_{Date(2026, 11, 23)};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<agreement::AdendumRepository> adenda_;
  std::unique_ptr<agreement::AgreementService> agreements_;
  Poco::AutoPtr<Poco::Util::MapConfiguration> conf_;
  std::unique_ptr<LookupHost> host_;
  std::vector<plugin::Manifest> manifests_;
};

}  // namespace gerbang::lookup::testing
