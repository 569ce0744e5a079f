// bench/tradeoff/measurement.h: the one record every tradeoff-table benchmark writes. `make bench`
// (tradeoff-bench, bench/tradeoff/) runs the row benchmarks (container-rows, vm-rows, boot-bench,
// container-bench, net-bench, minivmm bench-exits), collects their Measurements and turns them into
// results.json, tradeoff.md, tradeoff.csv and the plots. A Measurement is one contender's samples
// of one metric of one row, measured in one place ("native" on this machine, or "vmhost" inside
// the KVM test host, whose figures are never mixed with native ones).
//
// The JSON file a row benchmark writes (measurements_to_json / measurements_from_json):
//   {"source": "container-rows", "measurements": [ {Measurement}, ... ]}
// with each Measurement as
//   {"row": "cpu", "metric": "compute", "label": "compute kernel, 20 M iterations",
//    "column": "container", "contender": "minictr", "place": "native",
//    "unit": "ms", "better": "lower", "samples": [12.1, 12.3], "text": "", "missing": "",
//    "baseline": "", "params": {"budget_mib": 16}}
// An empty `samples` with a `missing` reason is an empty cell that says why (no qemu, not
// measurable under kvm_pvm, ...); `text` carries a fact that is not a number (a kernel release).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace deploylab::bench {

// The table's rows, in the lecture's order.
enum class Row { startup, memory, density, crossing, cpu, disk, network, isolation };

// The table's columns: what kind of instance ran the workload.
enum class Column { host, container, vm };

// Which way is better for a number (none: a fact, not a score).
enum class Better { lower, higher, none };

struct Measurement {
  Row row = Row::startup;
  std::string metric;     // short id inside the row: "boot_to_init", "seq_write", "uname"
  std::string label;      // what a reader sees: "launch to first output"
  Column column = Column::host;
  std::string contender;  // "host", "minictr", "crun", "runc", "minivmm", "qemu", "libvirt"
  std::string place = "native";  // "native" or "vmhost"
  std::string unit;       // "ms", "us", "ns", "MiB", "MB/s", "IOPS", "count", "" (text)
  Better better = Better::lower;
  std::vector<double> samples;
  std::string text;       // a fact that is not a number ("6.1.0-27-amd64")
  std::string missing;    // why there are no samples ("crun is not installed: apt install crun")
  std::string baseline;   // the host's metric to compare with, when not the same metric (optional)
  // Settings the figure depends on, as numbers, for comparing figures taken with different
  // settings: {"budget_mib": 16} for a density count (optional).
  std::map<std::string, double> params;
};

std::string to_string(Row row);
std::string to_string(Column column);
std::string to_string(Better better);
Result<Row> parse_row(const std::string& text);
Result<Column> parse_column(const std::string& text);
Result<Better> parse_better(const std::string& text);

nlohmann::ordered_json to_json(const Measurement& m);
Result<Measurement> measurement_from_json(const nlohmann::json& j);

// The file format above: {"source": ..., "measurements": [...]}.
nlohmann::ordered_json measurements_to_json(const std::string& source, const std::vector<Measurement>& ms);
Result<std::vector<Measurement>> measurements_from_json(const nlohmann::json& j);

// Writes the file atomically (a reader never sees half of it): the row benchmarks call this
// after every contender, so an interrupted run keeps what it measured.
Result<void> write_measurements(const std::string& path, const std::string& source,
                                const std::vector<Measurement>& ms);
Result<std::vector<Measurement>> read_measurements(const std::string& path);

}  // namespace deploylab::bench
