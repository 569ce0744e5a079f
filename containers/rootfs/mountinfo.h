// containers/rootfs/mountinfo.h: the mount table of a mount namespace, as the kernel lists it in
// /proc/<pid>/mountinfo (proc(5)). cgroup_mount.h reads it to find the host's cgroup
// hierarchies; the integration tests read it to prove that no test mount was left behind.
//
// One line per mount:
//   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
//   (1)(2) (3)   (4)   (5)      (6)      (7)   (8) (9)    (10)         (11)
// (4) is the directory of the filesystem that is mounted (not always its root: a bind of a
// subdirectory shows that subdirectory), (5) where it is mounted, (9) the filesystem type,
// (11) the filesystem's own options. Spaces and other odd bytes in paths appear as \040 octal.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace deploylab::ctr {

struct MountInfo {
  int id = 0;
  int parent_id = 0;
  std::string root;           // (4) the mounted directory within its filesystem
  std::string mount_point;    // (5)
  std::string options;        // (6) per-mount options: rw,nosuid,...
  std::string fstype;         // (9)
  std::string source;         // (10)
  std::string super_options;  // (11) for cgroup v1: the controllers ("rw,cpu,cpuacct")
};

// Pure parser; lines it cannot read are skipped.
std::vector<MountInfo> parse_mountinfo(std::string_view text);

Result<std::vector<MountInfo>> read_mountinfo(const std::filesystem::path& file = "/proc/self/mountinfo");

}  // namespace deploylab::ctr
