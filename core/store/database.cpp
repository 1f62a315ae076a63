#include "core/store/database.hpp"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Exception.h>

#include <stdexcept>

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

namespace gerbang::store {
namespace {

std::once_flag gRegisterOnce;

void registerConnectors() {
  std::call_once(gRegisterOnce, [] {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::PostgreSQL::Connector::registerConnector();
  });
}

void replaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
    s.replace(p, from.size(), to);
}

}  // namespace

DatabaseConfig DatabaseConfig::fromUri(std::string_view uri) {
  DatabaseConfig c;
  if (uri.starts_with("sqlite:")) {
    c.backend = Backend::kSqlite;
    c.sqlitePath = std::string(uri.substr(7));
    if (c.sqlitePath.empty()) throw std::invalid_argument("store: sqlite URI has no path");
  } else if (uri.starts_with("postgresql:")) {
    c.backend = Backend::kPostgres;
    c.postgresDsn = std::string(uri.substr(11));
    if (c.postgresDsn.empty())
      throw std::invalid_argument("store: postgresql URI has no connection string");
  } else {
    throw std::invalid_argument(
        "store: unknown database URI scheme (expected 'sqlite:<path>' or "
        "'postgresql:<connection string>')");
  }
  return c;
}

Database::Database(DatabaseConfig config) : config_(std::move(config)) {
  registerConnectors();
  try {
    if (config_.backend == Backend::kSqlite) {
      // Each pooled session is its own SQLite connection; WAL lets readers run beside the
      // single writer, and the connection timeout (sqlite3_busy_timeout, ms) makes writers
      // wait for each other instead of failing with SQLITE_BUSY.
      pool_ = std::make_unique<Poco::Data::SessionPool>("SQLite", config_.sqlitePath, 1,
                                                        config_.poolMax, 60);
      Poco::Data::Session s = pool_->get();
      s.setConnectionTimeout(10000);
      s << "PRAGMA journal_mode=WAL", now;
      s << "PRAGMA synchronous=FULL", now;
    } else {
      pool_ = std::make_unique<Poco::Data::SessionPool>("PostgreSQL", config_.postgresDsn, 1,
                                                        config_.poolMax, 60);
      Poco::Data::Session s = pool_->get();
      s << "SELECT 1", now;
    }
  } catch (const Poco::Exception& e) {
    // Poco's PostgreSQL messages do not echo the connection string, but keep to the class
    // name and the server's text.
    throw std::runtime_error(std::string("store: cannot open the ") + backendName() +
                             " database: " + e.displayText());
  }
}

Database::~Database() = default;

const char* Database::backendName() const {
  return config_.backend == Backend::kSqlite ? "SQLite" : "PostgreSQL";
}

Poco::Data::Session Database::session() {
  Poco::Data::Session s = pool_->get();
  if (config_.backend == Backend::kSqlite) s.setConnectionTimeout(10000);
  return s;
}

uint64_t Database::generation(const std::string& topic) const {
  std::lock_guard lock(generationMutex_);
  auto it = generations_.find(topic);
  return it == generations_.end() ? 0 : it->second;
}

void Database::touch(const std::string& topic) {
  std::lock_guard lock(generationMutex_);
  ++generations_[topic];
}

std::string Database::sql(std::string_view text) const {
  std::string s(text);
  const bool pg = config_.backend == Backend::kPostgres;
  replaceAll(s, "{AUTO_ID}", pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT");
  replaceAll(s, "{BLOB}", pg ? "BYTEA" : "BLOB");
  replaceAll(s, "{BIGINT}", "BIGINT");
  if (!pg) return s;
  std::string out;
  out.reserve(s.size() + 8);
  bool inQuote = false;
  int n = 0;
  for (char c : s) {
    if (c == '\'') inQuote = !inQuote;
    if (c == '?' && !inQuote) {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

void Database::migrate(const std::string& module, const std::vector<std::string>& steps) {
  std::lock_guard lock(migrateMutex_);
  Poco::Data::Session s = session();
  try {
    s << "CREATE TABLE IF NOT EXISTS schema_migrations (module VARCHAR(64) PRIMARY KEY, "
         "version INTEGER NOT NULL)",
        now;
    s.begin();
    if (config_.backend == Backend::kPostgres) {
      // Serialise concurrent migrators (several hosts starting at once).
      s << "SELECT pg_advisory_xact_lock(7420519)", now;
    }
    int version = 0;
    std::string m = module;
    Poco::Data::Statement q(s);
    q << sql("SELECT version FROM schema_migrations WHERE module = ?"), use(m), into(version);
    const bool known = q.execute() > 0;
    for (size_t i = size_t(version); i < steps.size(); ++i) {
      s << sql(steps[i]), now;
    }
    int target = int(steps.size());
    if (target > version) {
      if (known)
        s << sql("UPDATE schema_migrations SET version = ? WHERE module = ?"), use(target),
            use(m), now;
      else
        s << sql("INSERT INTO schema_migrations (module, version) VALUES (?, ?)"), use(m),
            use(target), now;
    }
    s.commit();
  } catch (const Poco::Exception& e) {
    if (s.isTransaction()) s.rollback();
    throw std::runtime_error("store: migration of '" + module + "' failed: " + e.displayText());
  }
}

}  // namespace gerbang::store
