// bench/boot/boot_bench.h: the rounds of the boot benchmark (bench/boot/README.md): every
// contender boots the same kernel and initramfs once per round, in an order that rotates from
// round to round, so a slow phase of a noisy machine hits them all alike.
#pragma once

#include <chrono>
#include <filesystem>
#include <vector>

#include "bench/boot/boot_report.h"
#include "bench/boot/contenders.h"

namespace deploylab::bench {

struct BenchOptions {
  BootSpec spec;
  std::vector<Contender> contenders;
  int rounds = 5;
  std::chrono::seconds timeout{300};  // per boot
  std::filesystem::path minivmm;      // the minivmm binary
};

// Runs the rounds and returns one ContenderResult per contender, in `contenders` order. A
// contender that cannot be set up (libvirtd will not start) or fails a boot gets `failure` and
// sits out the remaining rounds; the others go on. Progress goes to stderr, one line a boot.
std::vector<ContenderResult> run_boot_bench(const BenchOptions& options);

}  // namespace deploylab::bench
