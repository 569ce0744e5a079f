// bench/containers/overlay_bundle.h: a container root file system laid out as Docker lays it
// out, an overlay mount, for the disk row.
//
//   lower   the busybox rootfs copy (read-only to the overlay; shared by every overlay)
//   upper   where the container's writes land (an empty directory on /var/tmp's file system)
//   work    overlayfs' scratch directory, on the same file system as upper
//   merged  the mount point: the bundle's root.path
//
// The mount is made in the mount namespace the runtime will see: the machine's for minictr and
// runc, crun's private one on hybrid cgroups (a mount made in the machine's namespace after that
// one was copied would not appear in it). A short-lived child joins the namespace and calls
// mount(2) or umount2(2) between fork and exec, so the benchmark itself never changes namespace.
#pragma once

#include <filesystem>
#include <string>

#include "bench/containers/private_mount_ns.h"
#include "common/result.h"

namespace deploylab::bench {

struct OverlayDirs {
  std::filesystem::path lower, upper, work, merged;
};

// BASE/upper, BASE/work and BASE/merged over `lower`.
OverlayDirs overlay_dirs(const std::filesystem::path& base, const std::filesystem::path& lower);

// The mount data: "lowerdir=L,upperdir=U,workdir=W". Throws std::invalid_argument when a path
// holds a ',' or ':' (overlayfs would split it there).
std::string overlay_options(const OverlayDirs& dirs);

// A mounted overlay: unmounted (in the namespace it was mounted in) and its upper, work and
// merged directories removed when it goes away.
class OverlayMount {
 public:
  // Makes the directories and mounts. `mount_ns`: mount there (crun's namespace), else here.
  static Result<OverlayMount> mount(const std::filesystem::path& base, const std::filesystem::path& lower,
                                    const PrivateMountNamespace* mount_ns);
  OverlayMount(OverlayMount&& other) noexcept;
  OverlayMount& operator=(OverlayMount&&) = delete;
  ~OverlayMount();

  const std::filesystem::path& merged() const { return dirs_.merged; }

 private:
  OverlayMount(std::filesystem::path base, OverlayDirs dirs, const PrivateMountNamespace* ns)
      : base_(std::move(base)), dirs_(std::move(dirs)), ns_(ns) {}
  std::filesystem::path base_;  // empty: moved from, or nothing mounted
  OverlayDirs dirs_;
  const PrivateMountNamespace* ns_ = nullptr;
};

}  // namespace deploylab::bench
