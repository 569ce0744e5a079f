// containers/rootfs/mount_syscalls.cpp: mount(2), umount2(2), mknod(2) and friends, each with
// an error that names the call and the path and says what to check (see mount_syscalls.h).
#include "containers/rootfs/mount_syscalls.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>

#include "common/unique_fd.h"
#include "containers/rootfs/mount_options.h"

namespace deploylab::ctr {
namespace {

std::string mount_hint(int code, const std::string& fstype) {
  if (fstype == "overlay" && code == EINVAL) {
    return "upperdir and workdir must be on the same filesystem, workdir empty, and neither on overlayfs "
           "itself; `dmesg | tail` shows the kernel's reason";
  }
  switch (code) {
    case EPERM:
      return "mounting needs CAP_SYS_ADMIN over the mount namespace: run minictr as root";
    case ENODEV:
      return "this kernel does not know filesystem type `" + fstype + "` (see /proc/filesystems)";
    case ENOENT:
      return "does the mount point (or the bind source) exist?";
    case ENOTDIR:
      return "a bind of a file needs a file to mount on, a bind of a directory a directory";
    case EBUSY:
      return "is something mounted there already, or is the mount in use?";
    default:
      return "is the rootfs on a filesystem that allows it, and are the options valid for " +
             (fstype.empty() ? std::string("a bind mount") : "`" + fstype + "`") + "?";
  }
}

// statvfs(3) reports the per-mount flags as ST_*; mount(2) wants them as MS_*.
Result<unsigned long> current_mount_flags(const std::filesystem::path& target) {
  struct statvfs st {};
  if (::statvfs(target.c_str(), &st) != 0) return Error::os("statvfs", target.string(), errno);
  constexpr std::pair<unsigned long, unsigned long> kMap[] = {
      {ST_RDONLY, MS_RDONLY},   {ST_NOSUID, MS_NOSUID},         {ST_NODEV, MS_NODEV},
      {ST_NOEXEC, MS_NOEXEC},   {ST_NOATIME, MS_NOATIME},       {ST_NODIRATIME, MS_NODIRATIME},
      {ST_RELATIME, MS_RELATIME},
  };
  unsigned long flags = 0;
  for (const auto& [st_flag, ms_flag] : kMap) {
    if ((st.f_flag & st_flag) != 0) flags |= ms_flag;
  }
  return flags;
}

mode_t device_file_type(char type) {
  switch (type) {
    case 'b': return S_IFBLK;
    case 'p': return S_IFIFO;
    default: return S_IFCHR;  // 'c' and 'u' (unbuffered character device)
  }
}

}  // namespace

Result<void> mount_filesystem(const std::string& source, const std::filesystem::path& target,
                              const std::string& fstype, unsigned long flags, const std::string& data) {
  if (::mount(source.c_str(), target.c_str(), fstype.c_str(), flags, data.empty() ? nullptr : data.c_str()) == 0) {
    return {};
  }
  const int error = errno;  // read before building strings: allocation may change errno
  std::string what = fstype + " on " + target.string();
  if (flags != 0) what += " [" + flag_words(flags) + "]";
  if (!data.empty()) what += " " + data;
  return Error::os("mount", what, error, mount_hint(error, fstype));
}

Result<void> bind_mount(const std::filesystem::path& source, const std::filesystem::path& target,
                        unsigned long flags) {
  if (::mount(source.c_str(), target.c_str(), nullptr, MS_BIND | (flags & MS_REC), nullptr) == 0) return {};
  const int error = errno;
  return Error::os("mount (bind)", source.string() + " on " + target.string(), error, mount_hint(error, ""));
}

// A remount of a bind changes only the flags of that one mount (MS_BIND | MS_REMOUNT), and it
// sets all of them at once: a flag we do not pass is turned off. So we pass the flags the mount
// has now plus the new ones. Inside a user namespace this is not just polite: the kernel locks
// nosuid/nodev/noexec/ro flags that came from a more privileged namespace and refuses (EPERM) a
// remount that would drop them.
Result<void> remount(const std::filesystem::path& target, unsigned long set, unsigned long clear) {
  unsigned long current = DL_TRY(current_mount_flags(target));
  unsigned long flags = (current | set) & ~clear;
  if (::mount(nullptr, target.c_str(), nullptr, MS_BIND | MS_REMOUNT | flags, nullptr) == 0) return {};
  const int error = errno;
  return Error::os("mount (remount)", target.string() + " [" + flag_words(flags) + "]", error,
                   error == EPERM ? "a user namespace cannot drop flags the host set (nosuid, nodev, ro)"
                                  : "is there a mount at this path?");
}

Result<void> set_propagation(const std::filesystem::path& target, unsigned long propagation) {
  if (::mount(nullptr, target.c_str(), nullptr, propagation, nullptr) == 0) return {};
  const int error = errno;
  return Error::os("mount (" + propagation_word(propagation) + ")", target.string(), error,
                   "propagation can only be changed on a mount point");
}

Result<void> detach_mount(const std::filesystem::path& target) {
  if (::umount2(target.c_str(), MNT_DETACH) == 0) return {};
  const int error = errno;
  return Error::os("umount2", target.string(), error, error == EINVAL ? "nothing is mounted there" : "");
}

Result<void> make_directories(const std::filesystem::path& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (!error) return {};
  return Error::os("mkdir", path.string(), error.value(),
                   error.value() == EROFS ? "the rootfs is read-only: make the mount point in the image" : "");
}

Result<void> make_empty_file(const std::filesystem::path& path) {
  DL_TRY(make_directories(path.parent_path()));
  int fd = ::open(path.c_str(), O_CREAT | O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) return Error::os("open (create)", path.string(), errno, "is there a directory or symlink of that name?");
  UniqueFd owner(fd);
  return {};
}

Result<void> make_symlink(const std::string& contents, const std::filesystem::path& link) {
  DL_TRY(make_directories(link.parent_path()));
  if (::unlink(link.c_str()) != 0 && errno != ENOENT) return Error::os("unlink", link.string(), errno);
  if (::symlink(contents.c_str(), link.c_str()) == 0) return {};
  return Error::os("symlink", link.string() + " -> " + contents, errno);
}

Result<void> make_device_node(const std::filesystem::path& path, const DeviceNode& device) {
  DL_TRY(make_directories(path.parent_path()));
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return Error::os("unlink", path.string(), errno);
  const dev_t number = device.type == 'p' ? 0 : makedev(device.major, device.minor);
  if (::mknod(path.c_str(), device_file_type(device.type) | device.mode, number) != 0) {
    const int error = errno;
    return Error::os("mknod", path.string(), error,
                     error == EPERM ? "mknod needs CAP_MKNOD outside a user namespace" : "");
  }
  if (::chmod(path.c_str(), device.mode) != 0) return Error::os("chmod", path.string(), errno);
  if (::chown(path.c_str(), device.uid, device.gid) != 0) return Error::os("chown", path.string(), errno);
  return {};
}

}  // namespace deploylab::ctr
