#include "tests/support/support.hpp"

#include <Poco/Data/Session.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/UUIDGenerator.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace fs = std::filesystem;
using Poco::Data::Keywords::now;

namespace gerbang::testing {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

std::string uniqueName() {
  std::string u = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
  std::string out;
  for (char c : u)
    if (c != '-') out += c;
  return out.substr(0, 16);
}

}  // namespace

fs::path sourceDir() {
  std::string s = env("GERBANG_SOURCE_DIR");
  return s.empty() ? fs::path(GERBANG_TEST_SOURCE_DIR) : fs::path(s);
}

fs::path binaryDir() {
  std::string s = env("GERBANG_BINARY_DIR");
  return s.empty() ? fs::path(GERBANG_TEST_BINARY_DIR) : fs::path(s);
}

bool inCi() { return env("CI") == "true" || env("CI") == "1"; }

TempDir::TempDir() {
  std::string leaf = "t";
  leaf.append(uniqueName());  // not `"t" + ...`: gcc 12 -O2 reports a false -Wrestrict
  path_ = binaryDir() / "test-tmp" / leaf;
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  if (env("GERBANG_KEEP_TEST_FILES").empty()) {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
}

std::vector<store::Backend> storeBackends() {
  // Both backends always: a store test without a PostgreSQL server fails with a clear
  // message (TestDatabase) instead of silently not existing.
  return {store::Backend::kSqlite, store::Backend::kPostgres};
}

std::string backendName(store::Backend b) {
  return b == store::Backend::kSqlite ? "SQLite" : "PostgreSQL";
}

TestDatabase::TestDatabase(store::Backend backend, const fs::path& dir) {
  config_.backend = backend;
  if (backend == store::Backend::kSqlite) {
    std::string file = "store-";
    file.append(uniqueName()).append(".db");
    config_.sqlitePath = (dir / file).string();
    return;
  }
  std::string dsn = env("GERBANG_TEST_PG_DSN");
  if (dsn.empty())
    throw std::runtime_error(
        "GERBANG_TEST_PG_DSN is not set: start PostgreSQL with "
        "`eval \"$(scripts/services.sh postgres)\"` (scripts/test.sh does this)");
  schema_ = "t_";
  schema_.append(uniqueName());
  {
    store::Database admin(store::DatabaseConfig{store::Backend::kPostgres, "", dsn, 1});
    Poco::Data::Session s = admin.session();
    s << "CREATE SCHEMA " + schema_, now;
  }
  config_.postgresDsn = dsn + " options='-csearch_path=" + schema_ + "'";
}

TestDatabase::~TestDatabase() {
  if (schema_.empty()) return;
  try {
    store::Database admin(
        store::DatabaseConfig{store::Backend::kPostgres, "", env("GERBANG_TEST_PG_DSN"), 1});
    Poco::Data::Session s = admin.session();
    s << "DROP SCHEMA " + schema_ + " CASCADE", now;
  } catch (...) {
  }
}

std::string TestDatabase::uri() const {
  return config_.backend == store::Backend::kSqlite ? "sqlite:" + config_.sqlitePath
                                                    : "postgresql:" + config_.postgresDsn;
}

int freeLoopbackPort() {
  Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
  return s.address().port();
}

std::vector<ScanHit> scanFiles(const fs::path& root, const std::vector<std::string>& needles) {
  std::vector<ScanHit> hits;
  if (!fs::exists(root)) return hits;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const auto& n : needles)
      if (!n.empty() && content.find(n) != std::string::npos) hits.push_back({e.path(), n});
  }
  return hits;
}

}  // namespace gerbang::testing
