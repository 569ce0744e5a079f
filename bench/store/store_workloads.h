// bench/store/store_workloads.h: the store benchmark's measurements, each run against one
// server's endpoint through orchestrator/store/client (bench/store/README.md). They know nothing
// of rounds or of which store they talk to: store_bench.cpp runs them on every store in turn.
//
//   puts      N clients, each its own StoreClient (its own connection) on its own thread, put
//             distinct keys with fixed-size values as fast as their answers come back, for a
//             fixed time: acknowledged puts over the time until the last answer.
//   ranges    one client sends the same range request again and again; each one is timed.
//   watch     a watcher on a prefix and a writer that puts one key at a time, waiting until the
//             watcher has the event before the next put (so the samples do not queue behind
//             each other): from the put's send, and from its answer, to the event.
//
// Every key lives under the prefix given, so the workloads of one run never touch each other's
// keys. `stop` (set by Ctrl-C) ends a workload early with what it has.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "common/result.h"
#include "orchestrator/store/kv.h"

namespace deploylab::bench {

struct PutWorkload {
  std::string endpoint;                // "http://127.0.0.1:PORT"
  std::string prefix;                  // keys are PREFIX<client>/<n>
  int clients = 1;
  int value_bytes = 100;
  std::chrono::duration<double> window{2.0};  // how long the clients keep putting
};

struct PutResults {
  std::int64_t puts = 0;             // acknowledged puts of all clients
  double seconds = 0;                // from the common start to the last acknowledgement
  std::vector<double> latency_us;    // one per acknowledged put
};

Result<PutResults> measure_puts(const PutWorkload& work, const std::atomic<bool>& stop);

// PREFIX followed by n in 4 digits ("/bench/range/0042"), so that keys sort as their numbers do.
std::string numbered_key(const std::string& prefix, int n);

// Puts `keys` keys numbered_key(prefix, 0).. with `value_bytes`-byte values, 100 to a
// transaction (etcd refuses more than 128 operations in one).
Result<void> preload_keys(const std::string& endpoint, const std::string& prefix, int keys, int value_bytes);

// Sends `request` `count` times on one connection; the latency of each, in microseconds.
// Every answer must hold `expect_keys` keys, or the store is not answering what we time.
Result<std::vector<double>> measure_ranges(const std::string& endpoint, const store::RangeRequest& request,
                                           int count, std::int64_t expect_keys, const std::atomic<bool>& stop);

struct WatchWorkload {
  std::string endpoint;
  std::string prefix;  // the watcher watches it; the writer puts PREFIX<n>
  int events = 100;
  int value_bytes = 100;
  std::chrono::milliseconds deadline{5000};  // an event later than this fails the workload
};

struct WatchResults {
  std::vector<double> sent_us;   // put sent -> event received, per event
  std::vector<double> acked_us;  // put acknowledged -> event received (negative: event first)
};

Result<WatchResults> measure_watch(const WatchWorkload& work, const std::atomic<bool>& stop);

}  // namespace deploylab::bench
