// containers/cgroups/layout.h: where this machine's cgroup hierarchies are mounted.
//
// Under v2 there is one tree, at the cgroup root. Under v1 (legacy or hybrid, see mode.h) each
// controller lives in a hierarchy of its own, mounted wherever the distribution chose; several
// controllers may share one hierarchy ("joint" mounts: /sys/fs/cgroup/cpu,cpuacct holds both cpu
// and cpuacct, and /sys/fs/cgroup/cpu is then only a symlink to it). The mount table
// (/proc/self/mountinfo) is the truth: a v1 mount's super options name its controllers.
//
//   35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
//   32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
//   ^id ^parent ^dev ^root ^mount point ^mount options ^separator ^type ^source ^super options
//
// Parsing is pure (parse_mountinfo_entries, layout_from_mountinfo) so tests feed it sample tables;
// discover_layout() reads the real one. Neighbours: mode.h (the mode), cgroup.h (uses the layout).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "containers/cgroups/mode.h"

namespace deploylab::ctr {

struct CgroupLayout {
  CgroupMode mode = CgroupMode::unified;
  std::filesystem::path root;  // /sys/fs/cgroup; under v2 also the one hierarchy's mount point
  // v1 (legacy and hybrid) only: controller -> the mount point of the hierarchy that holds it.
  // A joint hierarchy appears once per controller: {"cpu": ".../cpu,cpuacct", "cpuacct": same}.
  std::map<std::string, std::filesystem::path> v1_mounts;

  CgroupVersion version() const { return version_for(mode); }
  // The hierarchy holding `controller` under v1; std::nullopt if none is mounted.
  std::optional<std::filesystem::path> v1_mount(std::string_view controller) const;
};

// One line of /proc/self/mountinfo, the fields we use.
struct MountinfoEntry {
  std::string root;                         // the directory of the file system seen at the mount
  std::filesystem::path mount_point;        // octal escapes (\040 for a space) decoded
  std::string fs_type;                      // "cgroup", "cgroup2", "tmpfs", ...
  std::vector<std::string> super_options;   // "rw", "cpu", "cpuacct", "name=systemd", ...
};

// Pure: every line of a mountinfo text; an error names the first line that does not parse.
Result<std::vector<MountinfoEntry>> parse_mountinfo_entries(std::string_view text);

// Pure: the v1 controllers (memory, cpu, pids, ...) mounted under `root` and where. Named
// hierarchies without a controller (name=systemd) and options (rw, xattr) are not controllers.
std::map<std::string, std::filesystem::path> v1_controller_mounts(
    const std::vector<MountinfoEntry>& mounts, const std::filesystem::path& root);

// Pure: the layout for `mode`, given the mount table's text. Under legacy and hybrid it is an
// error when no v1 controller is mounted under `root` (nothing to put limits in).
Result<CgroupLayout> layout_from_mountinfo(CgroupMode mode, const std::filesystem::path& root,
                                           std::string_view mountinfo);

// detect_cgroup_mode(root), then /proc/self/mountinfo through layout_from_mountinfo().
Result<CgroupLayout> discover_layout(const std::filesystem::path& root = "/sys/fs/cgroup");

}  // namespace deploylab::ctr
