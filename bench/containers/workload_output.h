// bench/containers/workload_output.h: the one line bench/workloads' programs print, read back
// (bench/workloads/README.md). Pure: text in, numbers out.
//
//   deploylab-bench: compute millions=20 ms=52.543 checksum=c52d8785a584fdfe
//   deploylab-bench: io seq_write_mbps=906.8 seq_read_mbps=939.7 rand_read_iops=17318.2 rand_write_iops=479.4 direct=yes
//
// The line may sit among other output (a runtime's warnings, a kernel's console), so the parsers
// look for it; an error says which line or field is missing and shows the output's start.
#pragma once

#include <map>
#include <string>

#include "common/result.h"

namespace deploylab::bench {

struct ComputeOutput {
  long millions = 0;
  double ms = 0;
  std::string checksum;  // hex, as printed: equal for equal millions on every machine
};

struct IoOutput {
  double seq_write_mbps = 0, seq_read_mbps = 0, rand_read_iops = 0, rand_write_iops = 0;
  bool direct = false;  // the reads bypassed the page cache (O_DIRECT)
};

// The key=value words after "deploylab-bench: KIND " on the first such line of `output`:
// {"millions": "20", "ms": "52.543", ...}. An error when no line of that kind is there.
Result<std::map<std::string, std::string>> bench_line_fields(const std::string& output, const std::string& kind);

Result<ComputeOutput> parse_compute_output(const std::string& output);
Result<IoOutput> parse_io_output(const std::string& output);

}  // namespace deploylab::bench
