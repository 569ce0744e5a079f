// bench/network/net_report.h: the network benchmark's samples, their table and the JSON
// (bench/network/README.md). Pure: samples in, text out; net_bench.cpp measures, main.cpp prints.
//
//   path                       round trip p50      p90  vs loopback  spinning p50  vs loopback  bulk (median)  min - max  vs loopback
//   -------------------------  --------------  -------  -----------  ------------  -----------  -------------  ---------  -----------
//   host loopback (127.0.0.1)         63.5 us  78.1 us        1.00x       10.5 us        1.00x    20.5 Gbit/s  ...              1.00x
//   host -> container (...)           ...
//
// Round trips are pooled over all rounds (a 1-byte request and its 1-byte answer), once with
// both ends sleeping in read() and once spinning; bulk is one transfer a round, in gigabits per
// second of payload. "vs loopback" divides by the loopback
// row: latency ratios above 1 and throughput ratios below 1 are the cost of the path.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/stats.h"

namespace deploylab::bench {

struct NetSeries {
  std::string name;                 // "host -> container (bridge + veth)"
  std::vector<double> round_trip_us;  // every round trip of every round, both ends sleeping in read()
  std::vector<double> spin_round_trip_us;  // the same with both ends spinning (net_probe.cpp says why)
  std::vector<double> gbit_per_s;   // one bulk transfer a round
  std::string failure;              // set: the row failed and sat out the rest (the reason)
};

struct NetReport {
  std::vector<NetSeries> series;    // the first is the loopback baseline
  int rounds = 0;
  std::vector<std::string> about;   // lines above the table: machine, load, what was measured
};

// Gigabits per second for `bytes` moved in `seconds` (payload only: no headers).
double gbit_per_second(double bytes, double seconds);

// "24.9 us", "16.1 Gbit/s", "1.49x"; "n/a" for NaN.
std::string format_gbit(double gbit_per_s);
std::string format_ratio(double ratio);

// The table above, with one line per failed row after it.
std::string render_net_table(const NetReport& report);

// The whole text report: the lines of `about`, the table, the failures.
std::string render_net_report(const NetReport& report);

// Every sample and the summaries.
nlohmann::json net_report_json(const NetReport& report);

}  // namespace deploylab::bench
