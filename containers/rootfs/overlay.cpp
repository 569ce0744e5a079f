// containers/rootfs/overlay.cpp: overlayfs mount options and the mount (see overlay.h).
#include "containers/rootfs/overlay.h"

#include <unistd.h>

#include "containers/rootfs/mount_syscalls.h"

namespace deploylab::ctr {
namespace {

// mount(2) copies its options string into one page; longer strings are cut (EINVAL or worse).
const std::size_t kMaxMountData = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)) - 1;

std::string escape(const std::filesystem::path& path) {
  std::string out;
  for (char c : path.string()) {
    if (c == '\\' || c == ':' || c == ',') out += '\\';
    out += c;
  }
  return out;
}

Result<void> check_absolute(const std::filesystem::path& path, const std::string& what) {
  if (path.is_absolute()) return {};
  return Error::invalid("overlay " + what + " must be an absolute path", path.string());
}

}  // namespace

std::string overlay_mount_data(const OverlayLayers& layers) {
  // BEGIN SOLUTION lab 6: build overlayfs's options: lowerdir top first, then upperdir and workdir, each path escaped
  std::string data = "lowerdir=";
  for (std::size_t i = 0; i < layers.lower.size(); ++i) {
    if (i > 0) data += ':';
    data += escape(layers.lower[i]);
  }
  if (!layers.upper.empty()) data += ",upperdir=" + escape(layers.upper) + ",workdir=" + escape(layers.work);
  return data;
  // END SOLUTION
}

Result<void> check_overlay_layers(const OverlayLayers& layers) {
  if (layers.lower.empty()) return Error::invalid("an overlay needs at least one lower layer", layers.target.string());
  if (layers.upper.empty() != layers.work.empty()) {
    return Error::invalid("overlay upperdir and workdir go together", layers.target.string(),
                          "give both (a writable overlay) or neither (a read-only one)");
  }
  if (layers.upper.empty() && layers.lower.size() < 2) {
    return Error::invalid("a read-only overlay needs at least two lower layers", layers.target.string(),
                          "bind-mount a single layer instead, or add an upper and a work dir");
  }
  if (layers.target.empty()) return Error::invalid("overlay target is empty");
  for (const auto& lower : layers.lower) DL_TRY(check_absolute(lower, "lowerdir"));
  if (!layers.upper.empty()) {
    DL_TRY(check_absolute(layers.upper, "upperdir"));
    DL_TRY(check_absolute(layers.work, "workdir"));
  }
  if (overlay_mount_data(layers).size() > kMaxMountData) {
    return Error::invalid("overlay options do not fit in one page (" + std::to_string(kMaxMountData) + " bytes)",
                          layers.target.string(), "use fewer layers or shorter layer paths");
  }
  return {};
}

Result<MountGuard> mount_overlay(const OverlayLayers& layers) {
  DL_TRY(check_overlay_layers(layers));
  DL_TRY(mount_filesystem("overlay", layers.target, "overlay", 0, overlay_mount_data(layers)));
  return MountGuard(layers.target);
}

}  // namespace deploylab::ctr
