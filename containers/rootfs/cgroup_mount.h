// containers/rootfs/cgroup_mount.h: config.json's mount of type "cgroup" (every `runc spec`
// has one at /sys/fs/cgroup): show the container its own cgroups, read-only, at that path.
//
// "cgroup" is not a filesystem one can simply mount: under cgroup v1 there is one hierarchy per
// controller (cpu, memory, pids, ...), each its own mount, and a fresh mount of one would show
// the whole host tree. So, like runc without a cgroup namespace, we build the view from the
// host's mounts: a tmpfs at the target, and in it, for every hierarchy the host mounts under
// /sys/fs/cgroup, a bind of the container's own cgroup directory in that hierarchy (the line
// for that hierarchy in /proc/self/cgroup: the runtime has already moved this process into the
// container's cgroups). Under a pure cgroup v2 host, /sys/fs/cgroup is one mount: we bind the
// container's directory of it onto the target directly. Runs before pivot_root (host paths).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "containers/rootfs/mountinfo.h"

namespace deploylab::ctr {

// One line of /proc/<pid>/cgroup: "4:cpu,cpuacct:/deploylab/web" (v1) or "0::/web" (v2).
struct ProcCgroup {
  std::string hierarchy;                 // "4"; "0" for cgroup v2
  std::vector<std::string> controllers;  // {"cpu", "cpuacct"}, {"name=systemd"}; empty for v2
  std::string path;                      // the process's cgroup within that hierarchy
};

std::vector<ProcCgroup> parse_proc_cgroup(std::string_view text);

// One directory to show: `source` on the host, at `name` below the target ("" = the target).
struct CgroupBind {
  std::string source;  // "/sys/fs/cgroup/memory/deploylab/web"
  std::string name;    // "memory"
};

// Pure: the binds for the hierarchies mounted under /sys/fs/cgroup in `host` that `own` (this
// process's /proc/self/cgroup) has a line for; hierarchies without one are left out.
std::vector<CgroupBind> plan_cgroup_binds(const std::vector<MountInfo>& host, const std::vector<ProcCgroup>& own);

// Builds the view at `target` (already resolved inside the rootfs) with the entry's `flags`
// (typically ro, nosuid, nodev, noexec).
Result<void> mount_cgroups(const std::filesystem::path& target, unsigned long flags);

}  // namespace deploylab::ctr
