// orchestrator/store/sqlite_backend.h: the store's history on disk, in SQLite (lab 10).
//
// Every change of every key is one row of `history` (revision, sub-revision, key, the version
// that resulted or a deletion mark); the current state, the revisions and the leases are all
// derived from it and from two small tables (`meta`: current and compacted revision; `leases`:
// id and TTL). SQLite runs in WAL mode with synchronous=FULL: commit() returns only after the
// WAL is fsync'ed, so an acknowledged write survives kill -9 and a power loss. (kine, k3s's
// SQLite etcd, uses synchronous=NORMAL, which can lose the last commits on power loss.)
// Throughput comes from group commit: the store's writer hands commit() a whole batch of
// requests, and one fsync covers them all.
//
// Threads: one writer calls commit(), compact() and checkpoint(); any number of readers may
// call load(), range_at() and events() at the same time (each borrows its own read-only
// connection from a small pool; WAL lets readers run beside the writer).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "common/result.h"
#include "orchestrator/store/key_range.h"
#include "orchestrator/store/kv.h"

namespace deploylab::store {

enum class Durability {
  full,    // synchronous=FULL: every commit is fsync'ed (the default; what the issue demands)
  normal,  // synchronous=NORMAL: kine's setting, for the benchmark's comparison only
};

// One batch of writes, committed in one SQLite transaction.
struct WriteBatch {
  std::vector<Event> events;         // in revision order; each event's kv.mod_revision is its revision
  Revision revision = 0;             // the current revision after the batch (>= every event's)
  std::vector<std::pair<LeaseId, std::int64_t>> leases_granted;  // (id, ttl)
  std::vector<LeaseId> leases_revoked;
};

// What load() finds: enough to rebuild the store's memory after a restart.
struct Snapshot {
  Revision revision = 1;             // 1 for a new store
  Revision compact_revision = 0;
  std::vector<KeyValue> live;        // the latest version of every live key, in key order
  std::vector<std::pair<LeaseId, std::int64_t>> leases;  // (id, ttl)
};

struct FileSizes {
  std::uintmax_t database = 0;  // the main file
  std::uintmax_t wal = 0;       // the -wal file
};

class SqliteBackend {
 public:
  struct Options {
    std::filesystem::path path;  // the database file; created (with its schema) if missing
    Durability durability = Durability::full;
  };

  // Opens or creates the database; errors name the file and the SQLite message, e.g. "not a
  // database" for a file that is something else (nothing is overwritten).
  static Result<std::unique_ptr<SqliteBackend>> open(Options options);
  ~SqliteBackend();
  SqliteBackend(const SqliteBackend&) = delete;
  SqliteBackend& operator=(const SqliteBackend&) = delete;

  // Writer: appends the batch's events to the history, sets the current revision, records
  // granted and revoked leases; all or nothing, durable when it returns (Durability::full).
  Result<void> commit(const WriteBatch& batch);

  // Writer: forgets history before `revision`: every row with a revision < `revision` that is
  // no longer the latest version of its key at `revision`, and deletion rows below it (a delete
  // at exactly `revision` stays, so a watch from `revision` still sees it).
  // Records the compacted revision. Frees the pages (incremental vacuum).
  Result<void> compact(Revision revision);

  // Writer: copies the WAL into the database and truncates it, so the files stay bounded.
  Result<void> checkpoint();

  // Reader: the state to start from.
  Result<Snapshot> load() const;

  // Reader: the live keys of `range` as they were at `revision` (<= current, >= compacted),
  // in key order.
  Result<std::vector<KeyValue>> range_at(const KeyRange& range, Revision revision) const;

  // Reader: the events with from <= revision <= to on keys in `range`, in order, at most
  // `max_events` of them (0: no limit), each with its prev_kv (the key's version before it, if
  // any and not compacted away). Always whole revisions: a first revision bigger than
  // `max_events` comes back whole, so a reader that resumes after the last one loses nothing.
  Result<std::vector<Event>> events(const KeyRange& range, Revision from, Revision to,
                                    std::size_t max_events) const;

  FileSizes file_sizes() const;

 private:
  struct Impl;
  explicit SqliteBackend(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace deploylab::store
