// containers/rootfs/mount_plan.cpp: the rules that turn a container's mounts, devices, masked and
// readonly paths into an ordered list of steps (see mount_plan.h for the shape of the result).
#include "containers/rootfs/mount_plan.h"

#include <sys/mount.h>

#include <algorithm>
#include <cstdio>

#include "containers/rootfs/mount_options.h"

namespace deploylab::ctr {
namespace {

// "/dev//pts/" -> "/dev/pts", "proc" -> "/proc", "/a/../b" -> "/b". Relative destinations are
// taken relative to the container's root, as runc does. Symlinks are not looked at here: that
// needs the rootfs, and happens when the step runs (secure_join.h).
std::string container_path(const std::string& path) {
  std::string normal = std::filesystem::path("/" + path).lexically_normal().string();
  while (normal.size() > 1 && normal.back() == '/') normal.pop_back();
  return normal;
}

MountOp make_op(OpKind kind, Where where, std::string target) {
  MountOp op;
  op.kind = kind;
  op.where = where;
  op.target = std::move(target);
  return op;
}

MountOp bind_op(Where where, std::string source, std::string target, unsigned long flags) {
  MountOp op = make_op(OpKind::bind, where, std::move(target));
  op.source = std::move(source);
  op.flags = flags;
  return op;
}

MountOp remount_op(Where where, std::string target, unsigned long flags, unsigned long clear_flags) {
  MountOp op = make_op(OpKind::remount, where, std::move(target));
  op.flags = flags;
  op.clear_flags = clear_flags;
  return op;
}

MountOp symlink_op(std::string link, std::string contents) {
  MountOp op = make_op(OpKind::make_symlink, Where::rootfs, std::move(link));
  op.source = std::move(contents);
  return op;
}

MountOp skip_if_missing(MountOp op) {
  op.if_missing = IfMissing::skip;
  return op;
}

Result<void> check_absolute(const std::string& path, const std::string& what) {
  if (!path.empty() && path.front() == '/') return {};
  return Error::invalid(what + " must be an absolute path", path,
                        "the OCI runtime spec requires absolute container paths here");
}

// Before anything else, "/" (this namespace's copy of the host's tree) stops propagating to the
// host. unshare(CLONE_NEWNS) copied the host's mounts WITH their propagation: a mount under a
// shared mount would appear in the host too. "rslave" (the default, as in runc) keeps events
// flowing one way, host to container (a disk the host mounts later shows up), never back;
// "rprivate" stops both directions. A shared root is refused: it would leak every mount we make,
// and pivot_root fails (EINVAL) under a shared parent anyway.
Result<unsigned long> root_propagation(const std::string& word) {
  if (word.empty()) return static_cast<unsigned long>(MS_SLAVE | MS_REC);
  unsigned long propagation = parse_mount_options({word}).propagation;
  if ((propagation & (MS_SLAVE | MS_PRIVATE)) != 0) return propagation;
  return Error::invalid("unsupported rootfsPropagation", word,
                        "use rslave (the default), slave, rprivate or private");
}

// A bind mount ("bind" type, or a "bind"/"rbind" option on any type) needs a mount point of the
// same kind as its source, then a remount when it asks for flags: MS_BIND ignores every flag but
// MS_REC, so "ro" on a bind only takes effect through a second mount(2) with MS_REMOUNT.
Result<void> plan_bind(const MountEntry& entry, const std::string& target, const MountOptions& options,
                       const PathProbe& probe, std::vector<MountOp>& ops) {
  PathKind kind = probe(entry.source);
  if (kind == PathKind::missing) {
    return Error::invalid("bind mount source does not exist", entry.source,
                          "create it on the host, or fix mounts[].source for " + target);
  }
  ops.push_back(make_op(kind == PathKind::directory ? OpKind::make_dir : OpKind::make_file, Where::rootfs, target));
  ops.push_back(bind_op(Where::rootfs, entry.source, target, options.recursive ? MS_REC : 0));
  unsigned long flags = options.flags & ~static_cast<unsigned long>(MS_REMOUNT);
  if (flags != 0) ops.push_back(remount_op(Where::rootfs, target, flags, options.clear_flags));
  return {};
}

void plan_filesystem(const MountEntry& entry, const std::string& target, const MountOptions& options,
                     std::vector<MountOp>& ops) {
  ops.push_back(make_op(OpKind::make_dir, Where::rootfs, target));
  MountOp op = make_op(entry.type == "cgroup" ? OpKind::mount_cgroup : OpKind::mount, Where::rootfs, target);
  op.source = entry.source;
  op.fstype = entry.type;
  op.flags = options.flags;
  op.data = options.data;
  ops.push_back(std::move(op));
}

// One config mount. Mount points are made on demand: an image need not ship /proc or /dev.
Result<void> plan_entry(const MountEntry& entry, const PathProbe& probe, std::vector<MountOp>& ops) {
  const std::string target = container_path(entry.destination);
  const MountOptions options = parse_mount_options(entry.options);
  if (options.bind || entry.type == "bind") {
    DL_TRY(plan_bind(entry, target, options, probe, ops).context("mount at " + target));
  } else {
    plan_filesystem(entry, target, options, ops);
  }
  if (options.propagation != 0) {
    MountOp op = make_op(OpKind::set_propagation, Where::rootfs, target);
    op.flags = options.propagation;
    ops.push_back(std::move(op));
  }
  return {};
}

bool is_fresh_dev(const MountEntry& entry) {
  return container_path(entry.destination) == "/dev" && entry.type != "bind" &&
         !parse_mount_options(entry.options).bind;
}

// linux.devices first, then the defaults the config did not override.
std::vector<DeviceNode> devices_to_create(const RootfsConfig& config) {
  std::vector<DeviceNode> devices = config.devices;
  for (const DeviceNode& device : default_devices()) {
    auto same_path = [&](const DeviceNode& d) { return container_path(d.path) == device.path; };
    if (std::none_of(devices.begin(), devices.end(), same_path)) devices.push_back(device);
  }
  return devices;
}

// Inside a user namespace the kernel refuses mknod (a device node would be a way around the
// host's permissions), so the runtime bind-mounts the host's node at the same path instead, as
// runc does; the node then keeps the host's mode and owner.
Result<void> plan_device(const DeviceNode& device, UserNamespace user_namespace, std::vector<MountOp>& ops) {
  const std::string path = container_path(device.path);
  if (std::string("cubp").find(device.type) == std::string::npos) {
    return Error::invalid("unknown device type `" + std::string(1, device.type) + "`", path,
                          "linux.devices[].type is one of c, u, b, p");
  }
  if (user_namespace == UserNamespace::used) {
    ops.push_back(make_op(OpKind::make_file, Where::rootfs, path));
    ops.push_back(bind_op(Where::rootfs, device.path, path, 0));
    return {};
  }
  MountOp op = make_op(OpKind::make_device, Where::rootfs, path);
  op.device = device;
  op.device.path = path;
  ops.push_back(std::move(op));
  return {};
}

// The links every Linux /dev has (OCI runtime spec, "Dev symbolic links"). /dev/ptmx points into
// the container's own devpts instance ("newinstance"), so its ptys are not the host's.
// /dev/core -> /proc/kcore is not in the spec, but runc and crun both make it, and programs
// (and our side-by-side test with crun) expect the same /dev.
void plan_dev_symlinks(std::vector<MountOp>& ops) {
  ops.push_back(symlink_op("/dev/core", "/proc/kcore"));
  ops.push_back(symlink_op("/dev/fd", "/proc/self/fd"));
  ops.push_back(symlink_op("/dev/stdin", "/proc/self/fd/0"));
  ops.push_back(symlink_op("/dev/stdout", "/proc/self/fd/1"));
  ops.push_back(symlink_op("/dev/stderr", "/proc/self/fd/2"));
  ops.push_back(symlink_op("/dev/ptmx", "pts/ptmx"));
}

// After pivot_root the paths are the container's, and some only exist once /proc and /sys are
// mounted, so missing paths are skipped (a kernel without /proc/sched_debug is not an error).
// Readonly paths come before masked ones, as in runc.
// A readonly path gets nosuid, nodev and noexec too: nothing there is meant to be run or opened
// as a device, only read (/proc/sys, /proc/sysrq-trigger).
Result<void> plan_after_pivot(const RootfsConfig& config, std::vector<MountOp>& ops) {
  // BEGIN SOLUTION lab 6: plan the readonly paths (bind + remount), the masked paths, and the read-only root last
  const unsigned long locked = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
  for (const std::string& path : config.readonly_paths) {
    DL_TRY(check_absolute(path, "a readonly path"));
    ops.push_back(skip_if_missing(bind_op(Where::container, path, path, MS_REC)));
    ops.push_back(skip_if_missing(remount_op(Where::container, path, locked, 0)));
  }
  for (const std::string& path : config.masked_paths) {
    DL_TRY(check_absolute(path, "a masked path"));
    ops.push_back(skip_if_missing(make_op(OpKind::mask, Where::container, path)));
  }
  // Last: every step above may need to write (mount points, device nodes).
  if (config.root_access == RootAccess::read_only) ops.push_back(remount_op(Where::container, "/", MS_RDONLY, 0));
  return {};
  // END SOLUTION
}

}  // namespace

std::vector<DeviceNode> default_devices() {
  return {
      {"/dev/null", 'c', 1, 3, 0666, 0, 0},    {"/dev/zero", 'c', 1, 5, 0666, 0, 0},
      {"/dev/full", 'c', 1, 7, 0666, 0, 0},    {"/dev/random", 'c', 1, 8, 0666, 0, 0},
      {"/dev/urandom", 'c', 1, 9, 0666, 0, 0}, {"/dev/tty", 'c', 5, 0, 0666, 0, 0},
  };
}

Result<std::vector<MountOp>> plan_rootfs(const RootfsConfig& config, const PathProbe& probe) {
  DL_TRY(check_absolute(config.rootfs.string(), "the rootfs"));
  const std::string rootfs = container_path(config.rootfs.string());  // normalised, no trailing '/'
  std::vector<MountOp> ops;
  // 1. Cut the flow of mount events back to the host (root_propagation above).
  MountOp propagate = make_op(OpKind::set_propagation, Where::host, "/");
  propagate.flags = DL_TRY(root_propagation(config.rootfs_propagation));
  ops.push_back(std::move(propagate));
  // 2. pivot_root only accepts a mount point as the new root; a rootfs that is a plain directory
  //    becomes one by being bound onto itself (recursively, keeping any mounts already under it).
  ops.push_back(bind_op(Where::host, rootfs, rootfs, MS_REC));
  //    The bind joins the peer group of the mount it copies, so it gets the same propagation of
  //    its own. This also covers a runtime that was started in a chroot, where / is no mount
  //    point and step 1 cannot apply (mounts.cpp skips it there).
  MountOp propagate_rootfs = make_op(OpKind::set_propagation, Where::host, rootfs);
  propagate_rootfs.flags = DL_TRY(root_propagation(config.rootfs_propagation));
  ops.push_back(std::move(propagate_rootfs));
  // 3. The config's mounts, in config order: a later mount may sit inside an earlier one
  //    (/dev/pts inside /dev), so order is the user's to choose, and we keep it.
  for (const MountEntry& entry : config.mounts) DL_TRY(plan_entry(entry, probe, ops));
  // 4. A fresh /dev is empty: fill it with the devices and links programs expect.
  if (std::any_of(config.mounts.begin(), config.mounts.end(), is_fresh_dev)) {
    for (const DeviceNode& device : devices_to_create(config)) DL_TRY(plan_device(device, config.user_namespace, ops));
    plan_dev_symlinks(ops);
  }
  // 5. Enter the rootfs for good; 6. lock down what the container may see and write.
  ops.push_back(make_op(OpKind::pivot_root, Where::host, rootfs));
  DL_TRY(plan_after_pivot(config, ops));
  return ops;
}

std::string describe(const MountOp& op) {
  auto flags = [](unsigned long f) { return f == 0 ? std::string() : " [" + flag_words(f) + "]"; };
  auto suffix = [](const std::string& s) { return s.empty() ? s : " " + s; };
  switch (op.kind) {
    case OpKind::set_propagation: return "propagate " + op.target + " " + propagation_word(op.flags);
    case OpKind::bind:
      return "bind " + op.source + " -> " + op.target + ((op.flags & MS_REC) != 0 ? " (recursive)" : "");
    case OpKind::mount:
      return "mount " + op.fstype + " " + op.source + " -> " + op.target + flags(op.flags) + suffix(op.data);
    case OpKind::remount:
      return "remount " + op.target + " " + flag_words(op.flags) +
             (op.clear_flags == 0 ? "" : " (clear " + flag_words(op.clear_flags) + ")");
    case OpKind::mount_cgroup: return "mount cgroup -> " + op.target + flags(op.flags);
    case OpKind::make_dir: return "mkdir " + op.target;
    case OpKind::make_file: return "touch " + op.target;
    case OpKind::make_symlink: return "symlink " + op.target + " -> " + op.source;
    case OpKind::make_device: {
      char mode[8];
      std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(op.device.mode));
      return "mknod " + op.target + " " + std::string(1, op.device.type) + " " + std::to_string(op.device.major) +
             ":" + std::to_string(op.device.minor) + " " + mode;
    }
    case OpKind::pivot_root: return "pivot_root " + op.target;
    case OpKind::mask: return "mask " + op.target;
  }
  return "unknown op";
}

}  // namespace deploylab::ctr
