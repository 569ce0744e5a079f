// orchestrator/store/client/store_server.h: starts a store server for tests and benchmarks.
//
// The contract tests, the crash test and the benchmark all need a real server on loopback:
// `ministore serve` from this build, or Debian's etcd 3.4. StoreServer starts one on a free
// 127.0.0.1 port with its own data directory, waits until it answers /v3/kv/range, and stops it
// by PID (SIGTERM, then SIGKILL) in its destructor, so nothing is left running even when a test
// fails. kill() and restart() are for the crash test: the same data dir and port come back.
// Inside data_dir the server keeps its files in `etcd/` or `ministore/` and its output in
// `server.log` (the end of which is in the error when it fails to start). The server gets
// PR_SET_PDEATHSIG: it dies with the *thread* that started it, so a crashed or timed-out test
// leaves nothing running; start and use it from one long-lived thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace deploylab::store {

enum class ServerKind { ministore, etcd };
std::string to_string(ServerKind kind);  // "ministore", "etcd"

struct StoreServerOptions {
  ServerKind kind = ServerKind::ministore;
  std::filesystem::path data_dir;  // must exist; the server's files go inside it
  std::filesystem::path binary;    // empty: `ministore` beside the running binary, or /usr/bin/etcd
  std::vector<std::string> extra_args;  // e.g. {"--durability", "normal"}
  std::chrono::milliseconds ready_timeout{20000};
};

// Why this machine cannot run `kind` (e.g. "etcd not installed: /usr/bin/etcd missing (make deps
// installs etcd-server)"), or nullopt when it can. Tests skip with this text.
std::optional<std::string> server_unavailable(ServerKind kind);

class StoreServer {
 public:
  static Result<StoreServer> start(StoreServerOptions options);
  ~StoreServer();  // stops the server if it runs
  StoreServer(StoreServer&&) noexcept;
  StoreServer& operator=(StoreServer&&) noexcept;

  const std::string& endpoint() const;  // "http://127.0.0.1:PORT"
  pid_t pid() const;                    // 0 when not running
  ServerKind kind() const;

  void kill_now();          // SIGKILL and reap: a crash, no clean shutdown
  Result<void> stop();      // SIGTERM, wait up to 10 s, then SIGKILL
  Result<void> restart();   // start again on the same port and data dir, wait until ready

 private:
  struct Impl;
  explicit StoreServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace deploylab::store
