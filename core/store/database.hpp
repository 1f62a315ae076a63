// The store's connection layer: one Database over Poco::Data, on SQLite (the embedded
// default, WAL) or PostgreSQL (several hosts sharing state). Each module keeps its own
// narrow repository (quota ledger, audit chain, operators, adenda, obligations, outbox) on
// top of this and registers its own migrations, so modules never share tables.
//
// SQL is written once with `?` placeholders and the tokens below; sql() adapts it to the
// backend:
//   {AUTO_ID}  an auto-incrementing 64-bit primary key column type
//   {BLOB}     a binary column type
//   {BIGINT}   a 64-bit integer column type
#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Data/SessionPool.h>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace gerbang::store {

enum class Backend { kSqlite, kPostgres };

struct DatabaseConfig {
  Backend backend = Backend::kSqlite;
  // SQLite: the database file (created if missing; parent directory must exist).
  std::string sqlitePath = "gerbang.db";
  // PostgreSQL: a libpq connection string ("host=127.0.0.1 port=5432 dbname=gerbang ...").
  // It may carry a password: never log it.
  std::string postgresDsn;
  int poolMax = 16;

  // "sqlite:<path>" or "postgresql:<libpq connection string>". Throws
  // std::invalid_argument naming the problem (without echoing a password).
  static DatabaseConfig fromUri(std::string_view uri);
};

class Database {
 public:
  // Opens (and for SQLite creates) the database. Throws std::runtime_error with a clear
  // message when it cannot; the message never contains the DSN's password.
  explicit Database(DatabaseConfig config);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Backend backend() const { return config_.backend; }
  const char* backendName() const;

  // A session from the pool. Returned to the pool when the Session is destroyed.
  Poco::Data::Session session();

  // Rewrites `?` placeholders to the backend's style and expands {AUTO_ID}, {BLOB},
  // {BIGINT}. `?` inside single-quoted literals is left alone.
  std::string sql(std::string_view text) const;

  // Applies, in order and once each, the migrations of `module` whose index (1-based) is
  // above the recorded version, each in its own transaction. Safe to call from several
  // processes at once on PostgreSQL (serialised by an advisory lock). Throws on failure.
  void migrate(const std::string& module, const std::vector<std::string>& steps);

 private:
  DatabaseConfig config_;
  std::unique_ptr<Poco::Data::SessionPool> pool_;
  std::mutex migrateMutex_;
};

}  // namespace gerbang::store
