#include "core/store/database.hpp"
#include "tests/support/support.hpp"

#include <gtest/gtest.h>

#include <thread>

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

namespace gerbang::store {
namespace {

class DatabaseTest : public ::testing::TestWithParam<Backend> {
 protected:
  gerbang::testing::TempDir dir_;
  gerbang::testing::TestDatabase tdb_{GetParam(), dir_.path()};
};

TEST_P(DatabaseTest, MigratesOnceAndInOrder) {
  Database db(tdb_.config());
  std::vector<std::string> steps{
      "CREATE TABLE t (id {AUTO_ID}, v INTEGER NOT NULL)",
      "ALTER TABLE t ADD COLUMN w INTEGER",
  };
  db.migrate("t", steps);
  db.migrate("t", steps);  // second run applies nothing (would fail on a duplicate column)
  steps.push_back("INSERT INTO t (v, w) VALUES (1, 2)");
  db.migrate("t", steps);
  auto s = db.session();
  int n = 0;
  s << "SELECT COUNT(*) FROM t", into(n), now;
  EXPECT_EQ(n, 1);
}

TEST_P(DatabaseTest, PlaceholdersWorkOnBothBackends) {
  Database db(tdb_.config());
  db.migrate("kv", {"CREATE TABLE kv (k VARCHAR(32) PRIMARY KEY, v {BIGINT} NOT NULL)"});
  auto s = db.session();
  std::string k = "a?";
  Poco::Int64 v = 42;
  s << db.sql("INSERT INTO kv (k, v) VALUES (?, ?)"), use(k), use(v), now;
  Poco::Int64 got = 0;
  s << db.sql("SELECT v FROM kv WHERE k = ? AND k <> '?'"), use(k), into(got), now;
  EXPECT_EQ(got, 42);
}

TEST_P(DatabaseTest, ConcurrentWritersDoNotLoseUpdates) {
  Database db(tdb_.config());
  db.migrate("c", {"CREATE TABLE c (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
                   "INSERT INTO c (id, n) VALUES (1, 0)"});
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        auto s = db.session();
        s << "UPDATE c SET n = n + 1 WHERE id = 1", now;
      }
    });
  for (auto& t : ts) t.join();
  auto s = db.session();
  int n = 0;
  s << "SELECT n FROM c WHERE id = 1", into(n), now;
  EXPECT_EQ(n, 100);
}

TEST(DatabaseConfigTest, RejectsUnknownUris) {
  EXPECT_THROW(DatabaseConfig::fromUri("mysql://x"), std::invalid_argument);
  EXPECT_THROW(DatabaseConfig::fromUri("sqlite:"), std::invalid_argument);
  EXPECT_EQ(DatabaseConfig::fromUri("sqlite:/tmp/x.db").sqlitePath, "/tmp/x.db");
  EXPECT_EQ(DatabaseConfig::fromUri("postgresql:dbname=g").backend, Backend::kPostgres);
}

TEST(DatabaseConfigTest, OpenFailureNamesBackendButNotPassword) {
  DatabaseConfig c;
  c.backend = Backend::kPostgres;
  c.postgresDsn = "host=127.0.0.1 port=1 dbname=x user=x password=s3cr3t-not-shown connect_timeout=2";
  try {
    Database db(c);
    FAIL() << "opened a database on port 1";
  } catch (const std::runtime_error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("PostgreSQL"), std::string::npos) << m;
    EXPECT_EQ(m.find("s3cr3t-not-shown"), std::string::npos) << m;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseTest,
                         ::testing::ValuesIn(gerbang::testing::storeBackends()),
                         [](const auto& info) { return gerbang::testing::backendName(info.param); });

}  // namespace
}  // namespace gerbang::store
