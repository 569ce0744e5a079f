// bench/containers/hybrid_cgroups.h: is this machine's cgroup layout "hybrid", the one crun 1.8
// refuses? Pure: /proc/self/mountinfo text in, the offending mount point out.
//
// A hybrid layout mounts the cgroup v1 controllers under /sys/fs/cgroup/<controller> and a
// cgroup2 hierarchy beside them, usually at /sys/fs/cgroup/unified (systemd's "hybrid" mode).
// crun 1.8 sees the cgroup2 mount and stops with "cgroups in hybrid mode not supported, drop all
// controllers from cgroupv2" when any controller (here hugetlb) is attached to it. The benchmark
// therefore runs crun in a mount namespace of its own without that mount (private_mount_ns.h):
// crun then sees a plain cgroup v1 machine and uses the same v1 hierarchies as runc and minictr.
#pragma once

#include <optional>
#include <string>

namespace deploylab::bench {

// The mount point of a cgroup2 filesystem mounted below /sys/fs/cgroup/ ("/sys/fs/cgroup/unified")
// when cgroup v1 hierarchies are mounted too; std::nullopt on a pure v1 or pure v2 machine
// (cgroup2 at /sys/fs/cgroup itself), where crun needs no help. Mounts elsewhere (a chroot's
// /var/tmp/x/sys/fs/cgroup) do not count.
std::optional<std::string> hybrid_cgroup2_mount(const std::string& mountinfo);

}  // namespace deploylab::bench
