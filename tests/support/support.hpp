// Shared test helpers. Tests use real parts: real SQLite files, a real PostgreSQL server,
// real loopback sockets, real subprocesses.
#pragma once

#include "core/store/database.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace gerbang::testing {

// The source and build trees (set by CTest through the environment).
std::filesystem::path sourceDir();
std::filesystem::path binaryDir();

// True when running in CI (env CI=true): a missing component is then a failure, never a
// skip.
bool inCi();

// A fresh directory under the build tree's test area, removed on destruction unless the
// environment sets GERBANG_KEEP_TEST_FILES.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// A database for one test: a new SQLite file in `dir`, or a new, empty PostgreSQL schema on
// the server named by GERBANG_TEST_PG_DSN (dropped at destruction).
class TestDatabase {
 public:
  TestDatabase(store::Backend backend, const std::filesystem::path& dir);
  ~TestDatabase();
  store::DatabaseConfig config() const { return config_; }
  std::string uri() const;

 private:
  store::DatabaseConfig config_;
  std::string schema_;
};

// The backends every store test runs on: SQLite and PostgreSQL (the server named by
// GERBANG_TEST_PG_DSN; without it the PostgreSQL cases fail, they are never skipped).
std::vector<store::Backend> storeBackends();
std::string backendName(store::Backend b);

// A TCP port on 127.0.0.1 that was free a moment ago.
int freeLoopbackPort();

// Every regular file below `root` that contains any of `needles` (byte-exact), with the
// needle found. Used to prove that no population data was written at rest.
struct ScanHit {
  std::filesystem::path file;
  std::string needle;
};
std::vector<ScanHit> scanFiles(const std::filesystem::path& root,
                               const std::vector<std::string>& needles);

}  // namespace gerbang::testing
