// containers/rootfs/mount_syscalls.h: the system calls of the rootfs, wrapped once each so that
// every failure says which call, on what, why, and what to check (common/error.h):
//
//   mount `tmpfs on /var/lib/minictr/c1/rootfs/dev`: Operation not permitted [EPERM]
//   (hint: mounting needs CAP_SYS_ADMIN over the mount namespace: run minictr as root)
//
// mounts.cpp (the plan executor) and cgroup_mount.cpp call these; nothing here decides anything.
#pragma once

#include <filesystem>
#include <string>

#include "common/result.h"
#include "containers/rootfs/mount_plan.h"

namespace deploylab::ctr {

// mount(2) of a new filesystem instance.
Result<void> mount_filesystem(const std::string& source, const std::filesystem::path& target,
                              const std::string& fstype, unsigned long flags, const std::string& data);
// mount(2) with MS_BIND (| MS_REC when `flags` has it): `source` appears at `target` too.
Result<void> bind_mount(const std::filesystem::path& source, const std::filesystem::path& target,
                        unsigned long flags);
// Changes the per-mount flags of the mount at `target`: sets `set`, clears `clear`, keeps the
// rest (see the .cpp for why keeping matters).
Result<void> remount(const std::filesystem::path& target, unsigned long set, unsigned long clear);
// mount(2) with only a propagation type (MS_SLAVE | MS_REC, ...).
Result<void> set_propagation(const std::filesystem::path& target, unsigned long propagation);
// umount2(2) with MNT_DETACH: gone from the tree now, freed once nobody uses it.
Result<void> detach_mount(const std::filesystem::path& target);

// mkdir -p.
Result<void> make_directories(const std::filesystem::path& path);
// An empty file (parents made first); an existing file is fine, a directory is not.
Result<void> make_empty_file(const std::filesystem::path& path);
// `link` -> `contents`, replacing a file or link already at `link`.
Result<void> make_symlink(const std::string& contents, const std::filesystem::path& link);
// mknod(2), then chmod and chown (mknod's mode is filtered by the umask).
Result<void> make_device_node(const std::filesystem::path& path, const DeviceNode& device);

}  // namespace deploylab::ctr
