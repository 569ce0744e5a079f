// containers/cgroups/cgroup_tree.h: making (or finding) a container's cgroup directories.
//
// One container, one cgroup path ("minictr/web"), but not one directory:
//   v1: a directory in every hierarchy the runtime uses, each hierarchy its own tree:
//       /sys/fs/cgroup/memory/minictr/web, /sys/fs/cgroup/cpu,cpuacct/minictr/web, .../pids/...
//       (a joint hierarchy such as cpu,cpuacct gives one directory for two controllers).
//   v2: one directory, /sys/fs/cgroup/minictr/web. A controller works there only if every
//       ancestor lists it in cgroup.subtree_control ("+memory +cpu +pids"), so those are
//       enabled top-down on the way. The root may hold processes, but any other cgroup that
//       enables controllers for its children may not (the no-internal-processes rule).
//
// The path is always taken from the hierarchy's root, "minictr/web" and "/minictr/web" alike.
// runc resolves a relative path against the caller's own cgroup instead; we do not, so that
// every minictr command (create, stats, delete), run from whatever cgroup, finds the same
// directory. Neighbours: cgroup.h owns what is made here; layout.h says where hierarchies are.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "containers/cgroups/layout.h"

namespace deploylab::ctr {

// The directories of one container's cgroup.
struct CgroupDirectories {
  std::map<std::string, std::filesystem::path> by_controller;  // "memory" -> its directory
  std::vector<std::filesystem::path> leaves;           // the container's directories, unique
  std::vector<std::filesystem::path> created_parents;  // ancestors made for it, outermost first
};

// Pure: "minictr/web" or "/minictr/web" -> "minictr/web". Refuses an empty path and "." or
// ".." components, which would leave the hierarchy or name the root itself.
Result<std::filesystem::path> normalize_cgroup_path(std::string_view path);

// Pure: a cgroup.controllers or cgroup.subtree_control text ("cpuset cpu io memory\n").
std::set<std::string> parse_controller_list(std::string_view text);

// The controllers the runtime puts a container in: memory, cpu, pids, and under v1 cpuacct
// (its own hierarchy on some machines; it counts CPU time). Those the layout lacks are skipped
// with a debug log; a limit that needs one fails later, when it is applied.
std::vector<std::string> runtime_controllers(CgroupVersion version);

// Creates the directories of `relative` and records each in `out` as soon as it exists, so that
// on failure `out` lists exactly what to remove. An existing leaf is an error (EEXIST): a
// stale container of the same name, or another one's cgroup.
// `path` is normalized first (normalize_cgroup_path), here and in find_cgroup_directories.
Result<void> make_cgroup_directories(const CgroupLayout& layout, const std::filesystem::path& path,
                                     CgroupDirectories& out);

// The existing directories of `relative` (for commands after create); ENOENT if any is missing.
Result<CgroupDirectories> find_cgroup_directories(const CgroupLayout& layout,
                                                  const std::filesystem::path& path);

}  // namespace deploylab::ctr
