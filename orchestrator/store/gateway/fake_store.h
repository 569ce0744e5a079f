// orchestrator/store/gateway/fake_store.h: a Store that answers from a script, for the gateway's
// tests (routes_test.cpp, watch_lines_test.cpp, gateway_test.cpp).
//
// The gateway's job is translation, so its tests need to see exactly which request reached the
// store and to choose exactly what the store answers (including errors and watch messages)
// without a database. FakeStore records the last request of each kind; `fail_with` makes every
// call fail; watches play the messages pushed to FakeStore::watch_messages and count how many
// FakeWatchers are alive, so a test can see a disconnected stream free its watcher.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

#include "orchestrator/store/store.h"

namespace deploylab::store::gateway::testing {

// Messages shared between the test (which pushes) and the watchers (which pop).
struct WatchScript {
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<WatchResponse> messages;
  std::atomic<int> alive{0};     // FakeWatchers not yet destroyed
  std::atomic<int> canceled{0};  // cancel() calls

  void push(WatchResponse message) {
    {
      std::lock_guard lock(mutex);
      messages.push_back(std::move(message));
    }
    changed.notify_all();
  }
};

class FakeWatcher : public Watcher {
 public:
  explicit FakeWatcher(WatchScript& script) : script_(script) { ++script_.alive; }
  ~FakeWatcher() override { --script_.alive; }

  std::optional<WatchResponse> next(std::chrono::milliseconds timeout) override {
    std::unique_lock lock(script_.mutex);
    script_.changed.wait_for(lock, timeout, [&] { return !script_.messages.empty() || stopped_; });
    if (stopped_) return WatchResponse{.revision = 0, .watch_id = 0, .created = false, .canceled = true,
                                       .compact_revision = 0, .cancel_reason = "canceled", .events = {}};
    if (script_.messages.empty()) return std::nullopt;
    WatchResponse message = std::move(script_.messages.front());
    script_.messages.pop_front();
    return message;
  }

  void cancel() override {
    {
      std::lock_guard lock(script_.mutex);
      stopped_ = true;
    }
    ++script_.canceled;
    script_.changed.notify_all();
  }

 private:
  WatchScript& script_;
  bool stopped_ = false;  // guarded by script_.mutex
};

class FakeStore : public Store {
 public:
  std::optional<StoreError> fail_with;  // every call fails with this when set
  Revision current = 7;                 // the revision every response carries
  WatchScript watch_script;

  std::optional<RangeRequest> last_range;
  std::optional<PutRequest> last_put;
  std::optional<DeleteRangeRequest> last_delete;
  std::optional<TxnRequest> last_txn;
  std::optional<CompactionRequest> last_compaction;
  std::optional<LeaseGrantRequest> last_grant;
  std::optional<LeaseRevokeRequest> last_revoke;
  std::optional<LeaseKeepAliveRequest> last_keepalive;
  std::optional<LeaseTimeToLiveRequest> last_time_to_live;
  std::optional<WatchRequest> last_watch;

  StoreResult<RangeResponse> range(const RangeRequest& request) override {
    last_range = request;
    if (fail_with) return *fail_with;
    KeyValue kv{.key = request.key, .value = "v", .create_revision = 2, .mod_revision = 3, .version = 2, .lease = 0};
    return RangeResponse{.revision = current, .kvs = {kv}, .more = false, .count = 1};
  }
  StoreResult<PutResponse> put(const PutRequest& request) override {
    last_put = request;
    if (fail_with) return *fail_with;
    return PutResponse{.revision = current, .prev_kv = std::nullopt};
  }
  StoreResult<DeleteRangeResponse> delete_range(const DeleteRangeRequest& request) override {
    last_delete = request;
    if (fail_with) return *fail_with;
    return DeleteRangeResponse{.revision = current, .deleted = 1, .prev_kvs = {}};
  }
  StoreResult<TxnResponse> txn(const TxnRequest& request) override {
    last_txn = request;
    if (fail_with) return *fail_with;
    return TxnResponse{.revision = current, .succeeded = true, .responses = {}};
  }
  StoreResult<CompactionResponse> compact(const CompactionRequest& request) override {
    last_compaction = request;
    if (fail_with) return *fail_with;
    return CompactionResponse{.revision = current};
  }
  StoreResult<LeaseGrantResponse> lease_grant(const LeaseGrantRequest& request) override {
    last_grant = request;
    if (fail_with) return *fail_with;
    return LeaseGrantResponse{.revision = current, .id = request.id == 0 ? 42 : request.id, .ttl = request.ttl};
  }
  StoreResult<LeaseRevokeResponse> lease_revoke(const LeaseRevokeRequest& request) override {
    last_revoke = request;
    if (fail_with) return *fail_with;
    return LeaseRevokeResponse{.revision = current};
  }
  StoreResult<LeaseKeepAliveResponse> lease_keepalive(const LeaseKeepAliveRequest& request) override {
    last_keepalive = request;
    if (fail_with) return *fail_with;
    return LeaseKeepAliveResponse{.revision = current, .id = request.id, .ttl = 60};
  }
  StoreResult<LeaseTimeToLiveResponse> lease_time_to_live(const LeaseTimeToLiveRequest& request) override {
    last_time_to_live = request;
    if (fail_with) return *fail_with;
    return LeaseTimeToLiveResponse{.revision = current, .id = request.id, .ttl = 59, .granted_ttl = 60, .keys = {}};
  }
  std::unique_ptr<Watcher> watch(const WatchRequest& request) override {
    last_watch = request;
    return std::make_unique<FakeWatcher>(watch_script);
  }
  Revision revision() const override { return current; }
  StoreStats stats() const override { return StoreStats{}; }
  void close() override {}
};

}  // namespace deploylab::store::gateway::testing
