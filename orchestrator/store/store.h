// orchestrator/store/store.h: the store itself: MVCC, leases and watches over SQLite (lab 10).
//
// How a write travels: a request (from any thread) goes into the writer's queue and waits. The
// single writer thread takes everything queued, applies each request in order to its own state
// (txn_apply.h: each one gets the next revision if it changes something), writes all the
// resulting events to SQLite in one transaction and waits for the one fsync (group commit).
// Only then does it publish: the readers' index takes the changes, the watch log gets the
// events, and each waiting request gets its response. So a reader never sees a write that
// could still be lost, and 16 concurrent writers pay for about one fsync, not sixteen.
//
// Reads at the current revision come from memory (a shared lock, no disk); reads at an older
// revision go to SQLite's history. Watches read the history from their start revision, then
// follow the in-memory watch log; writers never wait for watchers.
//
// Leases: deadlines are kept in memory and checked every 100 ms; an expired lease is revoked
// through the writer like any request. After a restart every lease gets its full TTL again
// from the moment the store opened (etcd does the same on a new leader), so a lease granted
// before a crash still expires, at most one TTL after the restart.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>

#include "common/result.h"
#include "orchestrator/store/kv.h"
#include "orchestrator/store/sqlite_backend.h"
#include "orchestrator/store/store_error.h"

namespace deploylab::store {

// One watch: call next() until it returns a canceled response or the store closes.
class Watcher {
 public:
  virtual ~Watcher() = default;
  // The next message: the first is always `created` (or `canceled` with compact_revision when
  // the start revision is compacted); then batches of events in revision order. nullopt when
  // `timeout` passed with no event for this watch.
  // After the store closes, returns a canceled response.
  virtual std::optional<WatchResponse> next(std::chrono::milliseconds timeout) = 0;
  // Wakes a thread blocked in next() and ends the watch (next() returns canceled).
  virtual void cancel() = 0;
};

struct StoreOptions {
  std::filesystem::path data_dir;             // holds store.db (+ -wal, -shm); created if missing
  Durability durability = Durability::full;
  std::size_t max_batch = 1024;               // requests per group commit at most
  std::size_t watch_log_revisions = 10000;    // revisions kept in memory for watchers
  std::chrono::milliseconds lease_check{100}; // how often deadlines are checked
  std::int64_t min_lease_ttl = 2;             // seconds; shorter grants are raised (etcd: 2 s here)
  std::int64_t max_lease_ttl = 9000000000;    // seconds (etcd's MaxLeaseTTL)
};

struct StoreStats {
  std::uint64_t writes = 0;   // requests that went through the writer
  std::uint64_t commits = 0;  // SQLite transactions (fsyncs) they took
  std::uint64_t watchers = 0;
  Revision revision = 0;
  Revision compact_revision = 0;
  FileSizes files;
};

class Store {
 public:
  // Opens (or creates) the store in options.data_dir and starts the writer and lease threads.
  static Result<std::unique_ptr<Store>> open(StoreOptions options);
  virtual ~Store() = default;

  virtual StoreResult<RangeResponse> range(const RangeRequest& request) = 0;
  virtual StoreResult<PutResponse> put(const PutRequest& request) = 0;
  virtual StoreResult<DeleteRangeResponse> delete_range(const DeleteRangeRequest& request) = 0;
  virtual StoreResult<TxnResponse> txn(const TxnRequest& request) = 0;
  virtual StoreResult<CompactionResponse> compact(const CompactionRequest& request) = 0;

  virtual StoreResult<LeaseGrantResponse> lease_grant(const LeaseGrantRequest& request) = 0;
  virtual StoreResult<LeaseRevokeResponse> lease_revoke(const LeaseRevokeRequest& request) = 0;
  virtual StoreResult<LeaseKeepAliveResponse> lease_keepalive(const LeaseKeepAliveRequest& request) = 0;
  virtual StoreResult<LeaseTimeToLiveResponse> lease_time_to_live(const LeaseTimeToLiveRequest& request) = 0;

  virtual std::unique_ptr<Watcher> watch(const WatchRequest& request) = 0;

  virtual Revision revision() const = 0;
  virtual StoreStats stats() const = 0;

  // Stops the threads: queued writes fail with `unavailable`, watchers are canceled.
  // The destructor calls it.
  virtual void close() = 0;
};

}  // namespace deploylab::store
