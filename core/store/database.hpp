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
#include <map>
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
  // Durability of the audit and quota commits (config store.durable_commits). true: each
  // commit is flushed to stable storage before it is acknowledged (SQLite WAL with
  // synchronous=FULL; PostgreSQL synchronous_commit=on); group commit shares one flush among
  // concurrent lookups. false: a commit survives a crash of Gerbang but not of the operating
  // system or the power (SQLite synchronous=NORMAL; PostgreSQL synchronous_commit=off), for
  // machines whose disks flush too slowly; never silently: the host logs it at start.
  bool durableCommits = true;

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
  const DatabaseConfig& config() const { return config_; }
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

  // In-process write generations, for read caches (core/common/read_cache.hpp): a
  // repository takes generation(topic) before a cached read and calls touch(topic) after
  // every committed write to that topic, so caches on this Database never serve a read
  // older than the last write made through it. Thread-safe.
  uint64_t generation(const std::string& topic) const;
  void touch(const std::string& topic);

  // Calls touch(topic) when it goes out of scope: declare one at the top of a write, so the
  // touch follows the commit (or the failure) whatever path the write takes.
  class TouchOnExit {
   public:
    TouchOnExit(Database& db, std::string topic) : db_(db), topic_(std::move(topic)) {}
    ~TouchOnExit() { db_.touch(topic_); }
    TouchOnExit(const TouchOnExit&) = delete;
    TouchOnExit& operator=(const TouchOnExit&) = delete;

   private:
    Database& db_;
    std::string topic_;
  };

 private:
  DatabaseConfig config_;
  std::unique_ptr<Poco::Data::SessionPool> pool_;
  std::mutex migrateMutex_;
  mutable std::mutex generationMutex_;
  std::map<std::string, uint64_t> generations_;
};

}  // namespace gerbang::store
