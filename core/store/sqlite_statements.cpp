#include "core/store/sqlite_statements.hpp"

#include <Poco/Data/DataException.h>
#include <Poco/Data/SQLite/Utility.h>
#include <sqlite3.h>

namespace gerbang::store {
namespace {

[[noreturn]] void fail(sqlite3* db, const char* what) {
  throw Poco::Data::DataException(std::string("SQLite: ") + what + ": " + sqlite3_errmsg(db));
}

}  // namespace

void SqliteStatements::Statement::begin() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

SqliteStatements::Statement& SqliteStatements::Statement::bind(int index, std::string_view text) {
  if (sqlite3_bind_text(stmt_, index, text.data(), int(text.size()), SQLITE_TRANSIENT) !=
      SQLITE_OK)
    fail(db_, "bind");
  return *this;
}

SqliteStatements::Statement& SqliteStatements::Statement::bind(int index, Poco::Int64 value) {
  if (sqlite3_bind_int64(stmt_, index, sqlite3_int64(value)) != SQLITE_OK) fail(db_, "bind");
  return *this;
}

bool SqliteStatements::Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, "step");
}

void SqliteStatements::Statement::run() {
  while (step()) {
  }
}

Poco::Int64 SqliteStatements::Statement::int64At(int column) const {
  return Poco::Int64(sqlite3_column_int64(stmt_, column));
}

std::string SqliteStatements::Statement::textAt(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  return p ? std::string(reinterpret_cast<const char*>(p), size_t(sqlite3_column_bytes(stmt_, column)))
           : std::string();
}

SqliteStatements::SqliteStatements(Poco::Data::Session& session)
    : db_(Poco::Data::SQLite::Utility::dbHandle(session)) {
  if (db_ == nullptr) throw Poco::Data::DataException("SQLite: no connection handle");
}

SqliteStatements::~SqliteStatements() {
  for (auto& [sql, st] : statements_) sqlite3_finalize(st->stmt_);
}

SqliteStatements::Statement& SqliteStatements::operator()(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), int(sql.size()) + 1, SQLITE_PREPARE_PERSISTENT,
                           &stmt, nullptr) != SQLITE_OK) {
      sqlite3_finalize(stmt);
      fail(db_, "prepare");
    }
    it = statements_.emplace(sql, std::make_unique<Statement>(db_, stmt)).first;
  }
  it->second->begin();
  return *it->second;
}

void SqliteStatements::begin() { (*this)("BEGIN IMMEDIATE").run(); }

void SqliteStatements::commit() { (*this)("COMMIT").run(); }

void SqliteStatements::rollback() noexcept {
  if (sqlite3_get_autocommit(db_)) return;
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

}  // namespace gerbang::store
