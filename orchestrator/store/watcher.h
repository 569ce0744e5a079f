// orchestrator/store/watcher.h: one watch on the store: history first, then live (lab 10).
//
// A watch from revision N must see every change from N on, in order, exactly once, even if N
// is long gone from memory. So a watcher keeps one number, the next revision it owes its
// client, and fetches from wherever that revision lives: SQLite's history while it is older
// than the in-memory log, the watch log (watch_log.h) after that. If the history it needs has
// been compacted away, the watch is canceled with the compacted revision, and the client
// re-lists and watches again from there (what Kubernetes' reflectors do on "410 Gone").
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include "orchestrator/store/committed_state.h"
#include "orchestrator/store/key_range.h"
#include "orchestrator/store/sqlite_backend.h"
#include "orchestrator/store/store.h"
#include "orchestrator/store/watch_log.h"

namespace deploylab::store {

// What a watcher needs from the store around it. Shared, so that a watcher that outlives the
// store (a slow HTTP stream) still reads valid memory; it then only sees "store closed".
struct WatchSources {
  std::shared_ptr<const SqliteBackend> backend;
  std::shared_ptr<WatchLog> log;
  std::shared_ptr<const CommittedState> committed;      // for the compacted revision
  std::shared_ptr<std::atomic<std::int64_t>> watchers;  // how many watchers are open
};

// The watcher's pure part: which events a request wants, in the form the client asked for.
std::vector<Event> select_events(const WatchRequest& request, const std::vector<Event>& events, Revision from);

class StoreWatcher final : public Watcher {
 public:
  StoreWatcher(WatchSources sources, WatchRequest request, std::int64_t watch_id);
  ~StoreWatcher() override;

  std::optional<WatchResponse> next(std::chrono::milliseconds timeout) override;
  void cancel() override;

 private:
  Revision compact_revision() const;  // the store's, now
  // The cancellation owed when history this watch still needs was compacted away, else nullopt.
  std::optional<WatchResponse> cancel_if_compacted();
  std::optional<WatchResponse> from_history(Revision log_revision);
  std::optional<WatchResponse> from_log(std::chrono::milliseconds timeout);
  WatchResponse canceled(std::string reason, Revision compact_revision = 0);
  WatchResponse events_response(std::vector<Event> events, Revision revision) const;

  WatchSources sources_;
  WatchRequest request_;
  KeyRange range_;
  std::int64_t watch_id_;
  Revision next_revision_;  // the first revision not yet delivered
  bool created_sent_ = false;
  bool finished_ = false;
  std::atomic<bool> canceled_{false};
};

}  // namespace deploylab::store
