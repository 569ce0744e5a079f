// orchestrator/store/gateway/gateway.h: the HTTP server in front of a Store: etcd v3's JSON
// gateway on loopback (lab 10).
//
// What `ministore serve` runs. Each request is answered by Routes (routes.h), each /v3/watch
// stream by WatchLines (watch_lines.h); this class owns the sockets and the threads.
//
// Threads: cpp-httplib serves each connection on one thread of a fixed pool, for as long as the
// connection lives: a keep-alive client holds a thread while it is connected, and a watch stream
// holds one until its client goes away. So the pool is sized for the watchers and the clients
// together (128 by default: e.g. 64 watch streams and 16 busy clients leave room to spare), and
// at most `max_watches` streams may be open at once, so watchers can never take every thread and
// starve the clients; one more watch gets 503 until another ends. An idle watch checks every
// `watch_poll` whether its client is still there, and a watch whose client went away ends
// within that time: its thread returns to the pool and its Watcher is canceled and freed.
//
// stop() returns once every connection is done: open watch streams end within `watch_poll`, and
// an idle kept-alive connection is closed within 2 seconds (the keep-alive timeout).
//
// Size limits: a write request over `max_request_bytes` once decoded gets etcd's 400 "request is
// too large" (protocol/request_size.h). The JSON body itself may be larger, since base64 makes
// values a third bigger; a body over max_body_bytes() is refused before it is read (413).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "common/result.h"
#include "orchestrator/store/protocol/request_size.h"
#include "orchestrator/store/store.h"

namespace deploylab::store::gateway {

struct GatewayOptions {
  std::string host = "127.0.0.1";
  int port = 0;                                            // 0: any free port (see Gateway::port)
  std::size_t max_request_bytes = kDefaultMaxRequestBytes; // etcd's --max-request-bytes
  std::size_t threads = 128;                               // connections served at once
  std::size_t max_watches = 96;                            // watch streams open at once (< threads)
  std::chrono::milliseconds watch_poll{200};               // how often an idle watch looks at its client
};

// The largest body read at all: etcd's gRPC limit (the request limit + 512 KiB) in base64, plus
// room for the JSON around it.
std::size_t max_body_bytes(std::size_t max_request_bytes);

class Gateway {
 public:
  // The store must outlive the gateway.
  Gateway(Store& store, GatewayOptions options);
  ~Gateway();  // stop()
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  // Binds host:port and starts serving on a thread of its own; an error names the address
  // (e.g. the port is in use).
  Result<void> start();
  // The port it listens on (the one the OS picked when the options said 0); 0 before start().
  int port() const;
  // Stops accepting, ends the open watch streams and waits for the threads. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace deploylab::store::gateway
