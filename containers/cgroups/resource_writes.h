// containers/cgroups/resource_writes.h: turning OCI resources (resources.h) into cgroup file
// writes, for v1 or v2. Pure: no file is touched here, so every rule below is unit-tested.
//
//   OCI (config.json)          cgroup v1                          cgroup v2
//   memory.limit               memory.limit_in_bytes (-1)         memory.max ("max")
//   memory.reservation         memory.soft_limit_in_bytes         memory.low
//   memory.swap (mem+swap)     memory.memsw.limit_in_bytes        memory.swap.max (swap only:
//                                                                 swap - limit)
//   cpu.shares (2..262144)     cpu.shares                         cpu.weight (1..10000)
//   cpu.quota / cpu.period     cpu.cfs_period_us, cpu.cfs_quota_us  cpu.max "QUOTA PERIOD"
//   pids.limit (-1, 0: none)   pids.max ("max")                   pids.max ("max")
//
// Order matters, because the kernel checks every write on its own against the values in place
// at that moment (see plan_writes). Values that no kernel accepts are refused here, naming the
// OCI field; values that only the kernel can judge (a limit below what the cgroup already uses)
// fail at the write, and cgroup_files.h names the file, the value and a hint.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "containers/cgroups/mode.h"
#include "containers/cgroups/resources.h"

namespace deploylab::ctr {

// One write: `value` into `file` of the cgroup directory that holds `controller`
// (v1: that controller's hierarchy; v2: the container's one directory).
struct CgroupWrite {
  std::string controller;  // "memory", "cpu", "pids"
  std::string file;        // "memory.limit_in_bytes", "cpu.max", ...
  std::string value;       // what to write, as text: "33554432", "max", "20000 100000"
  bool operator==(const CgroupWrite&) const = default;
};

// Whether the kernel accounts swap per cgroup (v1: memory.memsw.* exists; v2: memory.swap.max
// exists). Many kernels boot without it (swapaccount=0); then swap limits cannot be set.
enum class SwapAccounting { available, unavailable };

// What the planner must know about the cgroup besides the resources. The caller reads it.
struct WriteContext {
  SwapAccounting swap = SwapAccounting::available;
  // v1 only: memory.limit_in_bytes as it is now; std::nullopt: unlimited (a new cgroup).
  std::optional<std::int64_t> current_memory_limit;
};

// The kernel counts memory in pages: a limit is rounded down to a multiple of this (x86-64).
inline constexpr std::int64_t kPageSize = 4096;

// Pure: checks every set field against what any kernel accepts; the error names the OCI field
// ("linux.resources.cpu.period: 5000000 is outside 1000..1000000 microseconds").
Result<void> validate_resources(const Resources& resources);

// Pure: the writes that apply `resources`, in the order they must happen. Unset fields produce
// no write (the cgroup keeps what it has). Swap fields are left out when context.swap says
// swap is not accounted; the caller decides whether to warn.
Result<std::vector<CgroupWrite>> plan_writes(const Resources& resources, CgroupVersion version,
                                             const WriteContext& context = {});

// v1 cpu.shares -> v2 cpu.weight, runc's linear map of [2, 262144] onto [1, 10000]:
// weight = 1 + ((shares - 2) * 9999) / 262142. The ends match (2 -> 1, 262144 -> 10000), but the
// middle does not follow systemd's 1024 <-> 100: the v1 default 1024 becomes 39, so a container
// with default shares gets less than a v2 sibling left at the default weight 100. Shares outside
// 2..262144 are clamped first, as the v1 kernel clamps cpu.shares.
std::uint64_t cpu_weight_from_shares(std::uint64_t shares);

}  // namespace deploylab::ctr
