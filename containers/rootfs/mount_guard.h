// containers/rootfs/mount_guard.h: MountGuard, the single owner of one mount.
//
// A mount made by a test or a runtime that then fails must not stay behind: a leftover overlay
// keeps its upper directory busy and shows up in every later `mount` listing. MountGuard
// detaches the mount in its destructor unless release()d, the same way UniqueFd closes an fd.
// Move-only: exactly one owner.
#pragma once

#include <filesystem>

#include "common/result.h"

namespace deploylab::ctr {

class MountGuard {
 public:
  MountGuard() = default;
  explicit MountGuard(std::filesystem::path target) : target_(std::move(target)) {}
  ~MountGuard() { reset(); }
  MountGuard(const MountGuard&) = delete;
  MountGuard& operator=(const MountGuard&) = delete;
  MountGuard(MountGuard&& other) noexcept : target_(other.release()) {}
  MountGuard& operator=(MountGuard&& other) noexcept;

  const std::filesystem::path& target() const { return target_; }
  bool active() const { return !target_.empty(); }

  // Keeps the mount (e.g. for the lifetime of a container that outlives this process) and
  // returns its path; unmounting becomes the caller's job.
  std::filesystem::path release();
  // Unmounts now (MNT_DETACH), reporting a failure; the guard is empty afterwards either way.
  Result<void> unmount();
  // Unmounts, ignoring failure (destructor path).
  void reset() noexcept;

 private:
  std::filesystem::path target_;
};

}  // namespace deploylab::ctr
