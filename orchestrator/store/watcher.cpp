// orchestrator/store/watcher.cpp: a watch that reads history, then follows the watch log
// (watcher.h).
#include "orchestrator/store/watcher.h"

#include <algorithm>

namespace deploylab::store {
namespace {

constexpr std::size_t kHistoryBatch = 1000;  // events read from disk per message at most

}  // namespace

std::vector<Event> select_events(const WatchRequest& request, const std::vector<Event>& events, Revision from) {
  const KeyRange range{request.key, request.range_end};
  std::vector<Event> selected;
  for (const Event& event : events) {
    if (event.kv.mod_revision < from || !contains(range, event.kv.key)) continue;
    if (event.type == EventType::put && request.no_put) continue;
    if (event.type == EventType::remove && request.no_delete) continue;
    Event copy = event;
    if (!request.prev_kv) copy.prev_kv.reset();
    selected.push_back(std::move(copy));
  }
  return selected;
}

StoreWatcher::StoreWatcher(WatchSources sources, WatchRequest request, std::int64_t watch_id)
    : sources_(std::move(sources)),
      request_(std::move(request)),
      range_{request_.key, request_.range_end},
      watch_id_(watch_id) {
  // start_revision 0: only what happens from now on.
  const Revision now = sources_.log->revision();
  next_revision_ = request_.start_revision > 0 ? request_.start_revision : now + 1;
  if (sources_.watchers) ++*sources_.watchers;
}

StoreWatcher::~StoreWatcher() {
  if (sources_.watchers) --*sources_.watchers;
}

void StoreWatcher::cancel() {
  canceled_ = true;
  sources_.log->wake_all();
}

WatchResponse StoreWatcher::canceled(std::string reason, Revision compact_revision) {
  finished_ = true;
  WatchResponse response;
  response.revision = sources_.log->revision();
  response.watch_id = watch_id_;
  response.canceled = true;
  response.compact_revision = compact_revision;
  response.cancel_reason = std::move(reason);
  return response;
}

WatchResponse StoreWatcher::events_response(std::vector<Event> events, Revision revision) const {
  WatchResponse response;
  response.revision = revision;
  response.watch_id = watch_id_;
  response.events = std::move(events);
  return response;
}

std::optional<WatchResponse> StoreWatcher::next(std::chrono::milliseconds timeout) {
  if (finished_) return std::nullopt;
  if (canceled_) return canceled("watch canceled");
  if (!created_sent_) {
    created_sent_ = true;
    WatchResponse created;
    created.revision = sources_.log->revision();
    created.watch_id = watch_id_;
    created.created = true;
    return created;
  }
  // History this watch still needs may have been compacted away (at start, or while it lagged).
  if (auto cancel = cancel_if_compacted()) return cancel;
  if (next_revision_ - 1 < sources_.log->floor()) return from_history(sources_.log->revision());
  return from_log(timeout);
}

Revision StoreWatcher::compact_revision() const {
  return sources_.committed->read([](const WriterState&, Revision, Revision compact) { return compact; });
}

std::optional<WatchResponse> StoreWatcher::cancel_if_compacted() {
  // BEGIN SOLUTION lab 10: cancel a watch whose history was compacted away
  const Revision compacted = compact_revision();
  if (next_revision_ < compacted) {
    return canceled("etcdserver: mvcc: required revision has been compacted", compacted);
  }
  return std::nullopt;
  // STUB:
  // // (not yet: the watch reads whatever history is left)
  // return std::nullopt;
  // END SOLUTION
}

std::optional<WatchResponse> StoreWatcher::from_history(Revision log_revision) {
  auto events = sources_.backend->events(range_, next_revision_, log_revision, kHistoryBatch);
  if (!events.ok()) {
    // A compaction that ran since next() checked makes the history refuse: say so as etcd would.
    if (auto cancel = cancel_if_compacted()) return cancel;
    return canceled("reading history: " + events.error().message());
  }
  std::vector<Event> selected = select_events(request_, events.value(), next_revision_);
  // Whole revisions came back; the next read starts after the last one (or, when nothing
  // matched in the range, after everything up to log_revision).
  const bool cut = events.value().size() >= kHistoryBatch;
  const Revision reached = cut ? events.value().back().kv.mod_revision : log_revision;
  next_revision_ = reached + 1;
  if (selected.empty()) return std::nullopt;
  return events_response(std::move(selected), reached);
}

std::optional<WatchResponse> StoreWatcher::from_log(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    WatchLog::Read read = sources_.log->read_after(next_revision_ - 1, std::max(left, std::chrono::milliseconds(0)),
                                                   &canceled_, &range_);
    switch (read.status) {
      case WatchLog::Read::Status::closed: return canceled("store closed");
      case WatchLog::Read::Status::too_old: return from_history(read.revision);
      case WatchLog::Read::Status::timeout:
        if (canceled_) return canceled("watch canceled");
        return std::nullopt;
      case WatchLog::Read::Status::events: break;
    }
    std::vector<Event> selected;
    for (const auto& batch : read.batches) {
      std::vector<Event> part = select_events(request_, *batch, next_revision_);
      selected.insert(selected.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
    }
    next_revision_ = read.revision + 1;
    if (!selected.empty()) return events_response(std::move(selected), read.revision);
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
  }
}

}  // namespace deploylab::store
