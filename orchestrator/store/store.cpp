// orchestrator/store/store.cpp: the Store (store.h): opening and recovery, reads, leases'
// deadlines, watches; writes go through the Writer (writer.h).
#include "orchestrator/store/store.h"

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <thread>

#include "orchestrator/store/committed_state.h"
#include "orchestrator/store/lease_clock.h"
#include "orchestrator/store/txn_apply.h"
#include "orchestrator/store/watch_log.h"
#include "orchestrator/store/watcher.h"
#include "orchestrator/store/writer.h"

namespace deploylab::store {
namespace {

// Rebuilds the writer's state from what the disk holds: leases first, then the live keys,
// each attached to its lease.
WriterState state_from(const Snapshot& snapshot) {
  WriterState state;
  for (const auto& [id, ttl] : snapshot.leases) state.leases.grant(id, ttl);
  for (const KeyValue& kv : snapshot.live) {
    if (kv.lease != 0 && state.leases.contains(kv.lease)) state.leases.attach(kv.key, 0, kv.lease);
    state.kv.put(kv);
  }
  return state;
}

// A read of an older revision: the history's keys go through the same read_range() as a read
// of the current state (limit, count, keys_only), from an index of just those keys.
RangeResponse shape_past_read(std::vector<KeyValue> kvs, const RangeRequest& request, Revision current) {
  KvIndex found;
  for (KeyValue& kv : kvs) found.put(std::move(kv));
  return read_range(found, request, current);
}

template <class T>
StoreResult<T> as(StoreResult<WriteResponse> answer) {
  if (!answer.ok()) return answer.error();
  return std::get<T>(std::move(answer).value());
}

class StoreImpl final : public Store {
 public:
  StoreImpl(StoreOptions options, std::shared_ptr<SqliteBackend> backend, Snapshot snapshot)
      : options_(std::move(options)), backend_(std::move(backend)) {
    WriterState state = state_from(snapshot);
    committed_ = std::make_shared<CommittedState>(state, snapshot.revision, snapshot.compact_revision);
    log_ = std::make_shared<WatchLog>(options_.watch_log_revisions, snapshot.revision);
    // After a restart every lease runs its full TTL again from now (lease_clock.h).
    const auto now = LeaseClock::Clock::now();
    for (const auto& [id, ttl] : snapshot.leases) clock_.start(id, ttl, now);
    WriterLimits limits;
    limits.max_batch = options_.max_batch;
    limits.max_lease_ttl = options_.max_lease_ttl;
    limits.min_lease_ttl = options_.min_lease_ttl;
    writer_ = std::make_unique<Writer>(*backend_, *committed_, *log_, clock_, std::move(state), snapshot.revision,
                                       snapshot.compact_revision, limits);
    lease_thread_ = std::thread([this] { expire_leases(); });
  }
  ~StoreImpl() override { close(); }

  StoreResult<RangeResponse> range(const RangeRequest& request) override;
  StoreResult<PutResponse> put(const PutRequest& request) override {
    return as<PutResponse>(writer_->submit(request));
  }
  StoreResult<DeleteRangeResponse> delete_range(const DeleteRangeRequest& request) override {
    return as<DeleteRangeResponse>(writer_->submit(request));
  }
  StoreResult<TxnResponse> txn(const TxnRequest& request) override { return as<TxnResponse>(writer_->submit(request)); }
  StoreResult<CompactionResponse> compact(const CompactionRequest& request) override {
    return as<CompactionResponse>(writer_->submit(request));
  }
  StoreResult<LeaseGrantResponse> lease_grant(const LeaseGrantRequest& request) override {
    return as<LeaseGrantResponse>(writer_->submit(request));
  }
  StoreResult<LeaseRevokeResponse> lease_revoke(const LeaseRevokeRequest& request) override {
    return as<LeaseRevokeResponse>(writer_->submit(request));
  }
  StoreResult<LeaseKeepAliveResponse> lease_keepalive(const LeaseKeepAliveRequest& request) override;
  StoreResult<LeaseTimeToLiveResponse> lease_time_to_live(const LeaseTimeToLiveRequest& request) override;

  std::unique_ptr<Watcher> watch(const WatchRequest& request) override {
    WatchSources sources{backend_, log_, committed_, watchers_};
    return std::make_unique<StoreWatcher>(std::move(sources), request, 0);
  }

  Revision revision() const override {
    return committed_->read([](const WriterState&, Revision revision, Revision) { return revision; });
  }
  StoreStats stats() const override;
  void close() override;

 private:
  void expire_leases();

  StoreOptions options_;
  std::shared_ptr<SqliteBackend> backend_;
  std::shared_ptr<CommittedState> committed_;
  std::shared_ptr<WatchLog> log_;
  std::shared_ptr<std::atomic<std::int64_t>> watchers_ = std::make_shared<std::atomic<std::int64_t>>(0);
  LeaseClock clock_;
  std::unique_ptr<Writer> writer_;

  std::mutex close_mutex_;
  std::condition_variable closing_changed_;
  bool closing_ = false;
  std::thread lease_thread_;
};

StoreResult<RangeResponse> StoreImpl::range(const RangeRequest& request) {
  if (request.key.empty()) return StoreError::make(StoreErrc::empty_key);
  // The current revision is served from memory; an older one needs the history on disk.
  std::optional<StoreResult<RangeResponse>> answer =
      committed_->read([&](const WriterState& state, Revision current,
                           Revision compacted) -> std::optional<StoreResult<RangeResponse>> {
        if (request.revision > current) return StoreError::make(StoreErrc::future_revision);
        if (request.revision <= 0 || request.revision == current) return read_range(state.kv, request, current);
        if (request.revision < compacted) return StoreError::make(StoreErrc::compacted);
        return std::nullopt;
      });
  if (answer) return std::move(*answer);
  auto kvs = backend_->range_at(KeyRange{request.key, request.range_end}, request.revision);
  // A compaction may have finished while the history was read (the backend then refuses, or
  // the answer may be partial): that is the compacted error, not a failure.
  auto [current, compacted] = committed_->read(
      [](const WriterState&, Revision revision, Revision compact) { return std::pair{revision, compact}; });
  if (request.revision < compacted) return StoreError::make(StoreErrc::compacted);
  if (!kvs.ok()) return StoreError::make(StoreErrc::internal, kvs.error().message());
  return shape_past_read(std::move(kvs).value(), request, current);
}

StoreResult<LeaseKeepAliveResponse> StoreImpl::lease_keepalive(const LeaseKeepAliveRequest& request) {
  const Revision current = revision();
  std::optional<std::int64_t> ttl = clock_.renew(request.id, LeaseClock::Clock::now());
  if (!ttl) return StoreError::make(StoreErrc::lease_not_found);
  return LeaseKeepAliveResponse{current, request.id, *ttl};
}

StoreResult<LeaseTimeToLiveResponse> StoreImpl::lease_time_to_live(const LeaseTimeToLiveRequest& request) {
  LeaseTimeToLiveResponse response;
  response.id = request.id;
  response.ttl = -1;
  const bool found = committed_->read([&](const WriterState& state, Revision current, Revision) {
    response.revision = current;
    const Lease* lease = state.leases.find(request.id);
    if (lease == nullptr) return false;
    response.granted_ttl = lease->ttl;
    if (request.keys) response.keys.assign(lease->keys.begin(), lease->keys.end());
    return true;
  });
  if (!found) return response;
  response.ttl = clock_.remaining(request.id, LeaseClock::Clock::now()).value_or(-1);
  return response;
}

StoreStats StoreImpl::stats() const {
  StoreStats stats;
  stats.writes = writer_->writes();
  stats.commits = writer_->commits();
  stats.watchers = static_cast<std::uint64_t>(watchers_->load());
  std::tie(stats.revision, stats.compact_revision) = committed_->read(
      [](const WriterState&, Revision revision, Revision compact) { return std::pair{revision, compact}; });
  stats.files = backend_->file_sizes();
  return stats;
}

// Every lease_check: revoke, through the writer, the leases whose deadline passed.
void StoreImpl::expire_leases() {
  std::unique_lock lock(close_mutex_);
  while (!closing_) {
    closing_changed_.wait_for(lock, options_.lease_check);
    if (closing_) return;
    lock.unlock();
    // BEGIN SOLUTION lab 10: revoke the leases whose deadline passed
    for (LeaseId id : clock_.expired(LeaseClock::Clock::now())) {
      auto revoked = writer_->submit(LeaseRevokeRequest{id});
      // Already revoked by a client: nothing to do. Other failures: try again next round.
      if (revoked.ok() || revoked.error().code == StoreErrc::lease_not_found) {
        clock_.forget(id);
      } else {
        clock_.start(id, 0, LeaseClock::Clock::now());
      }
    }
    // STUB:
    // // (not yet: leases never expire)
    // END SOLUTION
    lock.lock();
  }
}

void StoreImpl::close() {
  {
    std::lock_guard lock(close_mutex_);
    if (closing_) return;
    closing_ = true;
  }
  closing_changed_.notify_all();
  if (lease_thread_.joinable()) lease_thread_.join();
  writer_->close();
  log_->close();
}

}  // namespace

Result<std::unique_ptr<Store>> Store::open(StoreOptions options) {
  std::error_code error;
  std::filesystem::create_directories(options.data_dir, error);
  if (error) {
    return Error::os("mkdir", options.data_dir.string(), error.value(),
                     "choose a --data-dir this user can write, or create it first");
  }
  SqliteBackend::Options backend_options;
  backend_options.path = options.data_dir / "store.db";
  backend_options.durability = options.durability;
  std::shared_ptr<SqliteBackend> backend = DL_TRY(SqliteBackend::open(backend_options));
  Snapshot snapshot = DL_TRY(backend->load().context("loading the store from " + backend_options.path.string()));
  return std::unique_ptr<Store>(new StoreImpl(std::move(options), std::move(backend), std::move(snapshot)));
}

}  // namespace deploylab::store
