// bench/containers/rows_options.h: what `container-rows` measures and how much of it
// (bench/containers/README.md, "container-rows"). Pure: the sizes of each row for --quick and a
// full run, and the order contenders take within a round.
//
// The numbers are chosen for the time budgets of `make bench` on a 2-core machine: --quick, the
// classroom run, must finish the whole program in about 25 s, a full run in about 3 minutes.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "bench/containers/runtimes.h"

namespace deploylab::bench {

enum class Speed { quick, full };

// How big each row is.
struct RowSizes {
  int startup_rounds = 20;     // `RUNTIME run` of echo, per contender (after one warm-up round)
  int memory_rounds = 10;      // idle instances measured, per runtime
  int cpu_rounds = 10;         // compute-kernel runs, per contender
  int disk_rounds = 3;         // io-probe runs, per contender
  int compute_millions = 50;   // compute-kernel --millions
  int io_mebibytes = 64;       // io-probe --mebibytes
  int io_random_ops = 1000;    // io-probe --random-ops
  std::int64_t density_budget = std::int64_t{128} << 20;  // bytes: the parent cgroup's limit
  int density_cap = 1000;      // at most this many containers, whatever the budget
  std::chrono::seconds density_time_cap{60};  // per runtime: stop there (the count is then a lower bound)
};

// The sizes for `speed`; --rounds N (`rounds`) sets every row's round count, --density-budget
// (`budget_mib`, MiB) the density budget. Throws std::invalid_argument for rounds < 1 or a budget
// under 8 MiB (too small for even one runtime to start a container in).
RowSizes sizes_for(Speed speed, std::optional<int> rounds, std::optional<int> budget_mib);

// Everything container-rows needs to know.
struct RowsOptions {
  std::filesystem::path json;  // where the Measurements go (written after every contender)
  RowSizes sizes;
  std::vector<OciRuntime> runtimes{OciRuntime::minictr, OciRuntime::crun, OciRuntime::runc};
  std::filesystem::path minictr, crun = "crun", runc = "runc";  // the runtimes' binaries
  std::filesystem::path rootfs;          // the busybox rootfs of `make deps`
  std::filesystem::path compute_kernel;  // bench/workloads' static programs
  std::filesystem::path io_probe;
  std::chrono::milliseconds timeout{60'000};  // per command
};

// The order of `count` contenders in round `round` (0-based): each round starts one contender
// later than the one before (0 1 2, 1 2 0, 2 0 1, ...), so a noisy moment on the shared machine
// hits them all alike and nobody always runs right after the same neighbour.
std::vector<std::size_t> round_order(std::size_t count, int round);

}  // namespace deploylab::bench
