// bench/vm/density_run.h: the density run itself (the plan and the count are in density.h).
//
// Instance after instance is spawned in the memory cgroup (memory_cgroup.h; the child joins it
// between fork and exec, so every page it touches is charged there) and watched until its
// console says it reached the shell: the initramfs prints "deploylab-initramfs: no virtio disk"
// just before starting it when the VM has no disk, as here. The instance then stays, idle,
// and the next one starts. The run stops at the first instance that exits, is killed or times
// out, or at the cap; then every instance is killed, the cgroup removed.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "bench/vm/density.h"
#include "common/result.h"

namespace deploylab::bench {

struct DensityRun {
  DensityPlan plan;
  std::function<std::vector<std::string>(int index)> argv;  // the VMM command line of instance `index`
  std::string shell_marker = "deploylab-initramfs: no virtio disk";
  std::chrono::milliseconds boot_timeout{120000};           // one instance to its shell
  std::filesystem::path scratch;                             // for a cgroup2 mount, if needed
  const std::atomic<bool>* interrupted = nullptr;
};

struct DensityOutcome {
  std::vector<InstanceRecord> instances;
  std::string cgroup;  // which cgroup kind limited them (MemoryCgroup::description)
};

// An Error: the cgroup could not be made, or the first VMM could not be spawned at all.
Result<DensityOutcome> run_density(const DensityRun& run);

}  // namespace deploylab::bench
