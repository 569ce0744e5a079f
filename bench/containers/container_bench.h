// bench/containers/container_bench.h: the container benchmark from start to finish
// (bench/containers/README.md): make one bundle, run the rows round by round, search each
// runtime's smallest memory limit, clean up.
//
// The rows, in table order: for each runtime `run` and `create + start + wait + delete`, then
// `unshare -pfmnui --mount-proc true` and `true` for scale. A round runs every row once, starting
// one row later than the round before (A B C.., B C.. A, ...), so a noisy minute on this shared
// machine hits every row alike and no row always runs right after the same neighbour. One
// warm-up round (page cache, first exec of each binary) comes first and is not counted.
#pragma once

#include <chrono>
#include <filesystem>
#include <vector>

#include "bench/containers/container_report.h"
#include "bench/containers/limit_search.h"
#include "bench/containers/runtimes.h"

namespace deploylab::bench {

enum class MemorySearch { run, skip };

struct BenchOptions {
  std::vector<OciRuntime> runtimes{OciRuntime::minictr, OciRuntime::crun, OciRuntime::runc};
  std::filesystem::path minictr = "minictr", crun = "crun", runc = "runc";  // the binaries
  std::filesystem::path rootfs;  // the busybox rootfs of `make deps` (BUILD/assets/rootfs)
  int rounds = 50;
  MemorySearch memory = MemorySearch::run;
  SearchRange range;
  std::chrono::milliseconds timeout{60'000};  // per command
};

// Runs everything and returns the report (main.cpp prints it). A runtime that fails a round sits
// out the remaining rounds with the reason in its row; the others go on. Progress goes to stderr.
// Needs root. Leaves no container, cgroup, state directory or process behind.
ContainerReport run_container_bench(const BenchOptions& options);

}  // namespace deploylab::bench
