// orchestrator/store/sqlite_handle.h: RAII owners for SQLite's connection, statement and
// transaction handles, with errors that teach (lab 10).
//
// SQLite's C API hands out raw handles (sqlite3*, sqlite3_stmt*) and integer result codes.
// This file wraps each of them once, so sqlite_backend.cpp reads as SQL and logic:
//   - Database owns one connection and the prepared statements it has cached;
//   - Query is one statement borrowed for one execution. It is reset when it goes out of scope,
//     because a SELECT left half-stepped keeps its read snapshot open, and an open snapshot
//     stops a WAL checkpoint from finishing (the WAL file would grow without bound);
//   - Transaction is BEGIN ... COMMIT that rolls back unless commit() succeeded;
//   - ReaderPool lends read-only connections to reader threads, one thread per connection.
// Every failure becomes an Error that names the SQLite call, the statement, the database file,
// SQLite's own message and result code, and a hint, e.g.
//   opening the store: sqlite3_prepare_v3(SELECT count(*) FROM sqlite_schema) on
//   `/data/store.db`: file is not a database [SQLITE_NOTADB] (hint: the file is not an SQLite
//   database (nothing was changed): ...)
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace deploylab::store::sqlite {

enum class OpenMode {
  read_write,  // creates the file if it is missing
  read_only,   // SQLITE_OPEN_READONLY: this connection can never write, whatever SQL it runs
};

// Whether a statement is worth keeping prepared: `cached` for statements that run again and
// again (a commit's INSERT), `once` for set-up statements (PRAGMAs, CREATE TABLE).
enum class Reuse { cached, once };

// BEGIN DEFERRED takes its snapshot (readers) or its lock at the first statement; BEGIN
// IMMEDIATE takes the write lock at once, so a writer never fails half-way on a lock.
enum class Begin { deferred, immediate };

struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const;
};
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

class Database;

// One execution of a prepared statement: bind (1-based, as SQLite counts), step, read columns
// (0-based). Errors from bind are kept and reported by the next step().
class Query {
 public:
  Query(Database& database, sqlite3_stmt* statement, StatementPtr owned);
  ~Query();
  Query(Query&& other) noexcept;
  Query& operator=(Query&&) = delete;
  Query(const Query&) = delete;

  Query& bind(int index, std::int64_t value);
  // Binds bytes as a BLOB, never as NULL, even when empty (SQLite binds a null pointer as NULL).
  Query& bind_blob(int index, std::string_view bytes);
  Query& bind_text(int index, std::string_view text);  // for TEXT columns: a BLOB never equals TEXT
  Query& bind_null(int index);

  // Runs to the next row: true when there is one, false when the statement is done.
  Result<bool> step();
  // Runs to the end, ignoring any rows (INSERT, DELETE, PRAGMA incremental_vacuum ...).
  Result<void> run();
  // Makes the statement ready to run again; bindings are cleared.
  void reset();

  std::int64_t int64(int column) const;
  std::string bytes(int column) const;  // a BLOB or TEXT column; "" for NULL
  bool is_null(int column) const;

 private:
  Database* database_;
  sqlite3_stmt* statement_;
  StatementPtr owned_;  // set for Reuse::once: finalized with the Query
  int bind_error_ = 0;  // the first failed bind's result code (SQLITE_OK is 0)
};

class Database {
 public:
  // Opens `path` (SQLite reads nothing yet: a file that is not a database is only noticed by
  // the first statement). Extended result codes are on, so errors say e.g. SQLITE_IOERR_FSYNC.
  static Result<Database> open(std::filesystem::path path, OpenMode mode);
  ~Database();
  Database(Database&& other) noexcept = default;
  Database& operator=(Database&& other) noexcept = default;

  // A statement ready for binding. Reuse::cached keeps it prepared for the next call with the
  // same text; two Queries of one cached statement must not be alive at the same time.
  Result<Query> query(const std::string& sql, Reuse reuse = Reuse::cached);
  // Runs one statement to the end.
  Result<void> exec(const std::string& sql, Reuse reuse = Reuse::once);
  // The first column of the first row (PRAGMA journal_mode, SELECT count(*) ...).
  Result<std::int64_t> query_int(const std::string& sql);
  Result<std::string> query_text(const std::string& sql);

  // How long a statement waits for a lock held by another connection before SQLITE_BUSY.
  void set_busy_timeout(std::chrono::milliseconds timeout);
  std::chrono::milliseconds busy_timeout() const { return busy_timeout_; }

  // Copies the WAL into the database file and truncates the WAL to zero bytes (SQLite's
  // TRUNCATE checkpoint). It must wait until no reader still uses an older snapshot; after
  // `wait` it copies what it can and answers `busy` (nothing is lost: the next one finishes).
  enum class Checkpoint { done, busy };
  Result<Checkpoint> checkpoint(std::chrono::milliseconds wait);

  bool in_transaction() const;  // whether a BEGIN is open on this connection

  sqlite3* handle() const { return connection_.get(); }
  const std::filesystem::path& path() const { return path_; }

  // The error for a failed `call` (e.g. "sqlite3_step") of `sql` that returned `code`, with
  // this connection's message for it.
  Error error(std::string_view call, std::string_view sql, int code) const;

 private:
  struct Closer {
    void operator()(sqlite3* connection) const;
  };
  Database(std::filesystem::path path, sqlite3* connection);

  std::filesystem::path path_;
  std::unique_ptr<sqlite3, Closer> connection_;
  std::chrono::milliseconds busy_timeout_{0};
  // Declared after the connection, so the statements are finalized before it closes.
  std::unordered_map<std::string, StatementPtr> statements_;
};

// BEGIN ... COMMIT; the destructor rolls back a transaction that was not committed.
class Transaction {
 public:
  static Result<Transaction> begin(Database& database, Begin kind);
  ~Transaction();
  Transaction(Transaction&& other) noexcept : database_(std::exchange(other.database_, nullptr)) {}
  Transaction& operator=(Transaction&&) = delete;

  Result<void> commit();

 private:
  explicit Transaction(Database& database) : database_(&database) {}
  Database* database_;  // null once committed or moved from
};

// Read-only connections to one database (SQLITE_OPEN_READONLY: they can never write,
// whatever SQL they run), each lent to one reader at a time. Opening one costs a file open
// and a read of the schema, so up to `keep_idle` of them stay open between reads.
class ReaderPool {
 public:
  ReaderPool(std::filesystem::path path, std::size_t keep_idle, std::chrono::milliseconds busy_timeout);

  // A connection lent for one read; it goes back to the pool when this goes away.
  class Borrowed {
   public:
    Borrowed(ReaderPool& pool, std::unique_ptr<Database> database) : pool_(&pool), database_(std::move(database)) {}
    Borrowed(Borrowed&& other) noexcept = default;
    ~Borrowed();
    Database& operator*() { return *database_; }

   private:
    ReaderPool* pool_;
    std::unique_ptr<Database> database_;
  };

  // An idle connection, or a new one when every one is lent out.
  Result<Borrowed> borrow();

 private:
  void give_back(std::unique_ptr<Database> database);

  const std::filesystem::path path_;
  const std::size_t keep_idle_;
  const std::chrono::milliseconds busy_timeout_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Database>> idle_;  // guarded by mutex_
};

// SQLite's name for a result code: "SQLITE_BUSY", "SQLITE_IOERR_FSYNC" (searchable, like errno names).
std::string result_code_name(int code);

}  // namespace deploylab::store::sqlite
