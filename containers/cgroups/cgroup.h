// containers/cgroups/cgroup.h: Cgroup, the owner of one container's cgroup.
//
// A container is "a process tree with limits": the limits live in its cgroup. Cgroup::create
// makes the directories (cgroup_tree.h: one per v1 hierarchy, or one v2 directory), writes the
// limits (resource_writes.h), and from then on owns them: the destructor kills whatever still
// runs inside and removes the directories, unless release() handed them over (to a container
// that outlives this process; a later command open()s them by path). Typical use:
//
//   CgroupLayout layout = DL_TRY(discover_layout());
//   Cgroup cgroup = DL_TRY(Cgroup::create(layout, "minictr/web", config.resources));
//   DL_TRY(cgroup.add_process(child_pid));   // before the child execs the container's program
//   cgroup.release();                        // the container now runs on its own
//   ...
//   Cgroup later = DL_TRY(Cgroup::open(layout, "minictr/web", CgroupOwnership::owned));
//   DL_TRY(later.kill_all(SIGKILL));
//   DL_TRY(later.destroy());
//
// Paths: "minictr/web" and "/minictr/web" both mean <hierarchy root>/minictr/web (see
// cgroup_tree.h for why a relative path is not taken from the caller's own cgroup).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "containers/cgroups/cgroup_tree.h"
#include "containers/cgroups/layout.h"
#include "containers/cgroups/resource_writes.h"
#include "containers/cgroups/resources.h"
#include "containers/cgroups/stats.h"

namespace deploylab::ctr {

// Whether a Cgroup removes its directories when it goes away.
enum class CgroupOwnership {
  owned,     // the destructor kills what runs inside and removes the directories
  borrowed,  // the destructor leaves everything as it is (a command that only looks)
};

class Cgroup {
 public:
  // Makes the cgroup `path` and applies `resources`. If any step fails, everything made so far
  // is removed again and the error says which write the kernel refused and why.
  static Result<Cgroup> create(const CgroupLayout& layout, std::string_view path, const Resources& resources);
  // An existing cgroup (made by an earlier create). ENOENT if any of its directories is missing.
  static Result<Cgroup> open(const CgroupLayout& layout, std::string_view path,
                             CgroupOwnership ownership = CgroupOwnership::borrowed);

  Cgroup(Cgroup&& other) noexcept;
  Cgroup& operator=(Cgroup&& other) noexcept;
  Cgroup(const Cgroup&) = delete;
  Cgroup& operator=(const Cgroup&) = delete;
  ~Cgroup();

  // Moves process `pid` (and, v2 and v1 alike, all its threads) into every directory of the
  // cgroup. Its future children are born inside.
  Result<void> add_process(pid_t pid);
  // Applies new limits to the running cgroup (in the order resource_writes.h explains).
  Result<void> update(const Resources& resources);
  // The processes in the cgroup itself (cgroup.procs; not those in child cgroups).
  Result<std::vector<pid_t>> processes() const;
  // Sends `signal` to every process inside. For SIGKILL, repeats until the cgroup is empty
  // (v2 with cgroup.kill: the kernel does it in one write), waiting at most a few seconds, so
  // that a process that forks while being killed is caught too.
  Result<void> kill_all(int signal);
  // Removes every directory (rmdir), then any parent directory create() made that is now empty.
  // Fails with EBUSY while processes remain (after a short wait for dying ones to leave).
  Result<void> destroy();
  // Memory, CPU and pids use (stats.h).
  Result<CgroupStats> stats() const;

  // The container's directories: one per v1 hierarchy (a joint one counts once), or the v2 one.
  std::vector<std::filesystem::path> directories() const { return dirs_.leaves; }
  // The directory that holds `controller` ("memory", "cpu", "cpuacct", "pids"), if any.
  std::optional<std::filesystem::path> directory_of(std::string_view controller) const;
  CgroupVersion version() const { return version_; }
  // The cgroup path, relative to the hierarchies' roots: "minictr/web".
  const std::filesystem::path& path() const { return relative_; }
  // From now on the directories outlive this object (ownership becomes borrowed).
  void release() { ownership_ = CgroupOwnership::borrowed; }

 private:
  Cgroup(CgroupVersion version, CgroupOwnership ownership, std::filesystem::path relative)
      : version_(version), ownership_(ownership), relative_(std::move(relative)) {}
  Result<void> apply(const Resources& resources);
  Result<WriteContext> write_context() const;
  Result<std::filesystem::path> controller_directory(const std::string& controller) const;
  std::filesystem::path procs_directory() const;
  Result<void> kill_until_empty();
  void wait_for_exits() const;
  void drop() noexcept;  // the destructor's work: kill and remove if owned

  CgroupVersion version_;
  CgroupOwnership ownership_;
  std::filesystem::path relative_;  // "minictr/web", for messages
  CgroupDirectories dirs_;
};

}  // namespace deploylab::ctr
