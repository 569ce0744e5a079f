// bench/store/store_bench.cpp: start the servers, preload, run the interleaved rounds, stop
// (see store_bench.h).
#include "bench/store/store_bench.h"

#include <linux/magic.h>
#include <signal.h>
#include <sys/vfs.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "bench/store/store_workloads.h"
#include "common/cpu_info.h"
#include "common/subprocess.h"
#include "common/temp_dir.h"
#include "orchestrator/store/client/store_server.h"
#include "orchestrator/store/key_range.h"

namespace deploylab::bench {
namespace {

using store::ServerKind;
using store::StoreServer;

// Set by SIGINT or SIGTERM: the rounds stop and the servers are still stopped.
std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");
void request_stop(int) { stop_requested.store(true); }

const std::string kRangePrefix = "/bench/range/";

// One store under test: its server (while it runs) and what was measured on it.
struct Contestant {
  StoreSeries series;
  std::optional<StoreServer> server;

  bool runnable() const { return server.has_value() && series.failure.empty(); }
  const std::string& endpoint() const { return server->endpoint(); }
};

enum class Measure { puts_1, puts_n, range_1, range_prefix, watch };
constexpr Measure kMeasures[] = {Measure::puts_1, Measure::puts_n, Measure::range_1, Measure::range_prefix,
                                 Measure::watch};

std::string describe(Measure m) {
  switch (m) {
    case Measure::puts_1: return "puts, 1 client";
    case Measure::puts_n: return "puts, concurrent clients";
    case Measure::range_1: return "range of 1 key";
    case Measure::range_prefix: return "range of the prefix";
    case Measure::watch: return "watch delivery";
  }
  return "?";
}

// "/var/tmp/store-bench-x1Y2z3 (ext4)"; a warning on a tmpfs, where fsync is free.
std::string describe_filesystem(const std::filesystem::path& dir) {
  struct statfs fs {};
  if (::statfs(dir.c_str(), &fs) != 0) return dir.string();
  switch (static_cast<unsigned long>(fs.f_type)) {
    case TMPFS_MAGIC: return dir.string() + " (tmpfs: fsync costs nothing here; set TMPDIR to a directory on a disk)";
    case EXT4_SUPER_MAGIC: return dir.string() + " (ext4)";
    case XFS_SUPER_MAGIC: return dir.string() + " (xfs)";
    case BTRFS_SUPER_MAGIC: return dir.string() + " (btrfs)";
    case OVERLAYFS_SUPER_MAGIC: return dir.string() + " (overlayfs)";
    default: return dir.string();
  }
}

// The first line of `etcd --version` ("etcd Version: 3.4.23"), or why there is none.
std::string etcd_version(const std::filesystem::path& etcd) {
  RunOptions options;
  options.timeout = std::chrono::seconds(10);
  auto out = run_checked({etcd.string(), "--version"}, options);
  if (!out.ok()) return "etcd --version failed: " + out.error().message();
  return out.value().substr(0, out.value().find('\n')) + " (" + etcd.string() + ")";
}

store::StoreServerOptions server_options(Contender who, const StoreBenchOptions& options,
                                         const std::filesystem::path& dir) {
  store::StoreServerOptions server;
  server.kind = who == Contender::etcd ? ServerKind::etcd : ServerKind::ministore;
  server.data_dir = dir;
  server.binary = who == Contender::etcd ? options.etcd : options.ministore;
  if (who == Contender::ministore) server.extra_args = {"--durability", "full"};
  if (who == Contender::ministore_normal) server.extra_args = {"--durability", "normal"};
  return server;
}

// Starts the server of `who` in SCRATCH/<key> and preloads the prefix; a store that cannot run
// here gets the reason instead of a server.
Contestant start_contestant(Contender who, const StoreBenchOptions& options, const std::filesystem::path& scratch) {
  Contestant c;
  c.series.who = who;
  store::StoreServerOptions server = server_options(who, options, scratch / contender_key(who));
  if (server.binary.empty()) {
    if (auto why = store::server_unavailable(server.kind)) {
      c.series.unavailable = *why;
      return c;
    }
  }
  std::filesystem::create_directories(server.data_dir);
  auto started = StoreServer::start(server);
  if (!started.ok()) {
    c.series.unavailable = "the server did not start: " + started.error().message();
    return c;
  }
  c.server.emplace(std::move(started).value());
  auto loaded = preload_keys(c.endpoint(), kRangePrefix, options.settings.range_keys, options.settings.value_bytes);
  if (!loaded.ok()) c.series.failure = "preloading " + kRangePrefix + ": " + loaded.error().message();
  return c;
}

// Measure::puts_1 or Measure::puts_n.
Result<void> measure_puts_into(Contestant& c, const StoreBenchSettings& s, int round, Measure m, bool keep) {
  const bool one = m == Measure::puts_1;
  PutWorkload work;
  work.endpoint = c.endpoint();
  work.prefix = "/bench/put/r" + std::to_string(round) + (one ? "/one/" : "/many/");
  work.clients = one ? 1 : s.concurrent_clients;
  work.value_bytes = s.value_bytes;
  work.window = std::chrono::duration<double>(s.put_seconds);
  PutResults got = DL_TRY(measure_puts(work, stop_requested));
  if (!keep) return {};
  (one ? c.series.puts_1 : c.series.puts_n).push_back({got.puts, got.seconds});
  auto& latency = one ? c.series.put_1_latency_us : c.series.put_n_latency_us;
  latency.insert(latency.end(), got.latency_us.begin(), got.latency_us.end());
  return {};
}

Result<void> measure_range_into(Contestant& c, const StoreBenchSettings& s, Measure m, bool keep) {
  store::RangeRequest request;
  std::int64_t expect = 1;
  int count = s.single_key_ranges;
  request.key = numbered_key(kRangePrefix, s.range_keys / 2);
  if (m == Measure::range_prefix) {
    request.key = kRangePrefix;
    request.range_end = store::prefix_end(kRangePrefix);
    expect = s.range_keys;
    count = s.prefix_ranges;
  }
  std::vector<double> got = DL_TRY(measure_ranges(c.endpoint(), request, count + 1, expect, stop_requested));
  if (!keep) return {};
  auto& into = m == Measure::range_1 ? c.series.range_1_us : c.series.range_prefix_us;
  into.insert(into.end(), got.begin(), got.end());
  return {};
}

Result<void> measure_watch_into(Contestant& c, const StoreBenchSettings& s, int round, bool keep) {
  WatchWorkload work;
  work.endpoint = c.endpoint();
  work.prefix = "/bench/watch/r" + std::to_string(round) + "/";
  work.events = s.watch_events;
  work.value_bytes = s.value_bytes;
  WatchResults got = DL_TRY(measure_watch(work, stop_requested));
  if (!keep) return {};
  c.series.watch_sent_us.insert(c.series.watch_sent_us.end(), got.sent_us.begin(), got.sent_us.end());
  c.series.watch_acked_us.insert(c.series.watch_acked_us.end(), got.acked_us.begin(), got.acked_us.end());
  return {};
}

Result<void> measure(Measure m, Contestant& c, const StoreBenchSettings& s, int round) {
  bool keep = round > 0;
  switch (m) {
    case Measure::puts_1:
    case Measure::puts_n: return measure_puts_into(c, s, round, m, keep);
    case Measure::range_1:
    case Measure::range_prefix: return measure_range_into(c, s, m, keep);
    case Measure::watch: return measure_watch_into(c, s, round, keep);
  }
  return {};
}

// One round: each measurement on every store in turn, the first store rotating with the round.
// A failure caused by Ctrl-C (a server killed by the terminal's SIGINT) is not the store's fault
// and is not recorded.
void run_round(std::vector<Contestant>& all, const StoreBenchSettings& s, int round) {
  for (Measure m : kMeasures) {
    for (std::size_t i = 0; i < all.size() && !stop_requested.load(); ++i) {
      Contestant& c = all[(i + static_cast<std::size_t>(round)) % all.size()];
      if (!c.runnable()) continue;
      auto done = measure(m, c, s, round);
      if (done.ok() || stop_requested.load()) continue;
      c.series.failure = "round " + std::to_string(round) + (round == 0 ? " (warm-up)" : "") + ", " + describe(m) +
                         ": " + done.error().message() + "; no further rounds on this store";
    }
  }
}

std::string settings_note(const StoreBenchSettings& s) {
  char text[400];
  std::snprintf(text, sizeof text,
                "%d round%s after 1 warm-up, stores interleaved (the first rotates every round); per round and store: "
                "puts for %.1f s with 1 and with %d clients (own connection and thread each, %d-byte values, distinct "
                "keys), %d ranges of 1 key, %d of a %s-key prefix, %d watch events (one put at a time)",
                s.rounds, s.rounds == 1 ? "" : "s", s.put_seconds, s.concurrent_clients, s.value_bytes,
                s.single_key_ranges, s.prefix_ranges, format_count(s.range_keys).c_str(), s.watch_events);
  return text;
}

std::filesystem::path scratch_parent(const StoreBenchOptions& options) {
  if (!options.scratch.empty()) return options.scratch;
  const char* tmpdir = std::getenv("TMPDIR");
  return tmpdir != nullptr && *tmpdir != '\0' ? std::filesystem::path(tmpdir) : std::filesystem::path("/var/tmp");
}

void add_notes(StoreReport& report, const StoreBenchOptions& options, const TempDir& scratch) {
  report.notes.push_back("durability: etcd fsyncs its WAL at every commit (its default); ministore runs --durability "
                         "full (SQLite WAL, synchronous=FULL) unless the column says NORMAL");
  report.notes.push_back("data directories: " + describe_filesystem(scratch.path()));
  bool with_etcd = std::find(options.contenders.begin(), options.contenders.end(), Contender::etcd) !=
                   options.contenders.end();
  if (with_etcd) report.notes.push_back("etcd: " + etcd_version(options.etcd.empty() ? "/usr/bin/etcd" : options.etcd));
  report.notes.push_back(settings_note(options.settings));
}

}  // namespace

StoreBenchSettings quick_settings() {
  StoreBenchSettings s;
  s.rounds = 1;
  s.put_seconds = 0.5;
  s.single_key_ranges = 100;
  s.prefix_ranges = 10;
  s.watch_events = 50;
  return s;
}

void stop_on_signals() {
  struct sigaction action {};
  action.sa_handler = request_stop;  // no SA_RESTART
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

Result<StoreReport> run_store_bench(const StoreBenchOptions& options) {
  // Declared before the servers, so it is removed after they have stopped.
  TempDir scratch = DL_TRY(TempDir::create("store-bench-", scratch_parent(options)));
  StoreReport report;
  report.settings = options.settings;
  report.machine = machine_line();
  add_notes(report, options, scratch);
  std::vector<Contestant> all;
  for (Contender who : options.contenders) all.push_back(start_contestant(who, options, scratch.path()));
  report.load_before = load_average_line();
  for (int round = 0; round <= options.settings.rounds && !stop_requested.load(); ++round) {
    run_round(all, options.settings, round);
    if (!stop_requested.load()) report.rounds_done = round;
  }
  report.load_after = load_average_line();
  if (stop_requested.load()) {
    report.notes.push_back("stopped early by a signal: the columns hold the rounds done until then");
  }
  for (Contestant& c : all) report.series.push_back(std::move(c.series));
  return report;  // `all` goes first: the servers stop, then `scratch` is removed
}

}  // namespace deploylab::bench
