// bench/workloads/compute_kernel.cpp: `compute-kernel [--millions N]`, the CPU-bound workload of
// the tradeoff table's cpu row (README.md here). The same static binary runs on the host, in a
// container and in a VM; it times only its hash chain (workload_args.h), which makes no system
// call and touches no memory, so what differs between the places is the CPU the code gets.
//
// Prints one line: deploylab-bench: compute millions=N ms=T checksum=HEX
// The checksum depends on N only: equal checksums prove every place did the same work.
#include <time.h>

#include <cstdio>
#include <string>
#include <vector>

#include "bench/workloads/workload_args.h"

namespace {

double now_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace deploylab::workloads;
  ComputeArgs args;
  if (std::string error = parse_compute_args({argv + 1, argv + argc}, args); !error.empty()) {
    std::fprintf(stderr, "compute-kernel: %s\n", error.c_str());
    return 2;
  }
  double start = now_ms();
  std::uint64_t checksum = hash_chain(static_cast<std::uint64_t>(args.millions) * 1000000u);
  double elapsed = now_ms() - start;
  std::printf("%s\n", compute_line(args.millions, elapsed, checksum).c_str());
  return 0;
}
