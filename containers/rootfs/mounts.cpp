// containers/rootfs/mounts.cpp: the executor of the rootfs plan (see mounts.h). One function per
// kind of step; pivot_root and masking, the two that need more than one system call, explain
// themselves below.
#include "containers/rootfs/mounts.h"

#include <algorithm>

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "common/unique_fd.h"
#include "containers/rootfs/cgroup_mount.h"
#include "containers/rootfs/mount_syscalls.h"
#include "containers/rootfs/mountinfo.h"
#include "containers/rootfs/secure_join.h"

namespace deploylab::ctr {
namespace {

namespace fs = std::filesystem;

// glibc has no wrapper for pivot_root(2).
int pivot_root(const char* new_root, const char* put_old) {
  return static_cast<int>(::syscall(SYS_pivot_root, new_root, put_old));
}

Result<UniqueFd> open_directory(const fs::path& path) {
  int fd = ::open(path.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error::os("open", path.string(), errno);
  return UniqueFd(fd);
}

// Make `rootfs` the root of this mount namespace and drop the old root entirely.
//
// pivot_root(new_root, put_old) moves the old root to put_old (a directory under new_root) and
// makes new_root the root. Passing "." for both, from inside new_root, avoids needing a put_old
// directory in the image at all: the old root gets stacked ON TOP of the new one, at the same
// place. Then the old root is the topmost mount at "/": we step onto it (fchdir to an fd opened
// before the pivot), mark it rslave so our unmount cannot propagate to the host, and detach it
// (MNT_DETACH: lazily, since we still stand on it). What remains at "/" is the container's
// rootfs, and nothing of the host's tree is reachable any more. (runc does the same; the
// pivot_root(2) man page describes the trick.)
Result<void> pivot_into(const fs::path& rootfs) {
  // BEGIN SOLUTION lab 6: pivot_root(".", ".") into the rootfs, then detach the old root stacked on top of it
  UniqueFd old_root = DL_TRY(open_directory("/"));
  UniqueFd new_root = DL_TRY(open_directory(rootfs));
  if (::fchdir(new_root.get()) != 0) return Error::os("fchdir", rootfs.string(), errno);
  if (pivot_root(".", ".") != 0) {
    const int error = errno;
    return Error::os("pivot_root", rootfs.string(), error,
                     error == EINVAL ? "the new root must be a mount point in this process's mount namespace, "
                                       "under a mount that is not shared"
                                     : "");
  }
  if (::fchdir(old_root.get()) != 0) return Error::os("fchdir", "the old root", errno);
  DL_TRY(set_propagation(".", MS_SLAVE | MS_REC).context("detaching the old root"));
  DL_TRY(detach_mount(".").context("detaching the old root"));
  if (::chdir("/") != 0) return Error::os("chdir", "/", errno);
  return {};
  // END SOLUTION
}

// True when "/" is not a mount point in this mount namespace: minictr itself runs chrooted (a
// build root, the kit's fresh-machine check). pivot_root(2) refuses that case (EINVAL).
bool root_is_chrooted() {
  auto mounts = read_mountinfo();
  if (!mounts.ok()) return false;
  return std::none_of(mounts.value().begin(), mounts.value().end(), [](const MountInfo& m) { return m.mount_point == "/"; });
}

// The fallback runc calls --no-pivot: move the rootfs mount onto "/" and chroot into it. The old
// tree stays mounted underneath, out of reach by path but not gone, and a chroot can be left by a
// process with CAP_SYS_CHROOT, so this is weaker than pivot_root; it is only used where
// pivot_root cannot work.
Result<void> move_root_and_chroot(const fs::path& rootfs) {
  if (::chdir(rootfs.c_str()) != 0) return Error::os("chdir", rootfs.string(), errno);
  if (::mount(rootfs.c_str(), "/", nullptr, MS_MOVE, nullptr) != 0) {
    return Error::os("mount(MS_MOVE)", rootfs.string() + " -> /", errno, "pivot_root is impossible in a chroot; so was this");
  }
  if (::chroot(".") != 0) return Error::os("chroot", rootfs.string(), errno);
  if (::chdir("/") != 0) return Error::os("chdir", "/", errno);
  return {};
}

// Hide a path from the container without deleting anything: over a file, a bind of /dev/null
// (reads give nothing, writes vanish); over a directory, an empty read-only tmpfs. The
// container's /dev/null is used, so a /dev must exist by now.
Result<void> mask(const fs::path& target) {
  struct stat st {};
  if (::stat(target.c_str(), &st) != 0) return Error::os("stat", target.string(), errno);
  if (S_ISDIR(st.st_mode)) return mount_filesystem("tmpfs", target, "tmpfs", MS_RDONLY, "");
  return bind_mount("/dev/null", target, 0);
}

// Where an op's target is on the host right now (mount_plan.h's Where).
Result<fs::path> locate(const MountOp& op, const fs::path& rootfs) {
  if (op.where == Where::rootfs) return resolve_in_root(rootfs, op.target);
  return fs::path(op.target);
}

bool missing(const fs::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) != 0 && errno == ENOENT;
}

Result<void> execute_op(const MountOp& op, const fs::path& target) {
  switch (op.kind) {
    case OpKind::set_propagation:
      // In a chroot / is a directory, not a mount point, and has no propagation to change; the
      // rootfs's own propagation step (mount_plan.cpp) keeps our mounts from the host then.
      if (target == "/" && root_is_chrooted()) return {};
      return set_propagation(target, op.flags);
    case OpKind::bind: return bind_mount(op.source, target, op.flags);
    case OpKind::mount: return mount_filesystem(op.source, target, op.fstype, op.flags, op.data);
    case OpKind::remount: return remount(target, op.flags, op.clear_flags);
    case OpKind::mount_cgroup: return mount_cgroups(target, op.flags);
    case OpKind::make_dir: return make_directories(target);
    case OpKind::make_file: return make_empty_file(target);
    case OpKind::make_symlink: return make_symlink(op.source, target);
    case OpKind::make_device: return make_device_node(target, op.device);
    case OpKind::pivot_root: return root_is_chrooted() ? move_root_and_chroot(target) : pivot_into(target);
    case OpKind::mask: return mask(target);
  }
  return Error::invalid("unknown rootfs step", describe(op));
}

}  // namespace

PathKind probe_host_path(const std::string& host_path) {
  struct stat st {};
  if (::lstat(host_path.c_str(), &st) != 0) return PathKind::missing;
  return S_ISDIR(st.st_mode) ? PathKind::directory : PathKind::other;
}

Result<void> execute_plan(const std::vector<MountOp>& ops, const fs::path& rootfs) {
  for (const MountOp& op : ops) {
    const std::string step = describe(op);
    fs::path target = DL_TRY(locate(op, rootfs).context(step));
    if (op.if_missing == IfMissing::skip && missing(target)) continue;
    DL_TRY(execute_op(op, target).context(step));
  }
  return {};
}

Result<void> prepare_rootfs(const RootfsConfig& config) {
  std::vector<MountOp> ops = DL_TRY(plan_rootfs(config, probe_host_path).context("planning the rootfs"));
  return execute_plan(ops, config.rootfs.lexically_normal()).context("preparing rootfs " + config.rootfs.string());
}

}  // namespace deploylab::ctr
