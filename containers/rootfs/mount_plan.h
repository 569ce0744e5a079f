// containers/rootfs/mount_plan.h: what the container's root filesystem needs, as an ordered list
// of steps (MountOp), computed from config.json's mounts, root and linux sections without
// touching the system. mounts.h carries the steps out inside the container's mount namespace.
//
// Keeping the plan as data lets a test (and a student) read the whole recipe without being
// root. For the mounts of `runc spec`, a read-only root and one masked path it reads:
//
//   propagate / rslave                 nothing we mount from here on leaks back to the host
//   bind ROOTFS -> ROOTFS (recursive)  pivot_root needs the new root to be a mount point
//   mkdir /proc                        each config mount, in config order, inside ROOTFS
//   mount proc proc -> /proc
//   mkdir /dev
//   mount tmpfs tmpfs -> /dev [nosuid,strictatime] mode=755,size=65536k
//   ...                                /dev/pts, /dev/shm, /dev/mqueue, /sys, /sys/fs/cgroup
//   mknod /dev/null c 1:3 0666         a fresh /dev gets the default devices ...
//   symlink /dev/fd -> /proc/self/fd   ... and the standard links
//   pivot_root ROOTFS                  from here on, paths are the container's
//   bind /proc/sys -> /proc/sys        readonly paths: bind onto itself ...
//   remount /proc/sys ro,nosuid,nodev,noexec          ... then remount read-only
//   mask /proc/kcore                   masked paths: /dev/null over a file, empty tmpfs over a dir
//   remount / ro                       the read-only root comes last: everything above writes
//
// The rules are the OCI runtime spec's, as runc implements them; comments at each step in
// mount_plan.cpp say why.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"

namespace deploylab::ctr {

// One entry of config.json's "mounts".
struct MountEntry {
  std::string destination;           // in the container, e.g. "/proc"
  std::string type;                  // "proc", "tmpfs", "bind", ... (ignored for binds)
  std::string source;                // host path for a bind; a label ("proc", "tmpfs") otherwise
  std::vector<std::string> options;  // see mount_options.h
};

// One entry of config.json's linux.devices (and the default devices every container gets).
struct DeviceNode {
  std::string path;   // in the container, e.g. "/dev/null"
  char type = 'c';    // 'c' (or 'u') character, 'b' block, 'p' FIFO
  unsigned major = 0;
  unsigned minor = 0;
  mode_t mode = 0666; // permission bits
  uid_t uid = 0;
  gid_t gid = 0;
};

enum class RootAccess { read_write, read_only };  // config.json's root.readonly
enum class UserNamespace { not_used, used };      // whether the container has its own user namespace

struct RootfsConfig {
  std::filesystem::path rootfs;              // the container's root on the host; absolute
  std::vector<MountEntry> mounts;            // in config order
  RootAccess root_access = RootAccess::read_write;
  std::vector<std::string> masked_paths;     // linux.maskedPaths
  std::vector<std::string> readonly_paths;   // linux.readonlyPaths
  std::vector<DeviceNode> devices;           // linux.devices, on top of default_devices()
  UserNamespace user_namespace = UserNamespace::not_used;
  std::string rootfs_propagation;            // linux.rootfsPropagation; empty means "rslave"
};

// The devices every container with its own /dev gets (OCI runtime spec, "Default Devices").
std::vector<DeviceNode> default_devices();

enum class OpKind {
  set_propagation,  // mount(NULL, target, NULL, flags): change how mount events spread
  bind,             // mount(source, target, NULL, MS_BIND | flags)
  mount,            // mount(source, target, fstype, flags, data): a new filesystem instance
  remount,          // change a bind's per-mount flags: set `flags`, clear `clear_flags`, keep the rest
  mount_cgroup,     // the "cgroup" type: the container's own cgroups, read from the host (cgroup_mount.h)
  make_dir,         // mkdir -p target (a mount point for a directory)
  make_file,        // an empty file (a mount point for a bind of a file)
  make_symlink,     // target -> source, replacing what was there
  make_device,      // mknod target per `device`
  pivot_root,       // make target the root, detach the old one (mounts.cpp explains the trick)
  mask,             // hide target: /dev/null over a file, an empty read-only tmpfs over a directory
};

// How to read an op's target.
enum class Where {
  host,       // a host path, used as is (steps before we enter the rootfs)
  rootfs,     // a container path resolved inside the rootfs, never following a symlink out of it
  container,  // a path after pivot_root: "/" is the container's root
};

enum class IfMissing { fail, skip };  // masked and readonly paths that do not exist are skipped

struct MountOp {
  OpKind kind = OpKind::mount;
  Where where = Where::rootfs;
  std::string target;
  std::string source;             // bind/mount source; symlink contents
  std::string fstype;             // mount
  unsigned long flags = 0;        // MS_* (bind: MS_REC; propagation: MS_SLAVE | MS_REC, ...)
  unsigned long clear_flags = 0;  // remount only
  std::string data;               // mount: the filesystem's options
  DeviceNode device;              // make_device only
  IfMissing if_missing = IfMissing::fail;
};

// One line per op, as in the example at the top ("mount proc proc -> /proc").
std::string describe(const MountOp& op);

// What a host path is, for bind sources: a bind of a file needs a file to mount on, a bind of a
// directory a directory. Injected so the planner stays pure; mounts.h passes the real lstat.
enum class PathKind { missing, directory, other };
using PathProbe = std::function<PathKind(const std::string& host_path)>;

// The whole recipe, or an error for a config that cannot work (a relative rootfs, a bind source
// that does not exist, a device of unknown type, a shared rootfs propagation).
Result<std::vector<MountOp>> plan_rootfs(const RootfsConfig& config, const PathProbe& probe);

}  // namespace deploylab::ctr
