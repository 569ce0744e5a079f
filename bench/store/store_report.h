// bench/store/store_report.h: the store benchmark's samples, its side-by-side table, the goal
// checks and the JSON (bench/store/README.md). Pure: samples in, text out; store_bench.cpp
// measures, main.cpp prints.
//
//   measurement                          ministore (FULL)     etcd 3.4  ministore/etcd  ...
//   -----------------------------------  ----------------  -----------  --------------
//   puts/s, 1 client (median of rounds)           2,310/s      1,200/s           1.93x
//     min - max over rounds              2,100 - 2,400/s   ...
//   range, 1 key: p50                              210 us       480 us           0.44x
//   ...
//
// Ratios divide a column by etcd's: above 1 is better for puts/s, below 1 is better for the
// latencies. Under the table come the stores that were not measured (and why) and the issue's
// goals, each "met", "NOT met" or "cannot tell", with the numbers it was decided on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace deploylab::bench {

// The servers the benchmark can run side by side. Both ministores fsync through SQLite's WAL;
// FULL syncs at every commit (what the issue asks), NORMAL only at WAL checkpoints, so a power
// loss may drop the last commits (what kine, k3s's SQLite shim for etcd, runs with).
enum class Contender { ministore, etcd, ministore_normal };

// "ministore", "etcd", "ministore-normal": the names --only takes and the JSON uses.
std::string contender_key(Contender who);
// The column headers: "ministore (FULL)", "etcd 3.4", "ministore (NORMAL, kine's setting)".
std::string contender_title(Contender who);
// "ministore,etcd" -> {ministore, etcd}, in the order given, without repeats; an error names an
// unknown entry and lists the known ones.
Result<std::vector<Contender>> parse_contenders(std::string_view list);

// What every round does, for every store (the command line sets it; the JSON records it).
struct StoreBenchSettings {
  int rounds = 5;                 // kept rounds, after one warm-up round
  double put_seconds = 2.0;       // how long each put-throughput run lasts
  int concurrent_clients = 16;    // clients of the concurrent put run (the other has 1)
  int value_bytes = 100;          // every put's value
  int range_keys = 1000;          // keys preloaded under the prefix that the prefix range reads
  int single_key_ranges = 300;    // 1-key range requests per round
  int prefix_ranges = 40;         // range requests of the whole prefix per round
  int watch_events = 150;         // puts a round whose delivery to a watcher is timed
};

// One put-throughput run: how many puts all its clients got acknowledged in how long.
struct PutRound {
  std::int64_t puts = 0;
  double seconds = 0;
  double per_second() const;  // NaN when no time passed
};

// Everything measured on one store, over all kept rounds.
struct StoreSeries {
  Contender who = Contender::ministore;
  std::string unavailable;  // set: the store was not measured at all (why: not installed, did not start)
  std::string failure;      // set: a measurement failed (why); the rounds after it are missing
  std::vector<PutRound> puts_1, puts_n;                // one per round: 1 client, concurrent clients
  std::vector<double> put_1_latency_us, put_n_latency_us;  // every acknowledged put, rounds pooled
  std::vector<double> range_1_us, range_prefix_us;      // every range request, rounds pooled
  // Watch delivery, one sample per event: from just before the put was sent, and from the moment
  // its response arrived, to the moment the watcher's stream handed over the event. The second
  // is negative when the event arrived before the put's own response.
  std::vector<double> watch_sent_us, watch_acked_us;
};

struct StoreReport {
  StoreBenchSettings settings;
  std::vector<StoreSeries> series;  // in the order of the columns
  int rounds_done = 0;              // kept rounds actually run (fewer after Ctrl-C)
  std::string machine;              // common/cpu_info.h machine_line()
  std::string load_before, load_after;  // load_average_line() before and after the rounds
  std::vector<std::string> notes;   // more lines above the table: data dir, versions, a signal
};

// The percentile p (0..1) of `samples` by linear interpolation between the closest ranks (the
// definition of common/stats.h, which has no p99); NaN samples are ignored; NaN when none is left.
double percentile(std::vector<double> samples, double p);

// "12,346" (below 100 with one decimal: "85.3"); "n/a" for NaN.
std::string format_count(double value);
// "2,310/s"; "n/a" for NaN.
std::string format_rate(double per_second);
// "1.93x"; "n/a" for NaN.
std::string format_ratio(double ratio);

// The table: one row per measurement, one column per store, and a ratio column after each
// store other than etcd when etcd is in the report. A store not measured has empty cells.
std::string render_store_table(const StoreReport& report);

enum class Verdict { met, not_met, cannot_tell };
std::string to_string(Verdict verdict);  // "met", "NOT met", "cannot tell"

struct GoalCheck {
  std::string goal;      // "ministore >= etcd in puts/s with 1 client"
  Verdict verdict = Verdict::cannot_tell;
  std::string evidence;  // the numbers, or why there are none
};

// The goals, on ministore (FULL) against etcd: puts/s at 1 client at least etcd's, at
// the concurrent clients at least twice etcd's (medians of the rounds), and watch delivery
// (put sent -> event received) under 10 ms at p99.
std::vector<GoalCheck> check_goals(const StoreReport& report);
// "goal: <goal>: <verdict> (<evidence>)"
std::string render_goal(const GoalCheck& check);

// The whole text report: the lines about the machine, the table, notes on missing or failed
// stores, the goal lines.
std::string render_store_report(const StoreReport& report);

// Every sample (each round's put counts; every range and watch latency; put latencies as
// percentiles only, they are tens of thousands), the summaries, the settings, the machine, the
// goal verdicts.
nlohmann::json store_report_json(const StoreReport& report);

}  // namespace deploylab::bench
