// bench/vm/memory_cgroup.h: one memory-limited cgroup for the density run (density_run.h),
// wherever this machine keeps its cgroups.
//
// Machines differ: this kit's CI machine mounts cgroup v1 (memory at /sys/fs/cgroup/memory), a
// current distribution mounts cgroup v2 at /sys/fs/cgroup, and the KVM test host (vmhost) mounts
// no cgroup file system at all. So: the machine's own layout when it has a memory controller
// (containers/cgroups finds it: v1 or v2), else a cgroup2 mounted by us in a scratch directory.
// The owner kills whatever still runs inside, removes the cgroup and unmounts what it mounted.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "containers/cgroups/cgroup.h"

namespace deploylab::bench {

class MemoryCgroup {
 public:
  // A cgroup named deploylab-vm-rows-PID with memory limited to `limit_bytes`; a cgroup2 mount,
  // if one is needed, goes under `scratch` (which must outlive this object).
  static Result<MemoryCgroup> create(std::uint64_t limit_bytes, const std::filesystem::path& scratch);

  MemoryCgroup(MemoryCgroup&& other) noexcept;
  MemoryCgroup& operator=(MemoryCgroup&&) = delete;
  MemoryCgroup(const MemoryCgroup&) = delete;
  ~MemoryCgroup();

  // The cgroup.procs files a child writes "0" to, between fork and exec, to be born inside.
  std::vector<std::string> procs_files() const;
  // "cgroup v1 memory controller (this machine's)" or "cgroup v2 mounted by vm-rows".
  const std::string& description() const { return description_; }

 private:
  MemoryCgroup() = default;

  std::optional<ctr::Cgroup> cgroup_;
  std::filesystem::path mounted_;  // the cgroup2 we mounted ourselves; empty: none
  std::string description_;
};

}  // namespace deploylab::bench
