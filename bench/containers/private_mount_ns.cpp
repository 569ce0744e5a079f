// bench/containers/private_mount_ns.cpp: the mount namespace crun runs in (private_mount_ns.h).
#include "bench/containers/private_mount_ns.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>

#include <cerrno>
#include <string>

#include "common/child_process.h"
#include "common/file_io.h"

namespace deploylab::bench {
namespace {

// Runs in the helper child before it execs `sleep`: its own mount namespace, every mount private
// (MS_REC|MS_PRIVATE: nothing we do propagates back to the machine), then the unmount.
Result<void> detach_mount(const char* mount_point) {
  if (::unshare(CLONE_NEWNS) != 0) return Error::os("unshare(CLONE_NEWNS)", "", errno, "run as root");
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    return Error::os("mount --make-rprivate", "/", errno);
  }
  if (::umount2(mount_point, MNT_DETACH) != 0) return Error::os("umount2", mount_point, errno);
  return {};
}

}  // namespace

Result<PrivateMountNamespace> PrivateMountNamespace::without(const std::filesystem::path& mount_point) {
  std::string target = mount_point.string();  // prepared before fork: the child only makes syscalls
  SpawnOptions options;
  options.out = Stream::null;
  options.err = Stream::null;
  options.before_exec = [&target]() { return detach_mount(target.c_str()); };
  // spawn() returns once `sleep` has been exec'd, so the namespace is ready by then. The helper
  // is killed and reaped when `helper` goes out of scope; the open fd keeps the namespace.
  ChildProcess helper = DL_TRY(ChildProcess::spawn({"sleep", "3600"}, std::move(options))
                                   .context("making a mount namespace without " + target));
  std::string ns = "/proc/" + std::to_string(helper.pid()) + "/ns/mnt";
  UniqueFd fd = DL_TRY(open_file(ns, O_RDONLY));
  return PrivateMountNamespace(std::move(fd));
}

Result<void> PrivateMountNamespace::enter() const {
  if (::setns(fd_.get(), CLONE_NEWNS) != 0) return Error::os("setns(CLONE_NEWNS)", "", errno);
  return {};
}

}  // namespace deploylab::bench
