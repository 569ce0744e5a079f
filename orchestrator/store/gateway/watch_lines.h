// orchestrator/store/gateway/watch_lines.h: one /v3/watch stream, as the lines etcd's gateway
// writes (lab 10).
//
// etcd answers a watch with a chunked HTTP response that stays open: one JSON object per
// message, each followed by "\n". The first message is always {"result": {..., "created":
// true}}; if the start revision was already compacted, the next (and last) one is the
// cancellation with "compact_revision". WatchLines turns a Store Watcher's messages into those
// lines. The Store may report a compacted start at once, without a "created" before it; then
// WatchLines writes the "created" etcd would have written first. After a cancellation the
// stream is finished: ministore serves one watch per stream, so nothing more can come.
//
// The HTTP side (gateway.cpp) calls next() in a loop from the connection's thread and checks
// between calls whether the client is still there.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "orchestrator/store/kv.h"
#include "orchestrator/store/store.h"

namespace deploylab::store::gateway {

class WatchLines {
 public:
  // `current`: the store's revision when the watch opened (the header of a "created" we add).
  WatchLines(std::unique_ptr<Watcher> watcher, Revision current);
  ~WatchLines();
  WatchLines(const WatchLines&) = delete;
  WatchLines& operator=(const WatchLines&) = delete;

  // The next line or lines to send, each ending in "\n"; "" when nothing came within
  // `timeout`, or once finished.
  std::string next(std::chrono::milliseconds timeout);
  // A cancellation was sent: the stream ends.
  bool finished() const { return finished_; }

 private:
  std::unique_ptr<Watcher> watcher_;
  Revision current_;
  bool created_sent_ = false;
  bool finished_ = false;
};

}  // namespace deploylab::store::gateway
