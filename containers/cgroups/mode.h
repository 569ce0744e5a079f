// containers/cgroups/mode.h: which cgroup layout this machine has, found the way runc finds it.
//
// Linux has two cgroup designs. v1 ("legacy") mounts one hierarchy per controller (or per group
// of controllers): /sys/fs/cgroup/memory, /sys/fs/cgroup/cpu,cpuacct, ... each with its own tree.
// v2 ("unified") mounts one tree at /sys/fs/cgroup in which every controller lives. Between the
// two, systemd's "hybrid" layout keeps the v1 hierarchies and adds an (often empty) v2 tree at
// /sys/fs/cgroup/unified. The mount's file-system type tells them apart (statfs(2) f_type):
//
//   /sys/fs/cgroup is cgroup2                                  -> unified
//   /sys/fs/cgroup is a tmpfs and /sys/fs/cgroup/unified is cgroup2 -> hybrid
//   anything else                                              -> legacy
//
// In hybrid mode the resource controllers (memory, cpu, pids) sit in the v1 hierarchies, so the
// runtime uses v1 for every limit, as runc does; the v2 tree there only tracks processes.
// Neighbours: layout.h finds the hierarchies' mount points; resource_writes.h picks the files.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include "common/result.h"

namespace deploylab::ctr {

enum class CgroupMode { legacy, hybrid, unified };

// The cgroup API the runtime writes to: v1 files (memory.limit_in_bytes, one directory per
// hierarchy) or v2 files (memory.max, one directory).
enum class CgroupVersion { v1, v2 };

// "legacy", "hybrid" or "unified".
std::string_view to_string(CgroupMode mode);
// "v1" or "v2".
std::string_view to_string(CgroupVersion version);

// The API for resource control in `mode`: v2 only when unified. Hybrid uses v1, as runc does,
// because that is where the memory, cpu and pids controllers are.
CgroupVersion version_for(CgroupMode mode);

// The file-system magic numbers statfs(2) reports (linux/magic.h), kept here so the pure code
// does not need the kernel headers.
inline constexpr unsigned long kCgroup2SuperMagic = 0x63677270;  // "cgrp"
inline constexpr unsigned long kCgroupSuperMagic = 0x27e0eb;      // a v1 hierarchy
inline constexpr unsigned long kTmpfsMagic = 0x01021994;

// Pure: the mode from the f_type of the cgroup root and, if there is one, of root/unified.
CgroupMode classify_cgroup_mode(unsigned long root_fs_magic,
                                std::optional<unsigned long> unified_fs_magic);

// statfs(2) on `root` and `root/unified`, then classify_cgroup_mode(). Fails only if `root`
// itself cannot be examined (it does not exist: no cgroup file system is mounted there).
Result<CgroupMode> detect_cgroup_mode(const std::filesystem::path& root = "/sys/fs/cgroup");

}  // namespace deploylab::ctr
