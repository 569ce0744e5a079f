// bench/containers/row_cells.cpp: labels, units and directions of container-rows' cells
// (row_cells.h).
#include "bench/containers/row_cells.h"

#include <stdexcept>

namespace deploylab::bench {
namespace {

constexpr Row kRows[] = {Row::startup, Row::memory, Row::density, Row::cpu, Row::disk};

std::string mib(std::int64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

struct CellText {
  std::string label, unit;
  Better better;
};

CellText disk_text(const std::string& metric, const RowSizes& s) {
  std::string where = " (container: its overlay root, upper dir on /var/tmp's file system; host: /var/tmp)";
  if (metric == "seq_write") return {"sequential write, " + std::to_string(s.io_mebibytes) + " MiB + fdatasync" + where, "MB/s", Better::higher};
  if (metric == "seq_read") return {"sequential read, " + std::to_string(s.io_mebibytes) + " MiB, O_DIRECT where the file system allows" + where, "MB/s", Better::higher};
  if (metric == "rand_read") return {"random 4 KiB reads, " + std::to_string(s.io_random_ops) + where, "IOPS", Better::higher};
  return {"random 4 KiB writes, each + fdatasync, " + std::to_string(s.io_random_ops) + where, "IOPS", Better::higher};
}

CellText text_of(Row row, const std::string& metric, const CellContext& c) {
  switch (row) {
    case Row::startup:
      return {"launch to first output: `RUNTIME run` of a busybox container running `echo ready`, spawn to the first "
              "byte on its stdout (host: fork+exec of the same echo)", "ms", Better::lower};
    case Row::memory:
      if (metric == "per_instance") {
        return {"idle busybox `sleep` container: the memory charged to its cgroup (" + c.memory_source + ": its "
                "processes, page cache, kernel memory) + the RSS of runtime processes left running for it", "MiB", Better::lower};
      }
      return {"per instance minus the workload's own memory (RssAnon of `sleep`; its code is page cache shared with "
              "the host, charged to whoever read it first)", "MiB", Better::lower};
    case Row::density:
      return {"idle busybox containers that ran in a " + mib(c.sizes.density_budget) + " memory cgroup (started one "
              "by one until a start failed or the OOM killer struck; cap " + std::to_string(c.sizes.density_cap) + ")",
              "count", Better::higher};
    case Row::cpu:
      return {"compute kernel, " + std::to_string(c.sizes.compute_millions) + " M iterations (its own timing; "
              "container: the same static binary bind-mounted read-only)", "ms", Better::lower};
    case Row::disk: return disk_text(metric, c.sizes);
    default: break;
  }
  throw std::invalid_argument("container-rows has no cells in row " + to_string(row));
}

}  // namespace

std::vector<std::string> metrics_of(Row row) {
  switch (row) {
    case Row::startup: return {"first_output"};
    case Row::memory: return {"per_instance", "beyond_workload"};
    case Row::density: return {"density"};
    case Row::cpu: return {"compute"};
    case Row::disk: return {"seq_write", "seq_read", "rand_read", "rand_write"};
    default: return {};
  }
}

bool has_host_column(Row row) { return row == Row::startup || row == Row::cpu || row == Row::disk; }

Measurement make_cell(Row row, const std::string& metric, const std::string& contender, const CellContext& context) {
  CellText text = text_of(row, metric, context);
  Measurement m;
  m.row = row;
  m.metric = metric;
  m.label = text.label;
  m.column = contender == kHost ? Column::host : Column::container;
  m.contender = contender;
  m.unit = text.unit;
  m.better = text.better;
  if (row == Row::density) m.params["budget_mib"] = static_cast<double>(context.sizes.density_budget) / (1 << 20);
  return m;
}

std::vector<Measurement> all_cells(const std::vector<std::string>& runtimes, const CellContext& context) {
  std::vector<Measurement> cells;
  for (Row row : kRows) {
    std::vector<std::string> contenders = runtimes;
    if (has_host_column(row)) contenders.insert(contenders.begin(), kHost);
    for (const std::string& metric : metrics_of(row)) {
      for (const std::string& who : contenders) cells.push_back(make_cell(row, metric, who, context));
    }
  }
  return cells;
}

}  // namespace deploylab::bench
