// orchestrator/store/watch_log.cpp: the in-memory tail of history that watchers follow
// (watch_log.h).
#include "orchestrator/store/watch_log.h"

#include <algorithm>

namespace deploylab::store {

WatchLog::WatchLog(std::size_t max_revisions, Revision revision)
    : max_revisions_(max_revisions == 0 ? 1 : max_revisions), revision_(revision), floor_(revision) {}

bool WatchLog::concerns(const KeyRange* interest, const std::vector<Event>& events) const {
  if (interest == nullptr) return !events.empty();
  return std::any_of(events.begin(), events.end(), [&](const Event& e) { return contains(*interest, e.kv.key); });
}

void WatchLog::publish(std::vector<Event> events, Revision revision) {
  std::lock_guard lock(mutex_);
  if (!events.empty()) {
    Batch batch;
    batch.first = events.front().kv.mod_revision;
    batch.last = events.back().kv.mod_revision;
    batch.events = std::make_shared<const std::vector<Event>>(std::move(events));
    // Only the readers this batch concerns are woken; the others sleep on until their timeout.
    for (Waiter* waiter : waiters_) {
      if (!waiter->ready && concerns(waiter->interest, *batch.events)) {
        waiter->ready = true;
        waiter->wake.notify_one();
      }
    }
    batches_.push_back(std::move(batch));
  }
  if (revision > revision_) revision_ = revision;
  trim();
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
  std::lock_guard lock(mutex_);
  closed_ = true;
  for (Waiter* waiter : waiters_) waiter->wake.notify_one();
}

void WatchLog::wake_all() {
  // Under the lock: a reader that saw its stop flag clear is then already registered, waiting.
  std::lock_guard lock(mutex_);
  for (Waiter* waiter : waiters_) {
    waiter->ready = true;
    waiter->wake.notify_one();
  }
}

bool WatchLog::has_news(Revision after, const KeyRange* interest) const {
  for (auto it = batches_.rbegin(); it != batches_.rend() && it->last > after; ++it) {
    if (concerns(interest, *it->events)) return true;
  }
  return false;
}

WatchLog::Read WatchLog::take(Revision after, Read::Status status) const {
  Read read;
  read.status = status;
  read.revision = revision_;
  if (status != Read::Status::events) return read;
  for (const Batch& batch : batches_) {
    if (batch.last > after) read.batches.push_back(batch.events);
  }
  return read;
}

WatchLog::Read WatchLog::read_after(Revision after, std::chrono::milliseconds timeout, const std::atomic<bool>* stop,
                                    const KeyRange* interest) {
  std::unique_lock lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  Waiter waiter;
  waiter.interest = interest;
  waiters_.push_back(&waiter);
  const auto registered = std::prev(waiters_.end());
  Read::Status status = Read::Status::timeout;
  while (true) {
    if (closed_) {
      status = Read::Status::closed;
      break;
    }
    if (stop != nullptr && stop->load()) break;
    if (after < floor_) {
      status = Read::Status::too_old;
      break;
    }
    if (has_news(after, interest)) {
      status = Read::Status::events;
      break;
    }
    waiter.ready = false;
    if (waiter.wake.wait_until(lock, deadline, [&] { return waiter.ready || closed_; })) continue;
    // The timeout: hand over whatever is newer, so the reader moves past what was not its business.
    if (revision_ > after) status = after < floor_ ? Read::Status::too_old : Read::Status::events;
    break;
  }
  waiters_.erase(registered);
  return take(after, status);
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
