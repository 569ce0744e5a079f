// bench/workloads/workload_args.h: the pure parts of the two workload programs (compute-kernel,
// io-probe; README.md here): their command lines, the compute kernel's hash chain and the one
// output line each prints. Plain C++ with no deploylab library, because both programs are linked
// statically and run inside busybox containers and Linux guests; the unit tests link this too.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace deploylab::workloads {

struct ComputeArgs {
  long millions = 50;  // iterations of the hash chain, in millions
};

struct IoArgs {
  std::string dir;          // where io-probe.PID.dat is written (required)
  long mebibytes = 64;      // size of the file, written and read in 1 MiB blocks
  long random_ops = 2000;   // 4 KiB random reads, and as many random synced writes
};

// Both parse argv without the program name. They return an empty string on success, else one
// line saying what was wrong ("--millions wants a whole number above 0, not `x`").
std::string parse_compute_args(const std::vector<std::string>& args, ComputeArgs& out);
std::string parse_io_args(const std::vector<std::string>& args, IoArgs& out);

// The compute kernel: `iterations` rounds of an xorshift64 step folded into a multiply-add
// accumulator. Every round needs the previous one's result, so the CPU cannot overlap them, and
// it touches nothing but two registers: its cost is the core's integer speed and nothing else.
std::uint64_t hash_chain(std::uint64_t iterations);

// "deploylab-bench: compute millions=50 ms=123.456 checksum=0123abcd0123abcd"
std::string compute_line(long millions, double ms, std::uint64_t checksum);

struct IoResult {
  double seq_write_mbps = 0, seq_read_mbps = 0, rand_read_iops = 0, rand_write_iops = 0;
  bool direct = false;  // reads bypassed the page cache (O_DIRECT)
};

// "deploylab-bench: io seq_write_mbps=812.3 seq_read_mbps=1650.0 rand_read_iops=9120.4
//  rand_write_iops=2101.7 direct=yes" (one line)
std::string io_line(const IoResult& result);

}  // namespace deploylab::workloads
