// bench/containers/row_cells.h: every cell container-rows fills in the tradeoff table, with what
// a reader sees next to it (bench/tradeoff/measurement.h). Pure: the row code asks for its cells
// here, so the labels, units and directions live in one place, and a run that cannot measure at
// all (not root) can still say why for every cell.
//
//   row      metric           contenders                unit   better
//   startup  first_output     host, minictr, crun, runc ms     lower
//   memory   per_instance     minictr, crun, runc       MiB    lower
//   memory   beyond_workload  minictr, crun, runc       MiB    lower
//   density  density          minictr, crun, runc       count  higher
//   cpu      compute          host, minictr, crun, runc ms     lower
//   disk     seq_write        host, minictr, crun, runc MB/s   higher
//   disk     seq_read         (the same)                MB/s   higher
//   disk     rand_read        (the same)                IOPS   higher
//   disk     rand_write       (the same)                IOPS   higher
#pragma once

#include <string>
#include <vector>

#include "bench/containers/rows_options.h"
#include "bench/tradeoff/measurement.h"

namespace deploylab::bench {

// The name of the contender that runs a workload on the host itself, without a container.
inline const std::string kHost = "host";

// What the labels need to know about this machine: where the memory row reads a cgroup's charge.
struct CellContext {
  RowSizes sizes;
  std::string memory_source = kV1MemorySource;  // kV2MemorySource under cgroup v2
  static constexpr const char* kV1MemorySource = "memory.stat total_rss + total_cache + memory.kmem.usage_in_bytes";
  static constexpr const char* kV2MemorySource = "memory.stat anon + file + kernel";
};

// One empty cell (no samples): `contender` is kHost or a runtime's name ("crun").
Measurement make_cell(Row row, const std::string& metric, const std::string& contender, const CellContext& context);

// The metrics of a row, in table order ({"seq_write", "seq_read", "rand_read", "rand_write"}).
std::vector<std::string> metrics_of(Row row);

// Whether the host has a cell in `row` (start-up, cpu, disk), or only containers (memory, density).
bool has_host_column(Row row);

// Every cell of every row for these runtimes, host cells included where they belong.
std::vector<Measurement> all_cells(const std::vector<std::string>& runtimes, const CellContext& context);

}  // namespace deploylab::bench
