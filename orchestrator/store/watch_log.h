// orchestrator/store/watch_log.h: the recent history watchers follow, in memory (lab 10).
//
// After each group commit the writer appends the batch's events here and wakes the watchers
// whose keys changed; it never waits for them and never copies events for them (a batch is
// shared, read-only). A watcher of /nodes/ sleeps through a storm of /pods/ writes: waking
// every watcher on every commit would cost a context switch per watcher per commit, and with
// a hundred watchers on two CPUs that alone would slow the writers down. Each watcher keeps
// its own position (the last revision it has seen) and takes what is newer at its own pace;
// when it wakes up on its timeout it also moves past the batches that did not concern it.
// The log holds only the last `max_revisions` revisions: a watcher that falls further behind
// (or starts from an older revision) reads the gap from SQLite's history first (watcher.cpp).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <vector>

#include "orchestrator/store/key_range.h"
#include "orchestrator/store/kv.h"

namespace deploylab::store {

class WatchLog {
 public:
  // The log starts empty at `revision` (the store's revision when it opened).
  WatchLog(std::size_t max_revisions, Revision revision);

  // Writer: appends the committed events of one batch (in revision order), moves the log to
  // `revision` (which may be higher than the last event: a batch can end with no-op writes)
  // and wakes the readers waiting for one of the batch's keys.
  void publish(std::vector<Event> events, Revision revision);

  // Ends every wait; later reads return Status::closed.
  void close();

  struct Read {
    enum class Status { events, timeout, too_old, closed };
    Status status = Status::timeout;
    std::vector<std::shared_ptr<const std::vector<Event>>> batches;  // may hold events <= after: filter
    Revision revision = 0;  // the log's revision at the time of the read: the reader is now there
  };
  // Everything committed after revision `after`. Returns at once when that holds a key of
  // `interest` (nullptr: any key); otherwise waits up to `timeout` for such a key, and at the
  // timeout returns whatever is newer than `after` (Status::events), so the reader moves on
  // past batches that were not its business, or Status::timeout when nothing is.
  // too_old when events after `after` have already left the log (read them from disk first).
  // `stop` (may be null) is checked on every wake-up, so a cancel can interrupt the wait.
  Read read_after(Revision after, std::chrono::milliseconds timeout, const std::atomic<bool>* stop = nullptr,
                  const KeyRange* interest = nullptr);

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
  // A reader asleep in read_after(), and the keys it waits for.
  struct Waiter {
    const KeyRange* interest = nullptr;
    std::condition_variable wake;
    bool ready = false;
  };
  void trim();                                                            // with mutex_ held
  bool concerns(const KeyRange* interest, const std::vector<Event>& events) const;
  bool has_news(Revision after, const KeyRange* interest) const;          // with mutex_ held
  Read take(Revision after, Read::Status status) const;                   // with mutex_ held

  const std::size_t max_revisions_;
  mutable std::mutex mutex_;
  std::deque<Batch> batches_;
  std::list<Waiter*> waiters_;
  Revision revision_;
  Revision floor_;
  bool closed_ = false;
};

}  // namespace deploylab::store
