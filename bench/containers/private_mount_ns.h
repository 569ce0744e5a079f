// bench/containers/private_mount_ns.h: a mount namespace of the benchmark's own in which one
// mount is gone, for crun on a hybrid cgroup layout (hybrid_cgroups.h explains why).
//
// The namespace is made once, by a helper child that unshares its mount namespace, makes every
// mount private (so the unmount cannot reach the machine's namespace) and unmounts the cgroup2
// hierarchy, then waits. We open /proc/CHILD/ns/mnt, which keeps the namespace alive, and stop
// the helper. Each crun command then joins the namespace with setns(2) between fork and exec
// (enter()), which costs microseconds, so crun's times are crun's alone: no `unshare` process or
// unmount is inside the measured time.
#pragma once

#include <filesystem>

#include "common/result.h"
#include "common/unique_fd.h"

namespace deploylab::bench {

class PrivateMountNamespace {
 public:
  // A new private mount namespace without the mount at `mount_point`. Needs root.
  static Result<PrivateMountNamespace> without(const std::filesystem::path& mount_point);

  // Moves the calling process into the namespace: for SpawnOptions::before_exec, in a freshly
  // forked (single-threaded) child. setns also moves the root and working directory to the
  // namespace's root, so the commands run there must use absolute paths.
  Result<void> enter() const;

 private:
  explicit PrivateMountNamespace(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;  // /proc/HELPER/ns/mnt
};

}  // namespace deploylab::bench
