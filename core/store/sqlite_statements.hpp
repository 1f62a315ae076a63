// SqliteStatements: SQL statements prepared once on one SQLite connection and reused.
//
// Poco::Data 1.11 prepares a statement anew on every execution; on the lookup path (one
// quota reservation and one audit record per lookup) that parsing was most of the host's
// CPU. The two group-commit writers (core/quota, core/audit) keep one of these beside their
// own Poco session, on SQLite only (PostgreSQL keeps Poco's path). One thread owns it.
//
// Errors throw Poco::Data::DataException with SQLite's message (never a bound value: the
// values may be personal data, and the message ends up in logs).
#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Types.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace gerbang::store {

class SqliteStatements {
 public:
  // One prepared statement. Bind parameters (1-based), step() through the rows, and the
  // statement is reset (bindings cleared) when the next use begins.
  class Statement {
   public:
    Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, Poco::Int64 value);
    // Runs to the next row: true when a row is ready (read it with the column accessors),
    // false when done.
    bool step();
    // Runs to completion, expecting no rows.
    void run();
    Poco::Int64 int64At(int column) const;
    std::string textAt(int column) const;

   private:
    friend class SqliteStatements;
    void begin();
    sqlite3* db_;
    sqlite3_stmt* stmt_;
  };

  // `session` must be an open SQLite session that outlives this object.
  explicit SqliteStatements(Poco::Data::Session& session);
  ~SqliteStatements();
  SqliteStatements(const SqliteStatements&) = delete;
  SqliteStatements& operator=(const SqliteStatements&) = delete;

  // The statement for `sql`, prepared on first use, reset and ready for new bindings.
  Statement& operator()(const std::string& sql);

  // BEGIN IMMEDIATE / COMMIT / ROLLBACK on this connection (ROLLBACK only when a
  // transaction is open; it never throws).
  void begin();
  void commit();
  void rollback() noexcept;

 private:
  sqlite3* db_;
  std::map<std::string, std::unique_ptr<Statement>> statements_;
};

// What a group-commit writer hands to work that joins its open transaction (e.g. the
// audit record's companion): its session and, on SQLite, its prepared statements.
struct WriterTransaction {
  Poco::Data::Session& session;
  SqliteStatements* prepared;  // null on PostgreSQL: use session
};

}  // namespace gerbang::store
