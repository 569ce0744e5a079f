// bench/isolation/isolation_rows.h: `isolation-rows` from start to finish (README.md here):
// the host's facts, then one busybox container per runtime that prints its facts, runs
// syscall-census and makes the escape attempts (attacks.h), every contender's Measurements
// written to the JSON file as soon as it is done.
//
// The bundle is built the way container-bench builds its own: a copy of the busybox rootfs and
// `minictr spec`'s config.json (bench/containers/runtimes.h's bench_config), with the probe script
// as the process. minictr, crun and runc all get that same config.json, so the same seccomp
// profile, capabilities, masked paths and namespaces: the runtimes differ only in how they apply
// it. syscall-census and ctr_attack are copied into the rootfs (/deploylab/), not bind-mounted,
// so config.json stays exactly what `minictr spec` wrote.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace deploylab::bench::isolation {

struct RowsOptions {
  std::vector<std::string> contenders{"host", "minictr", "crun", "runc"};
  std::filesystem::path minictr = "minictr", crun = "crun", runc = "runc";
  std::filesystem::path rootfs;    // the busybox rootfs of `make deps`
  std::filesystem::path census;    // syscall-census (static)
  std::filesystem::path attacker;  // ctr_attack (static)
  std::filesystem::path json;      // where the Measurements go
  std::chrono::milliseconds timeout{20'000};  // per container run
};

// The exit code of isolation-rows: 0, 1 if nothing could be written, or 130 after SIGINT/SIGTERM
// (what was measured by then is written; no container, process or temp dir is left). Needs root.
int run_isolation_rows(const RowsOptions& options);

}  // namespace deploylab::bench::isolation
