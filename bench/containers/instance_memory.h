// bench/containers/instance_memory.h: the memory row, what one idle container costs.
//
// An instance is a busybox `sleep 3600` container, started detached (`create` + `start`, as a
// container manager runs it). Its cost is everything the machine keeps for it:
//
//   cgroup memory   what the kernel charges to the container's memory cgroup, found through
//                   /proc/PID/cgroup as runc finds it: its processes' anonymous pages, page cache
//                   it brought in, and kernel memory (page tables, kernel stacks, the namespaces'
//                   and mounts' objects). Cgroup v1: total_rss + total_cache of memory.stat plus
//                   memory.kmem.usage_in_bytes; v2: anon + file + kernel of memory.stat.
//   runtime RSS     the resident memory of any runtime process still alive for the container (a
//                   monitor or shim): found by the container's id on a command line, or as the
//                   container's parent when that is not us. runc, crun and minictr leave none.
//
// Why not memory.usage_in_bytes (memory.current): the kernel charges a cgroup in batches of 64
// pages per CPU and keeps the unused rest in a per-CPU cache, which the usage counter includes.
// For a container this small that is up to half its figure, and it varies with which CPUs the
// runtime happened to run on (runc, whose Go threads run on both: 0.38-0.74 MiB from one
// instance to the next). The statistics count only pages really in use; the cell's text still
// gives the usage counter for comparison. The density row's figure agrees with these numbers.
//
// per_instance is cgroup memory + runtime RSS; beyond_workload subtracts what the workload itself
// needs: the anonymous resident memory (RssAnon) of `sleep`. Its file-backed RSS (the busybox
// binary) is page cache shared with every other busybox, charged to whoever read it first, not to
// the container. Figures are read once two readings 50 ms apart agree (the runtime's helper,
// such as `runc init`, has just exited and its memory is being freed).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "bench/containers/recorder.h"
#include "bench/containers/rows_workspace.h"
#include "containers/cgroups/mode.h"

namespace deploylab::bench {

// What a memory cgroup holds, in bytes.
struct CgroupCharge {
  std::int64_t anon = 0, file = 0, kernel = 0;
  std::int64_t usage = 0;  // memory.usage_in_bytes / memory.current: the above + per-CPU batches
  std::int64_t total() const { return anon + file + kernel; }
  bool operator==(const CgroupCharge&) const = default;
};

// Pure: the charge from memory.stat text. v1: total_rss, total_cache, and `v1_kmem` (the
// memory.kmem.usage_in_bytes value; required); v2: anon, file, kernel. std::nullopt when a
// figure is missing.
std::optional<CgroupCharge> parse_charge(ctr::CgroupVersion version, const std::string& memory_stat,
                                         std::optional<std::int64_t> v1_kmem, std::int64_t usage);

struct InstanceMemory {
  CgroupCharge cgroup;
  std::int64_t runtime_rss_bytes = 0;
  int runtime_processes = 0;  // how many runtime processes were found
  std::int64_t workload_anon_bytes = 0;

  double per_instance_mib() const;
  double beyond_workload_mib() const;
  // For the cell's text: "cgroup 176 KiB = anon 52 + page cache 4 + kernel 120 KiB
  // (memory.usage_in_bytes: 388 KiB with per-CPU batches); workload anon 52 KiB; runtime
  // processes left: none".
  std::string describe() const;
};

// The memory cgroup's path in /proc/PID/cgroup text: the memory hierarchy's line under v1
// ("4:memory:/minictr/web" -> "/minictr/web"), the "0::" line under v2. std::nullopt if absent.
std::optional<std::string> memory_cgroup_path(const std::string& proc_cgroup, ctr::CgroupVersion version);

// A "Field:   1380 kB" line of /proc/PID/status, in KiB; std::nullopt if absent.
std::optional<std::int64_t> status_kib(const std::string& status, const std::string& field);

// Whether a /proc/PID/cmdline (words separated by NUL bytes) has `id` as one of its words.
bool cmdline_has_word(const std::string& cmdline, const std::string& id);

// The row: memory_rounds instances per runtime, interleaved, into `recorder`.
void measure_memory_row(Workspace& ws, Recorder& recorder);

}  // namespace deploylab::bench
