// orchestrator/store/watch_log.h: the recent history watchers follow, in memory (lab 10).
//
// After each group commit the writer appends the batch's events here and wakes the watchers;
// it never waits for them, so a thousand watchers cost a writer one lock and one notify per
// batch, not one copy per watcher. Each watcher keeps its own position (the last revision it
// has seen) and takes what is newer at its own pace. The log holds only the last
// `max_revisions` revisions: a watcher that falls further behind (or starts from an older
// revision) reads the gap from SQLite's history first (watcher.cpp).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "orchestrator/store/kv.h"

namespace deploylab::store {

class WatchLog {
 public:
  // The log starts empty at `revision` (the store's revision when it opened).
  WatchLog(std::size_t max_revisions, Revision revision);

  // Writer: appends the committed events of one batch (in revision order) and moves the log to
  // `revision` (which may be higher than the last event: a batch can end with no-op writes).
  void publish(std::vector<Event> events, Revision revision);

  // Ends every wait; later reads return Status::closed.
  void close();

  struct Read {
    enum class Status { events, timeout, too_old, closed };
    Status status = Status::timeout;
    std::vector<std::shared_ptr<const std::vector<Event>>> batches;  // may hold events <= after: filter
    Revision revision = 0;  // the log's revision at the time of the read: the reader is now there
  };
  // Everything committed after revision `after`, waiting up to `timeout` for something new.
  // too_old when events after `after` have already left the log (read them from disk first).
  // `stop` (may be null) is checked on every wake-up, so a cancel can interrupt the wait.
  Read read_after(Revision after, std::chrono::milliseconds timeout, const std::atomic<bool>* stop = nullptr);

  // Wakes every reader (used by Watcher::cancel; readers then check their stop flag).
  void wake_all();

  Revision revision() const;
  Revision floor() const;  // the log holds every event with a revision > floor()

 private:
  struct Batch {
    Revision first = 0;
    Revision last = 0;
    std::shared_ptr<const std::vector<Event>> events;
  };
  void trim();  // with mutex_ held

  const std::size_t max_revisions_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Batch> batches_;
  Revision revision_;
  Revision floor_;
  bool closed_ = false;
};

}  // namespace deploylab::store
