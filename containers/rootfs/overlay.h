// containers/rootfs/overlay.h: an image's layers stacked into one root filesystem with overlayfs.
//
// overlayfs shows the union of read-only "lower" directories (the image layers, the top layer
// winning on a name clash) and one writable "upper" directory: the container's writes, new files
// and deletions all land in the upper; the layers are never modified, so any number of
// containers share them. A deletion is recorded as a whiteout in the upper (a character device
// 0/0, see layer_import.h); "work" is overlayfs's scratch space for atomic copy-ups and must be
// an empty directory on the same filesystem as the upper.
//
//   mount -t overlay overlay -o lowerdir=L2:L1,upperdir=U,workdir=W TARGET
//   (L2 is the top layer: overlayfs lists lower directories top first)
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"
#include "containers/rootfs/mount_guard.h"

namespace deploylab::ctr {

struct OverlayLayers {
  std::vector<std::filesystem::path> lower;  // read-only layers, TOP FIRST
  std::filesystem::path upper;               // writable layer; empty for a read-only overlay
  std::filesystem::path work;                // empty iff upper is empty
  std::filesystem::path target;              // where the union appears
};

// Pure: "lowerdir=/l/top:/l/base,upperdir=/u,workdir=/w". ':' separates lower layers and ','
// separates options, so both (and '\' itself) are escaped with a backslash, which overlayfs
// removes again when it parses the string.
std::string overlay_mount_data(const OverlayLayers& layers);

// Pure: the mistakes the kernel would answer with a bare EINVAL, said in words: no lower layer,
// an upper without a work dir (or the reverse), a read-only overlay with a single layer,
// relative paths, or more layers than fit in mount(2)'s one page of options.
Result<void> check_overlay_layers(const OverlayLayers& layers);

// Checks, then mounts; the guard unmounts when it goes out of scope (release() it to keep the
// mount). The target directory must exist.
Result<MountGuard> mount_overlay(const OverlayLayers& layers);

}  // namespace deploylab::ctr
