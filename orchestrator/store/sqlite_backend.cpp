// orchestrator/store/sqlite_backend.cpp: the store's history in SQLite (see sqlite_backend.h).
//
// The schema (version 1, recorded in meta: a program refuses a file of another version):
//   history(revision, sub, key, value, create_revision, version, lease, deleted)
//     one row per event. The primary key is (revision, sub), `sub` being the event's position
//     within its revision (a transaction or a lease revoke changes several keys at one
//     revision). WITHOUT ROWID stores the table in that order, so commit() appends at the end
//     and events() reads a revision range front to back. A delete is a row with deleted = 1
//     and only its key and revision.
//   history_by_key(key, revision), UNIQUE: "the version of key K at revision R" is one seek
//     (range_at, prev_kv, compaction). Unique because a key changes at most once a revision.
//   meta(name, value): schema_version, revision (the current one), compact_revision.
//   leases(id, ttl).
// Keys and values are BLOBs, which SQLite compares byte by byte: the order of etcd's keys.
//
// What compaction keeps, worked on one key whose history is  2, 5, 7 (delete), 9, 12:
//   compact(10): the key's version at 10 is 9. Rows 2, 5 and the delete at 7 are superseded
//     by 9 <= 10, so they go; 9 and 12 stay. range_at(r) for any r >= 10 is unchanged, and
//     the event at 12 still finds its prev_kv (9).
//   compact(8) instead: the version at 8 is the delete at 7: 2 and 5 go (superseded by 7);
//     the delete goes too, since a key with no row at or below r reads as absent anyway.
//   compact(7): the delete at 7 stays, until a later compaction: events(from = 7) must still
//     report it. (Its prev, 5, goes: like etcd, an event at the compacted revision has no
//     prev_kv.)
#include "orchestrator/store/sqlite_backend.h"

#include <string>

#include <spdlog/spdlog.h>

#include "orchestrator/store/sqlite_handle.h"

namespace deploylab::store {
namespace {

namespace fs = std::filesystem;
using sqlite::Begin;
using sqlite::Database;
using sqlite::Query;
using sqlite::Transaction;

constexpr std::int64_t kSchemaVersion = 1;
constexpr std::int64_t kJournalSizeLimit = 4 << 20;  // bytes of WAL kept after a checkpoint
constexpr std::chrono::milliseconds kBusyTimeout{5000};
// A checkpoint waits this long for readers to leave older snapshots: the writer thread runs
// it, and writes must not queue behind a slow watcher reading old history.
constexpr std::chrono::milliseconds kCheckpointWait{100};
constexpr std::size_t kIdleReaders = 4;  // read-only connections kept open between reads

constexpr const char* kSchema[] = {
    "CREATE TABLE meta(name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    "CREATE TABLE history(revision INTEGER NOT NULL, sub INTEGER NOT NULL, key BLOB NOT NULL, value BLOB,"
    " create_revision INTEGER NOT NULL, version INTEGER NOT NULL, lease INTEGER NOT NULL,"
    " deleted INTEGER NOT NULL, PRIMARY KEY(revision, sub)) WITHOUT ROWID",
    "CREATE UNIQUE INDEX history_by_key ON history(key, revision)",
    "CREATE TABLE leases(id INTEGER PRIMARY KEY, ttl INTEGER NOT NULL)",
};
// kSchemaVersion; a new store is at revision 1 and has forgotten nothing.
constexpr const char* kFirstMeta =
    "INSERT INTO meta(name, value) VALUES ('schema_version', 1), ('revision', 1), ('compact_revision', 0)";

constexpr const char* kInsertEvent =
    "INSERT INTO history(revision, sub, key, value, create_revision, version, lease, deleted)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr const char* kGrantLease = "INSERT OR REPLACE INTO leases(id, ttl) VALUES (?1, ?2)";
constexpr const char* kRevokeLease = "DELETE FROM leases WHERE id = ?1";
constexpr const char* kSetMeta = "UPDATE meta SET value = ?2 WHERE name = ?1";
constexpr const char* kReadMeta =
    "SELECT (SELECT value FROM meta WHERE name = 'revision'),"
    " (SELECT value FROM meta WHERE name = 'compact_revision')";
constexpr const char* kReadLeases = "SELECT id, ttl FROM leases ORDER BY id";
// Compaction, in this order (a row superseded by a delete must go before the delete does).
constexpr const char* kDropSuperseded =
    "DELETE FROM history AS old WHERE old.revision < ?1 AND EXISTS (SELECT 1 FROM history AS newer"
    " WHERE newer.key = old.key AND newer.revision > old.revision AND newer.revision <= ?1)";
constexpr const char* kDropDeletes = "DELETE FROM history WHERE revision < ?1 AND deleted = 1";

struct Meta {
  Revision revision = 1;
  Revision compact_revision = 0;
};

// ---- Keys: the three shapes of an etcd range, as SQL over `column`, bounds in ?2 and ?3.

std::string key_condition(const KeyRange& range, const std::string& column) {
  if (range.is_single_key()) return column + " = ?2";
  if (range.is_unbounded()) return column + " >= ?2";  // key "\0" + range_end "\0": all keys
  return column + " >= ?2 AND " + column + " < ?3";
}

void bind_range(Query& query, const KeyRange& range) {
  query.bind_blob(2, range.key);
  if (!range.is_single_key() && !range.is_unbounded()) query.bind_blob(3, range.range_end);
}

// The latest row of each key at revision ?1, without the keys whose latest row is a delete.
// The CTE scans only the (key, revision) index; the join then reads one full row per key.
std::string latest_versions_sql(const KeyRange& range) {
  return "WITH latest(key, revision) AS (SELECT key, MAX(revision) FROM history"
         " WHERE revision <= ?1 AND " + key_condition(range, "key") + " GROUP BY key)"
         " SELECT h.key, h.value, h.create_revision, h.revision, h.version, h.lease"
         " FROM latest JOIN history AS h ON h.key = latest.key AND h.revision = latest.revision"
         " WHERE h.deleted = 0 ORDER BY h.key";
}

// Events in [?1, ?4] with their prev row: the key's latest row below the event's revision.
std::string events_sql(const KeyRange& range) {
  return "SELECT e.key, e.value, e.create_revision, e.revision, e.version, e.lease, e.deleted,"
         " p.key, p.value, p.create_revision, p.revision, p.version, p.lease, p.deleted"
         " FROM history AS e LEFT JOIN history AS p ON p.key = e.key AND p.revision ="
         " (SELECT MAX(revision) FROM history WHERE key = e.key AND revision < e.revision)"
         " WHERE e.revision >= ?1 AND e.revision <= ?4 AND " + key_condition(range, "e.key") +
         " ORDER BY e.revision, e.sub";
}

// Six columns from `first` on: key, value, create_revision, revision, version, lease.
KeyValue read_kv(const Query& row, int first) {
  return KeyValue{.key = row.bytes(first),
                  .value = row.bytes(first + 1),
                  .create_revision = row.int64(first + 2),
                  .mod_revision = row.int64(first + 3),
                  .version = row.int64(first + 4),
                  .lease = row.int64(first + 5)};
}

Event read_event(const Query& row) {
  Event event;
  event.type = row.int64(6) != 0 ? EventType::remove : EventType::put;
  event.kv = read_kv(row, 0);
  const bool has_prev = !row.is_null(7) && row.int64(13) == 0;  // a prev delete is no prev_kv
  if (has_prev) event.prev_kv = read_kv(row, 7);
  return event;
}

// Collects events in whole revisions up to `max` of them (0: no limit). A first revision
// bigger than `max` is taken whole: the caller resumes at the last revision + 1, so a partial
// revision would make it miss events, and an empty answer would make it loop forever.
class RevisionBatcher {
 public:
  explicit RevisionBatcher(std::size_t max) : max_(max) {}

  // False when `event` does not fit: the batch is complete, `event` belongs to the next one.
  bool add(Event event) {
    const bool new_revision = events_.empty() || event.kv.mod_revision != events_.back().kv.mod_revision;
    if (max_ != 0 && events_.size() >= max_) {
      if (new_revision) return false;
      if (revision_start_ != 0) {  // this revision does not fit after the earlier ones
        events_.resize(revision_start_);
        return false;
      }
    }
    if (new_revision) revision_start_ = events_.size();
    events_.push_back(std::move(event));
    return true;
  }
  std::vector<Event> take() { return std::move(events_); }

 private:
  std::size_t max_;
  std::size_t revision_start_ = 0;  // where the last revision's events begin
  std::vector<Event> events_;
};

// ---- Reading (any connection)

Result<Meta> read_meta(Database& db) {
  Query row = DL_TRY(db.query(kReadMeta));
  if (!DL_TRY(row.step()) || row.is_null(0) || row.is_null(1)) {
    return Error::invalid("`" + db.path().string() + "` has no revision in its `meta` table", "",
                          "the file was damaged or not written by this store");
  }
  return Meta{.revision = row.int64(0), .compact_revision = row.int64(1)};
}

Error compacted(Revision revision, const Meta& meta, const fs::path& path) {
  return Error::invalid("revision " + std::to_string(revision) + " of `" + path.string() +
                            "` has been compacted (history starts at " + std::to_string(meta.compact_revision) + ")",
                        "", "read or watch from the compacted revision or later");
}

// Reads below the compacted revision would silently miss versions, reads above the current
// one would see a future that may still change: refuse both.
Result<void> check_readable(const Meta& meta, Revision revision, const fs::path& path) {
  if (revision < meta.compact_revision) return compacted(revision, meta, path);
  if (revision <= meta.revision) return {};
  return Error::invalid("revision " + std::to_string(revision) + " of `" + path.string() +
                            "` is in the future (the current revision is " + std::to_string(meta.revision) + ")",
                        "", "read at the current revision or below");
}

Result<std::vector<KeyValue>> latest_versions(Database& db, const KeyRange& range, Revision revision) {
  Query rows = DL_TRY(db.query(latest_versions_sql(range)));
  rows.bind(1, revision);
  bind_range(rows, range);
  std::vector<KeyValue> kvs;
  while (DL_TRY(rows.step())) kvs.push_back(read_kv(rows, 0));
  return kvs;
}

Result<std::vector<std::pair<LeaseId, std::int64_t>>> read_leases(Database& db) {
  Query rows = DL_TRY(db.query(kReadLeases));
  std::vector<std::pair<LeaseId, std::int64_t>> leases;
  while (DL_TRY(rows.step())) leases.emplace_back(rows.int64(0), rows.int64(1));
  return leases;
}

// Each read below runs in one read transaction: everything it sees is one snapshot, so a
// compaction cannot slip in between checking the compacted revision and reading the rows.
// The snapshot ends when `snapshot_read` goes out of scope (for a read, ROLLBACK = COMMIT).

Result<Snapshot> read_snapshot(Database& db) {
  Transaction snapshot_read = DL_TRY(Transaction::begin(db, Begin::deferred));
  const Meta meta = DL_TRY(read_meta(db));
  Snapshot snapshot;
  snapshot.revision = meta.revision;
  snapshot.compact_revision = meta.compact_revision;
  const KeyRange every_key{.key = "", .range_end = std::string(1, '\0')};
  snapshot.live = DL_TRY(latest_versions(db, every_key, meta.revision));
  snapshot.leases = DL_TRY(read_leases(db));
  return snapshot;
}

Result<std::vector<KeyValue>> read_range_at(Database& db, const KeyRange& range, Revision revision) {
  Transaction snapshot_read = DL_TRY(Transaction::begin(db, Begin::deferred));
  DL_TRY(check_readable(DL_TRY(read_meta(db)), revision, db.path()));
  return latest_versions(db, range, revision);
}

Result<std::vector<Event>> read_events(Database& db, const KeyRange& range, Revision from, Revision to,
                                       std::size_t max_events) {
  Transaction snapshot_read = DL_TRY(Transaction::begin(db, Begin::deferred));
  const Meta meta = DL_TRY(read_meta(db));
  if (from < meta.compact_revision) return compacted(from, meta, db.path());
  Query rows = DL_TRY(db.query(events_sql(range)));
  rows.bind(1, from).bind(4, to);
  bind_range(rows, range);
  RevisionBatcher batch(max_events);
  while (DL_TRY(rows.step())) {
    if (!batch.add(read_event(rows))) break;
  }
  return batch.take();
}

// ---- Opening

Result<void> use_wal(Database& db) {
  const std::string mode = DL_TRY(db.query_text("PRAGMA journal_mode = WAL"));
  if (mode == "wal") return {};
  return Error::invalid("switching `" + db.path().string() + "` to WAL mode: SQLite kept journal_mode=" + mode, "",
                        "WAL needs shared memory beside the file; local filesystems have it, some network ones do not");
}

Result<void> create_schema(Database& db) {
  // auto_vacuum is fixed when the first table is created, so it comes first. INCREMENTAL lets
  // compact() hand freed pages back to the filesystem (PRAGMA incremental_vacuum).
  DL_TRY(db.exec("PRAGMA auto_vacuum = INCREMENTAL"));
  DL_TRY(use_wal(db));
  Transaction creating = DL_TRY(Transaction::begin(db, Begin::immediate));
  for (const char* sql : kSchema) DL_TRY(db.exec(sql));
  DL_TRY(db.exec(kFirstMeta));
  return creating.commit();
}

Result<void> check_schema(Database& db) {
  const std::string file = "`" + db.path().string() + "`";
  const std::int64_t has_meta =
      DL_TRY(db.query_int("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'meta'"));
  if (has_meta == 0) {
    return Error::invalid(file + " is an SQLite database, but not the store's (it has no `meta` table)", "",
                          "nothing was changed: give the store a data directory of its own");
  }
  const std::int64_t version =
      DL_TRY(db.query_int("SELECT coalesce((SELECT value FROM meta WHERE name = 'schema_version'), 0)"));
  if (version == kSchemaVersion) return {};
  return Error::invalid(file + " has schema version " + std::to_string(version) + "; this program knows version " +
                            std::to_string(kSchemaVersion),
                        "", "nothing was changed: open it with the program that wrote it, or start afresh");
}

// A new (empty) file gets the schema; an existing one must hold our schema version.
Result<void> prepare_schema(Database& db) {
  // The first read of the file: SQLite checks the header here, so a file that is not a
  // database fails now, before anything was written to it.
  const std::int64_t tables = DL_TRY(db.query_int("SELECT count(*) FROM sqlite_schema"));
  if (tables == 0) return create_schema(db);
  return check_schema(db);
}

Result<void> configure_writer(Database& db, Durability durability) {
  DL_TRY(use_wal(db));
  // FULL: the WAL is fsync'ed at every COMMIT. NORMAL: only at checkpoints, so a power loss
  // can take the last commits with it (never a kill -9: the OS still has them).
  DL_TRY(db.exec(durability == Durability::full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL"));
  DL_TRY(db.exec("PRAGMA journal_size_limit = " + std::to_string(kJournalSizeLimit)));
  DL_TRY(db.exec("PRAGMA foreign_keys = OFF"));
  db.set_busy_timeout(kBusyTimeout);
  return {};
}

// ---- Writing

// The writer's promises (store.cpp keeps them): each event's revision is above everything
// already committed, events come in revision order, and the batch's revision covers them.
Result<void> validate_batch(const WriteBatch& batch, Revision current) {
  const char* hint = "commit() takes the events of new revisions, in order (a bug in the writer)";
  Revision last = current;
  for (const Event& event : batch.events) {
    const Revision revision = event.kv.mod_revision;
    if (revision <= current) {
      return Error::invalid("event at revision " + std::to_string(revision) + ", but revision " +
                                std::to_string(current) + " is already committed", "", hint);
    }
    if (revision < last) {
      return Error::invalid("event at revision " + std::to_string(revision) + " after one at " + std::to_string(last),
                            "", hint);
    }
    last = revision;
  }
  if (batch.revision >= last) return {};
  return Error::invalid("batch revision " + std::to_string(batch.revision) + " is below its events' " +
                            std::to_string(last), "", "the batch's revision is the store's revision after it");
}

Result<void> append_events(Database& db, const std::vector<Event>& events) {
  Query insert = DL_TRY(db.query(kInsertEvent));  // prepared once per connection, not per row
  std::int64_t sub = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const KeyValue& kv = events[i].kv;
    sub = (i > 0 && events[i - 1].kv.mod_revision == kv.mod_revision) ? sub + 1 : 0;
    insert.bind(1, kv.mod_revision).bind(2, sub).bind_blob(3, kv.key);
    if (events[i].type == EventType::remove) {
      insert.bind_null(4).bind(5, 0).bind(6, 0).bind(7, 0).bind(8, 1);
    } else {
      insert.bind_blob(4, kv.value).bind(5, kv.create_revision).bind(6, kv.version).bind(7, kv.lease).bind(8, 0);
    }
    DL_TRY(insert.run());
    insert.reset();
  }
  return {};
}

Result<void> record_leases(Database& db, const WriteBatch& batch) {
  for (const auto& [id, ttl] : batch.leases_granted) {
    Query grant = DL_TRY(db.query(kGrantLease));
    DL_TRY(grant.bind(1, id).bind(2, ttl).run());
  }
  for (LeaseId id : batch.leases_revoked) {
    Query revoke = DL_TRY(db.query(kRevokeLease));
    DL_TRY(revoke.bind(1, id).run());
  }
  return {};
}

Result<void> set_meta(Database& db, const std::string& name, std::int64_t value) {
  Query update = DL_TRY(db.query(kSetMeta));
  return update.bind_text(1, name).bind(2, value).run();
}

Result<void> write_batch(Database& db, Revision current, const WriteBatch& batch) {
  DL_TRY(validate_batch(batch, current));
  Transaction transaction = DL_TRY(Transaction::begin(db, Begin::immediate));
  DL_TRY(append_events(db, batch.events));
  DL_TRY(record_leases(db, batch));
  DL_TRY(set_meta(db, "revision", batch.revision));
  return transaction.commit();  // durable once this returns (Durability::full)
}

// Drops the rows no read at or above `revision` needs (the worked example at the top).
Result<void> forget_history(Database& db, Revision revision) {
  Transaction transaction = DL_TRY(Transaction::begin(db, Begin::immediate));
  for (const char* sql : {kDropSuperseded, kDropDeletes}) {
    Query drop = DL_TRY(db.query(sql));
    DL_TRY(drop.bind(1, revision).run());
  }
  DL_TRY(set_meta(db, "compact_revision", revision));
  // Moves the freed pages to the end of the file; the next checkpoint cuts them off.
  DL_TRY(db.exec("PRAGMA incremental_vacuum"));
  return transaction.commit();
}

// A file that is not there (no WAL yet) has size 0.
std::uintmax_t size_or_zero(const fs::path& path) {
  std::error_code missing;
  const std::uintmax_t size = fs::file_size(path, missing);
  return missing ? 0 : size;
}

}  // namespace

struct SqliteBackend::Impl {
  Impl(Options opened, Database connection, Meta meta)
      : options(std::move(opened)),
        writer(std::move(connection)),
        written(meta),
        readers(options.path, kIdleReaders, kBusyTimeout) {}

  Options options;
  Database writer;     // the writer thread's connection
  Meta written;        // the writer's copy of meta (only the writer thread touches it)
  sqlite::ReaderPool readers;  // declared after the writer: readers close first, the writer last
};

SqliteBackend::SqliteBackend(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteBackend::~SqliteBackend() = default;

Result<std::unique_ptr<SqliteBackend>> SqliteBackend::open(Options options) {
  Database writer = DL_TRY(Database::open(options.path, sqlite::OpenMode::read_write).context("opening the store"));
  DL_TRY(prepare_schema(writer).context("opening the store"));
  DL_TRY(configure_writer(writer, options.durability).context("opening the store"));
  const Meta meta = DL_TRY(read_meta(writer).context("opening the store"));
  auto impl = std::make_unique<Impl>(std::move(options), std::move(writer), meta);
  return std::unique_ptr<SqliteBackend>(new SqliteBackend(std::move(impl)));
}

Result<void> SqliteBackend::commit(const WriteBatch& batch) {
  const std::string what = "committing up to revision " + std::to_string(batch.revision);
  DL_TRY(write_batch(impl_->writer, impl_->written.revision, batch).context(what));
  impl_->written.revision = batch.revision;
  return {};
}

Result<void> SqliteBackend::compact(Revision revision) {
  Meta& written = impl_->written;
  if (revision <= written.compact_revision) return {};  // already forgotten
  const std::string what = "compacting at revision " + std::to_string(revision);
  if (revision > written.revision) {
    return Error::invalid(what + ": the current revision is only " + std::to_string(written.revision), "",
                          "compact at a revision the store has reached");
  }
  DL_TRY(forget_history(impl_->writer, revision).context(what));
  written.compact_revision = revision;
  return {};
}

Result<void> SqliteBackend::checkpoint() {
  Database& writer = impl_->writer;
  const auto outcome = DL_TRY(writer.checkpoint(kCheckpointWait).context("checkpointing the store's WAL"));
  if (outcome == Database::Checkpoint::busy) {
    spdlog::debug("checkpoint of {}: readers still on older snapshots; the WAL is truncated next time",
                  writer.path().string());
  }
  return {};
}

Result<Snapshot> SqliteBackend::load() const {
  auto reader = DL_TRY(impl_->readers.borrow().context("loading the store"));
  return read_snapshot(*reader).context("loading the store");
}

Result<std::vector<KeyValue>> SqliteBackend::range_at(const KeyRange& range, Revision revision) const {
  const std::string what = "reading keys at revision " + std::to_string(revision);
  auto reader = DL_TRY(impl_->readers.borrow().context(what));
  return read_range_at(*reader, range, revision).context(what);
}

Result<std::vector<Event>> SqliteBackend::events(const KeyRange& range, Revision from, Revision to,
                                                 std::size_t max_events) const {
  const std::string what = "reading events from revision " + std::to_string(from);
  auto reader = DL_TRY(impl_->readers.borrow().context(what));
  return read_events(*reader, range, from, to, max_events).context(what);
}

FileSizes SqliteBackend::file_sizes() const {
  const fs::path& path = impl_->options.path;
  return FileSizes{.database = size_or_zero(path), .wal = size_or_zero(path.string() + "-wal")};
}

}  // namespace deploylab::store
