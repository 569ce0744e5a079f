// orchestrator/store/writer.h: the one thread that changes the store, with group commit (lab 10).
//
// Every request that writes (and every transaction) is queued here and waits. The writer
// thread takes the whole queue at once, applies each request in order to its own state
// (txn_apply.h), commits all their events in one SQLite transaction, which is one fsync, and
// only then publishes: the readers' copy (committed_state.h), the watch log, the lease clock,
// and finally each request's answer. While it waits for the disk, new requests pile up in the
// queue and share the next fsync: that is group commit, and why 16 clients are much faster
// than one. If the commit fails, every request of the batch fails and the writer starts again
// from the readers' copy, so nothing half-applied survives.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <mutex>
#include <random>
#include <thread>
#include <variant>
#include <vector>

#include "orchestrator/store/committed_state.h"
#include "orchestrator/store/lease_clock.h"
#include "orchestrator/store/sqlite_backend.h"
#include "orchestrator/store/store_error.h"
#include "orchestrator/store/txn_apply.h"
#include "orchestrator/store/watch_log.h"

namespace deploylab::store {

using WriteRequest =
    std::variant<PutRequest, DeleteRangeRequest, TxnRequest, LeaseGrantRequest, LeaseRevokeRequest, CompactionRequest>;
using WriteResponse = std::variant<PutResponse, DeleteRangeResponse, TxnResponse, LeaseGrantResponse,
                                   LeaseRevokeResponse, CompactionResponse>;

struct WriterLimits {
  std::size_t max_batch = 1024;
  std::int64_t min_lease_ttl = 2;           // seconds; shorter grants are raised to it (etcd: 2 s)
  std::int64_t max_lease_ttl = 9000000000;  // seconds
};

class Writer {
 public:
  Writer(SqliteBackend& backend, CommittedState& committed, WatchLog& log, LeaseClock& clock, WriterState state,
         Revision revision, Revision compact_revision, WriterLimits limits);
  ~Writer();  // close()s
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Queues the request and waits for its answer (after the commit that made it durable).
  StoreResult<WriteResponse> submit(WriteRequest request);

  // Stops the thread after the batch in progress; queued and later requests get `unavailable`.
  void close();

  std::uint64_t writes() const;
  std::uint64_t commits() const;

 private:
  struct Pending {
    WriteRequest request;
    std::promise<StoreResult<WriteResponse>> answer;
  };
  struct Batch;

  void run();
  std::vector<std::unique_ptr<Pending>> take_queue();
  void process(std::vector<std::unique_ptr<Pending>> pending);
  StoreResult<WriteResponse> apply(const WriteRequest& request, Batch& batch);
  StoreResult<WriteResponse> apply_grant(const LeaseGrantRequest& request, Batch& batch);
  StoreResult<WriteResponse> apply_revoke(const LeaseRevokeRequest& request, Batch& batch);
  StoreResult<WriteResponse> check_compaction(const CompactionRequest& request, Batch& batch);
  bool touches_batch_lease(const WriteRequest& request, const Batch& batch) const;
  void publish(Batch& batch);

  SqliteBackend& backend_;
  CommittedState& committed_;
  WatchLog& log_;
  LeaseClock& clock_;
  WriterState state_;         // includes writes not yet committed
  Revision revision_;         // the writer's revision (committed + the batch in progress)
  Revision compact_revision_;
  WriterLimits limits_;
  std::mt19937_64 lease_ids_;

  std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<std::unique_ptr<Pending>> queue_;
  bool closing_ = false;
  std::atomic<std::uint64_t> writes_{0};
  std::atomic<std::uint64_t> commits_{0};
  std::thread thread_;
};

}  // namespace deploylab::store
