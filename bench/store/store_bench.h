// bench/store/store_bench.h: the store benchmark (bench/store/README.md): ministore next to a
// real etcd 3.4 on this machine, both durable, round by round.
//
// Every store gets its own server on a free loopback port and its own data directory under
// /var/tmp (or $TMPDIR: a real disk, since /tmp may be a tmpfs where fsync costs nothing), all
// running for the whole benchmark, and the same 1,000 keys preloaded under one prefix. Each
// round runs each measurement on every store in turn, starting one store later each round, so
// a busy moment of the machine hits every store alike:
//   puts, 1 client  ->  puts, 16 clients  ->  range of 1 key  ->  range of the prefix  ->  watch
// Round 0 warms up (connections, page cache, each server's allocator) and is not kept. At the
// end the servers are stopped by PID and the data directories removed, also after Ctrl-C.
#pragma once

#include <filesystem>
#include <vector>

#include "bench/store/store_report.h"
#include "common/result.h"

namespace deploylab::bench {

struct StoreBenchOptions {
  std::vector<Contender> contenders{Contender::ministore, Contender::etcd, Contender::ministore_normal};
  StoreBenchSettings settings;
  std::filesystem::path ministore;  // empty: BUILD/bin/ministore of this build tree
  std::filesystem::path etcd;       // empty: /usr/bin/etcd
  std::filesystem::path scratch;    // where the data directories go; empty: $TMPDIR, else /var/tmp
};

// The settings of --quick: one short kept round, to see that everything works.
StoreBenchSettings quick_settings();

// Ctrl-C (SIGINT) or SIGTERM ends the rounds early instead of the process, so the servers are
// still stopped and their data directories removed (by the destructors on the way out).
void stop_on_signals();

// Starts the servers, runs the rounds, stops the servers. A store that cannot run here (etcd not
// installed, a server that does not start) is in the report with the reason and no numbers; a
// measurement that fails records why and that store sits out the remaining rounds. An error
// means the benchmark itself could not start (no scratch directory).
Result<StoreReport> run_store_bench(const StoreBenchOptions& options);

}  // namespace deploylab::bench
