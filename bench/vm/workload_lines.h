// bench/vm/workload_lines.h: what the workloads said, read back from their one-line reports.
//
// Every program vm-rows runs, in a guest or on the machine itself, prints its result as one line
// starting with "deploylab-bench:" (bench/workloads/README.md); in a guest the line arrives on the
// serial console among the kernel's messages, and ConsoleScanner (bench/boot) collects it:
//
//   deploylab-bench: compute millions=10 ms=25.310 checksum=8ab8a5792f3eb7e6
//   deploylab-bench: io seq_write_mbps=38.2 seq_read_mbps=248.4 rand_read_iops=1289.1 rand_write_iops=422.3 direct=yes
//   deploylab-bench: uname 6.1.0-56-amd64
//   deploylab-bench: boot_id 0044d593-1582-4e2d-afbf-33015aef98c6
//   deploylab-bench: syscalls reachable=361 blocked=0 total=361
//   deploylab-bench: attack mount rc=1 mount: SUCCEEDED (returned 0)
//   deploylab-bench: net {"rr_us":[61.20,58.93,...]}
//
// (the last two from the guest's run.sh, guest_script.h: the attack's name, ctr_attack's exit
// code and its first line; net-probe's JSON of request/response round trips). Pure: lines in, figures out; a line it does not know, or a known line with
// a field missing or not a number, is skipped, so a half-printed line never becomes a number.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace deploylab::bench {

struct ComputeFigures {
  long millions = 0;
  double ms = 0;
  std::string checksum;
};

struct IoFigures {
  double seq_write_mbps = 0, seq_read_mbps = 0, rand_read_iops = 0, rand_write_iops = 0;
  bool direct = false;
};

struct SyscallFigures {
  double reachable = 0, blocked = 0, total = 0;
};

struct AttackOutcome {
  std::string attack;  // "mount"
  int exit_code = 2;   // ctr_attack's: 0 blocked, 1 succeeded, 2 usage/unexpected
  std::string says;    // its first line: "mount: SUCCEEDED (returned 0)"
};

struct WorkloadOutput {
  std::optional<ComputeFigures> compute;
  std::optional<IoFigures> io;
  std::string uname, boot_id;
  std::optional<SyscallFigures> syscalls;
  std::vector<AttackOutcome> attacks;
  std::vector<double> rr_us;  // network round trips, microseconds
};

// Reads every line (each may carry text before "deploylab-bench:"; a later line of the same kind
// replaces an earlier one, except attacks, which accumulate).
WorkloadOutput parse_workload_lines(const std::vector<std::string>& lines);

// Splits text into its lines (without "\r\n") for parse_workload_lines (a host program's stdout).
std::vector<std::string> split_lines(const std::string& text);

}  // namespace deploylab::bench
