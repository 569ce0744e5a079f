// orchestrator/store/sqlite_handle.cpp: the SQLite wrappers of sqlite_handle.h: opening and
// closing connections, the statement cache, stepping, transactions, the readers' pool and
// error messages.
#include "orchestrator/store/sqlite_handle.h"

#include <sqlite3.h>

#include <array>
#include <utility>

namespace deploylab::store::sqlite {
namespace {

constexpr std::size_t kSqlShown = 60;  // characters of a statement quoted in an error

struct CodeName {
  int code;
  const char* name;
};

// The codes a store meets in practice; others print as their primary code plus the number.
constexpr std::array kCodeNames{
    CodeName{SQLITE_ERROR, "SQLITE_ERROR"},         CodeName{SQLITE_INTERNAL, "SQLITE_INTERNAL"},
    CodeName{SQLITE_PERM, "SQLITE_PERM"},           CodeName{SQLITE_ABORT, "SQLITE_ABORT"},
    CodeName{SQLITE_BUSY, "SQLITE_BUSY"},           CodeName{SQLITE_BUSY_RECOVERY, "SQLITE_BUSY_RECOVERY"},
    CodeName{SQLITE_BUSY_SNAPSHOT, "SQLITE_BUSY_SNAPSHOT"}, CodeName{SQLITE_LOCKED, "SQLITE_LOCKED"},
    CodeName{SQLITE_NOMEM, "SQLITE_NOMEM"},         CodeName{SQLITE_READONLY, "SQLITE_READONLY"},
    CodeName{SQLITE_INTERRUPT, "SQLITE_INTERRUPT"}, CodeName{SQLITE_IOERR, "SQLITE_IOERR"},
    CodeName{SQLITE_IOERR_READ, "SQLITE_IOERR_READ"}, CodeName{SQLITE_IOERR_WRITE, "SQLITE_IOERR_WRITE"},
    CodeName{SQLITE_IOERR_FSYNC, "SQLITE_IOERR_FSYNC"}, CodeName{SQLITE_IOERR_SHORT_READ, "SQLITE_IOERR_SHORT_READ"},
    CodeName{SQLITE_CORRUPT, "SQLITE_CORRUPT"},     CodeName{SQLITE_FULL, "SQLITE_FULL"},
    CodeName{SQLITE_CANTOPEN, "SQLITE_CANTOPEN"},   CodeName{SQLITE_PROTOCOL, "SQLITE_PROTOCOL"},
    CodeName{SQLITE_SCHEMA, "SQLITE_SCHEMA"},       CodeName{SQLITE_TOOBIG, "SQLITE_TOOBIG"},
    CodeName{SQLITE_CONSTRAINT, "SQLITE_CONSTRAINT"},
    CodeName{SQLITE_CONSTRAINT_PRIMARYKEY, "SQLITE_CONSTRAINT_PRIMARYKEY"},
    CodeName{SQLITE_CONSTRAINT_UNIQUE, "SQLITE_CONSTRAINT_UNIQUE"},
    CodeName{SQLITE_CONSTRAINT_NOTNULL, "SQLITE_CONSTRAINT_NOTNULL"},
    CodeName{SQLITE_MISMATCH, "SQLITE_MISMATCH"},   CodeName{SQLITE_MISUSE, "SQLITE_MISUSE"},
    CodeName{SQLITE_RANGE, "SQLITE_RANGE"},         CodeName{SQLITE_NOTADB, "SQLITE_NOTADB"},
};

// What the reader can do about a failure, by primary result code.
const char* hint_for(int code) {
  switch (code & 0xff) {
    case SQLITE_NOTADB:
      return "the file is not an SQLite database (nothing was changed): point the store at its own "
             "data directory, or move the file away";
    case SQLITE_CORRUPT:
      return "the database file is damaged: restore it from a backup or start from an empty data directory";
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "another connection holds a lock on the database: is a second process using this data directory?";
    case SQLITE_CANTOPEN:
      return "does the directory exist, and may this user create files in it?";
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return "the file or its directory is read-only for this user";
    case SQLITE_FULL:
      return "the disk is full: free space, then compact the store and checkpoint it";
    case SQLITE_IOERR:
      return "the disk reported an I/O error: check `dmesg` and the filesystem";
    case SQLITE_CONSTRAINT:
      return "a row broke a PRIMARY KEY or UNIQUE rule of the schema: the same row was written twice";
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
      return "the program used the SQLite API wrongly (a bug): check the statement and its bindings";
    default:
      return "SQLite's result codes are explained at https://sqlite.org/rescode.html";
  }
}

// The statement on one line, cut short: errors quote it so the reader knows which one failed.
std::string short_sql(std::string_view sql) {
  std::string out;
  for (char c : sql) {
    const bool space = c == '\n' || c == ' ' || c == '\t';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  if (out.size() <= kSqlShown) return out;
  return out.substr(0, kSqlShown) + "...";
}

}  // namespace

std::string result_code_name(int code) {
  for (const CodeName& known : kCodeNames) {
    if (known.code == code) return known.name;
  }
  if (code != (code & 0xff)) return result_code_name(code & 0xff) + " (extended code " + std::to_string(code) + ")";
  return "SQLite code " + std::to_string(code);
}

void StatementFinalizer::operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }

void Database::Closer::operator()(sqlite3* connection) const {
  // Every statement is finalized by now (statements_ goes first), so close_v2 closes at once.
  sqlite3_close_v2(connection);
}

// ---- Query

Query::Query(Database& database, sqlite3_stmt* statement, StatementPtr owned)
    : database_(&database), statement_(statement), owned_(std::move(owned)) {}

Query::~Query() {
  if (statement_ == nullptr || owned_) return;  // moved from, or finalized with owned_
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

Query::Query(Query&& other) noexcept
    : database_(other.database_),
      statement_(std::exchange(other.statement_, nullptr)),
      owned_(std::move(other.owned_)),
      bind_error_(other.bind_error_) {}

Query& Query::bind(int index, std::int64_t value) {
  const int code = sqlite3_bind_int64(statement_, index, value);
  if (bind_error_ == SQLITE_OK) bind_error_ = code;
  return *this;
}

Query& Query::bind_blob(int index, std::string_view bytes) {
  // SQLITE_TRANSIENT: SQLite copies the bytes, so the caller's string may go away before step().
  const int code = bytes.empty() ? sqlite3_bind_zeroblob(statement_, index, 0)
                                 : sqlite3_bind_blob64(statement_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  if (bind_error_ == SQLITE_OK) bind_error_ = code;
  return *this;
}

Query& Query::bind_text(int index, std::string_view text) {
  const int code = sqlite3_bind_text64(statement_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (bind_error_ == SQLITE_OK) bind_error_ = code;
  return *this;
}

Query& Query::bind_null(int index) {
  const int code = sqlite3_bind_null(statement_, index);
  if (bind_error_ == SQLITE_OK) bind_error_ = code;
  return *this;
}

Result<bool> Query::step() {
  if (bind_error_ != SQLITE_OK) return database_->error("sqlite3_bind", sqlite3_sql(statement_), bind_error_);
  const int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  return database_->error("sqlite3_step", sqlite3_sql(statement_), code);
}

Result<void> Query::run() {
  while (DL_TRY(step())) {
  }
  return {};
}

void Query::reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
  bind_error_ = SQLITE_OK;
}

std::int64_t Query::int64(int column) const { return sqlite3_column_int64(statement_, column); }

std::string Query::bytes(int column) const {
  // Ask for the pointer first, then the size (the order SQLite's documentation asks for).
  const void* data = sqlite3_column_blob(statement_, column);
  const int size = sqlite3_column_bytes(statement_, column);
  if (data == nullptr) return {};  // NULL, or a zero-length BLOB
  return std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

bool Query::is_null(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }

// ---- Database

Database::Database(std::filesystem::path path, sqlite3* connection)
    : path_(std::move(path)), connection_(connection) {}

Database::~Database() = default;

Result<Database> Database::open(std::filesystem::path path, OpenMode mode) {
  // NOMUTEX: one thread uses a connection at a time (the backend's pool sees to it), so
  // SQLite's per-connection mutex would only cost time.
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  flags |= mode == OpenMode::read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  const int code = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Database database(std::move(path), raw);  // owns the handle even when the open failed
  if (code != SQLITE_OK) return database.error("sqlite3_open_v2", "", code);
  return database;
}

Result<Query> Database::query(const std::string& sql, Reuse reuse) {
  if (reuse == Reuse::cached) {
    if (auto found = statements_.find(sql); found != statements_.end()) {
      // A statement still stepping belongs to a Query that is alive: using it twice would
      // silently restart the first one.
      if (sqlite3_stmt_busy(found->second.get()) != 0) return error("reusing a running statement", sql, SQLITE_MISUSE);
      return Query(*this, found->second.get(), nullptr);
    }
  }
  sqlite3_stmt* raw = nullptr;
  const unsigned flags = reuse == Reuse::cached ? SQLITE_PREPARE_PERSISTENT : 0;
  const int code = sqlite3_prepare_v3(handle(), sql.data(), static_cast<int>(sql.size()), flags, &raw, nullptr);
  StatementPtr statement(raw);
  if (code != SQLITE_OK) return error("sqlite3_prepare_v3", sql, code);
  if (raw == nullptr) return error("sqlite3_prepare_v3 (no statement in the text)", sql, SQLITE_MISUSE);
  if (reuse == Reuse::once) return Query(*this, raw, std::move(statement));
  statements_.emplace(sql, std::move(statement));
  return Query(*this, raw, nullptr);
}

Result<void> Database::exec(const std::string& sql, Reuse reuse) {
  Query statement = DL_TRY(query(sql, reuse));
  return statement.run();
}

Result<std::int64_t> Database::query_int(const std::string& sql) {
  Query statement = DL_TRY(query(sql, Reuse::once));
  if (!DL_TRY(statement.step())) return error("expecting a row from", sql, SQLITE_ERROR);
  return statement.int64(0);
}

Result<std::string> Database::query_text(const std::string& sql) {
  Query statement = DL_TRY(query(sql, Reuse::once));
  if (!DL_TRY(statement.step())) return error("expecting a row from", sql, SQLITE_ERROR);
  return statement.bytes(0);
}

void Database::set_busy_timeout(std::chrono::milliseconds timeout) {
  sqlite3_busy_timeout(handle(), static_cast<int>(timeout.count()));
  busy_timeout_ = timeout;
}

Result<Database::Checkpoint> Database::checkpoint(std::chrono::milliseconds wait) {
  // The busy handler is what waits for readers, so `wait` is the busy timeout meanwhile.
  const std::chrono::milliseconds usual = busy_timeout_;
  set_busy_timeout(wait);
  int wal_frames = 0;
  int copied_frames = 0;
  const int code =
      sqlite3_wal_checkpoint_v2(handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, &wal_frames, &copied_frames);
  set_busy_timeout(usual);
  if (code == SQLITE_BUSY) return Checkpoint::busy;
  if (code != SQLITE_OK) return error("sqlite3_wal_checkpoint_v2(TRUNCATE)", "", code);
  return Checkpoint::done;
}

bool Database::in_transaction() const { return sqlite3_get_autocommit(handle()) == 0; }

Error Database::error(std::string_view call, std::string_view sql, int code) const {
  // The connection's message is the precise one ("no such table: meta"), but only while it
  // still describes this code; otherwise fall back to the generic text for the code.
  const bool current = handle() != nullptr && sqlite3_extended_errcode(handle()) == code;
  const std::string message = current ? sqlite3_errmsg(handle()) : sqlite3_errstr(code);
  std::string what(call);
  if (!sql.empty()) what += "(" + short_sql(sql) + ")";
  what += " on `" + path_.string() + "`: " + message + " [" + result_code_name(code) + "]";
  return Error::invalid(what, "", hint_for(code));
}

// ---- Transaction

Result<Transaction> Transaction::begin(Database& database, Begin kind) {
  DL_TRY(database.exec(kind == Begin::immediate ? "BEGIN IMMEDIATE" : "BEGIN", Reuse::cached));
  return Transaction(database);
}

Transaction::~Transaction() {
  if (database_ == nullptr || !database_->in_transaction()) return;
  // A destructor cannot report; a failed ROLLBACK leaves nothing worse than the failed
  // transaction it undoes (SQLite rolls back an interrupted transaction at the next open).
  (void)database_->exec("ROLLBACK", Reuse::cached);
}

Result<void> Transaction::commit() {
  DL_TRY(database_->exec("COMMIT", Reuse::cached));
  database_ = nullptr;
  return {};
}

// ---- ReaderPool

ReaderPool::ReaderPool(std::filesystem::path path, std::size_t keep_idle, std::chrono::milliseconds busy_timeout)
    : path_(std::move(path)), keep_idle_(keep_idle), busy_timeout_(busy_timeout) {}

ReaderPool::Borrowed::~Borrowed() {
  if (database_) pool_->give_back(std::move(database_));
}

Result<ReaderPool::Borrowed> ReaderPool::borrow() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<Database> database = std::move(idle_.back());
      idle_.pop_back();
      return Borrowed(*this, std::move(database));
    }
  }
  // Opened outside the lock: other readers need not wait for this file open.
  auto database = std::make_unique<Database>(DL_TRY(Database::open(path_, OpenMode::read_only)));
  database->set_busy_timeout(busy_timeout_);
  return Borrowed(*this, std::move(database));
}

void ReaderPool::give_back(std::unique_ptr<Database> database) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < keep_idle_) idle_.push_back(std::move(database));
}

}  // namespace deploylab::store::sqlite
