// containers/cgroups/stats.h: what a container's cgroup reports about its use of memory, CPU
// and pids, the same fields under v1 and v2, and their JSON form.
//
// `minictr stats ID --json` prints stats_json(); the kubelet (pod status, OOM restarts) and the
// autoscaler (CPU use per replica) read it. The JSON contract, one object, snake_case:
//
//   field                unit     null means               v1 source / v2 source
//   cgroup_version       "v1"/"v2"
//   memory_usage_bytes   bytes    -                        memory.usage_in_bytes / memory.current
//   memory_peak_bytes    bytes    the kernel does not say  memory.max_usage_in_bytes / memory.peak
//                                 (v2 before Linux 5.19)
//   memory_limit_bytes   bytes    no limit                 memory.limit_in_bytes / memory.max
//   cpu_usage_ns         ns       -                        cpuacct.usage / cpu.stat usage_usec
//   cpu_user_ns          ns       the kernel does not say  cpuacct.usage_user (or .stat) / user_usec
//   cpu_system_ns        ns       the kernel does not say  cpuacct.usage_sys (or .stat) / system_usec
//   pids_current         tasks    -                        pids.current
//   pids_limit           tasks    no limit                 pids.max
//   oom_kills            count    the kernel does not say  memory.oom_control oom_kill (Linux
//                                 (v1 before Linux 4.13)   4.13+) / memory.events oom_kill
//
// Counters (cpu_*, oom_kills) only grow: a rate is the difference of two samples divided by the
// time between them (the autoscaler: CPU use = delta cpu_usage_ns / delta wall-clock ns).
// memory.failcnt (v1) is NOT an OOM count: it counts every time usage hit the limit, most of
// which the kernel resolved by reclaiming memory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "containers/cgroups/mode.h"

namespace deploylab::ctr {

struct CgroupStats {
  CgroupVersion version = CgroupVersion::v2;
  std::uint64_t memory_usage_bytes = 0;
  std::optional<std::uint64_t> memory_peak_bytes;   // null: not reported by this kernel
  std::optional<std::uint64_t> memory_limit_bytes;  // null: no limit
  std::uint64_t cpu_usage_ns = 0;
  std::optional<std::uint64_t> cpu_user_ns;         // null: not reported by this kernel
  std::optional<std::uint64_t> cpu_system_ns;       // null: not reported by this kernel
  std::uint64_t pids_current = 0;
  std::optional<std::uint64_t> pids_limit;          // null: no limit
  std::optional<std::uint64_t> oom_kills;           // null: not reported by this kernel
  bool operator==(const CgroupStats&) const = default;
};

// Reads the statistics of one container's cgroup. `by_controller` maps "memory", "cpu",
// "cpuacct" (v1), "pids" to the container's directory holding each (cgroup_tree.h); memory and
// pids are required, and CPU time comes from cpuacct (v1) or the directory's cpu.stat (v2).
Result<CgroupStats> read_cgroup_stats(CgroupVersion version,
                                      const std::map<std::string, std::filesystem::path>& by_controller);

// The JSON object described above, on one line.
std::string stats_json(const CgroupStats& stats);
// The inverse, for the kubelet and the autoscaler; an error names a missing or mistyped field.
Result<CgroupStats> parse_stats_json(std::string_view json);

}  // namespace deploylab::ctr
