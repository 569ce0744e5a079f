// containers/rootfs/mount_guard.cpp: detach-on-destruction for one mount (see mount_guard.h).
#include "containers/rootfs/mount_guard.h"

#include "containers/rootfs/mount_syscalls.h"

namespace deploylab::ctr {

MountGuard& MountGuard::operator=(MountGuard&& other) noexcept {
  if (this != &other) {
    reset();
    target_ = other.release();
  }
  return *this;
}

std::filesystem::path MountGuard::release() {
  auto target = std::move(target_);
  target_.clear();
  return target;
}

Result<void> MountGuard::unmount() {
  if (!active()) return {};
  return detach_mount(release());
}

void MountGuard::reset() noexcept {
  // MNT_DETACH so that a busy mount (a shell still inside it) does not make this fail; a
  // destructor cannot report, so the worst case is a mount left for `umount -l`.
  if (active()) (void)unmount();
}

}  // namespace deploylab::ctr
