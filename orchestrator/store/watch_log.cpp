// orchestrator/store/watch_log.cpp: the in-memory tail of history that watchers follow
// (watch_log.h).
#include "orchestrator/store/watch_log.h"

namespace deploylab::store {

WatchLog::WatchLog(std::size_t max_revisions, Revision revision)
    : max_revisions_(max_revisions == 0 ? 1 : max_revisions), revision_(revision), floor_(revision) {}

void WatchLog::publish(std::vector<Event> events, Revision revision) {
  {
    std::lock_guard lock(mutex_);
    if (!events.empty()) {
      Batch batch;
      batch.first = events.front().kv.mod_revision;
      batch.last = events.back().kv.mod_revision;
      batch.events = std::make_shared<const std::vector<Event>>(std::move(events));
      batches_.push_back(std::move(batch));
    }
    if (revision > revision_) revision_ = revision;
    trim();
  }
  changed_.notify_all();  // after unlocking: woken readers do not queue behind the writer
}

void WatchLog::trim() {
  while (!batches_.empty() && revision_ - batches_.front().last >= static_cast<Revision>(max_revisions_)) {
    floor_ = batches_.front().last;
    batches_.pop_front();
  }
  // With no batch held, nothing after the current revision is missing either.
  if (batches_.empty()) floor_ = revision_;
}

void WatchLog::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  changed_.notify_all();
}

void WatchLog::wake_all() {
  // Taking the lock once orders this wake-up after any reader's check of its stop flag, so a
  // reader that saw the flag clear is already waiting and gets the notification.
  { std::lock_guard lock(mutex_); }
  changed_.notify_all();
}

WatchLog::Read WatchLog::read_after(Revision after, std::chrono::milliseconds timeout, const std::atomic<bool>* stop) {
  std::unique_lock lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  Read read;
  while (true) {
    if (closed_) {
      read.status = Read::Status::closed;
      return read;
    }
    if (stop != nullptr && stop->load()) {
      read.status = Read::Status::timeout;
      return read;
    }
    if (after < floor_) {
      read.status = Read::Status::too_old;
      read.revision = revision_;
      return read;
    }
    if (revision_ > after) break;
    if (changed_.wait_until(lock, deadline) == std::cv_status::timeout && revision_ <= after) {
      read.status = Read::Status::timeout;
      read.revision = revision_;
      return read;
    }
  }
  for (const Batch& batch : batches_) {
    if (batch.last > after) read.batches.push_back(batch.events);
  }
  read.status = Read::Status::events;
  read.revision = revision_;
  return read;
}

Revision WatchLog::revision() const {
  std::lock_guard lock(mutex_);
  return revision_;
}

Revision WatchLog::floor() const {
  std::lock_guard lock(mutex_);
  return floor_;
}

}  // namespace deploylab::store
