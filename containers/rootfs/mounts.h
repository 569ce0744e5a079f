// containers/rootfs/mounts.h: build the container's root filesystem: carry out the plan of
// mount_plan.h (propagation, mounts, devices, pivot_root, readonly and masked paths, read-only
// root) with the wrappers of mount_syscalls.h.
//
// Where it runs: in the container's init process, after it has unshare(CLONE_NEWNS)'d (or was
// cloned with it) and before it execs the container's program. Everything mounted here lives in
// that new mount namespace and vanishes with it; the host's mount table never changes.
#pragma once

#include <filesystem>
#include <vector>

#include "common/result.h"
#include "containers/rootfs/mount_plan.h"

namespace deploylab::ctr {

// Plans and executes; on return the process's "/" is the container's rootfs and its working
// directory is "/". The first failing step ends it, with the step in the error's context.
Result<void> prepare_rootfs(const RootfsConfig& config);

// The steps one by one (prepare_rootfs is plan + this), for a runtime that wants to log them.
Result<void> execute_plan(const std::vector<MountOp>& ops, const std::filesystem::path& rootfs);

// The real PathProbe: lstat of a host path.
PathKind probe_host_path(const std::string& host_path);

}  // namespace deploylab::ctr
