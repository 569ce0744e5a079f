// containers/rootfs/image_store.h: ImageStore, minictr's images on disk: layers, named images,
// and each container's writable overlay over its image.
//
//   ROOT/                                   default /var/lib/minictr
//     layers/<sha256>/                      one unpacked layer (read-only once committed)
//     images/<name>.json                    {"name": "busybox", "layers": ["<sha256>", ...]}
//     containers/<id>/{upper,work,merged}   a container's writes, overlayfs scratch, the union
//
// Layer ids are SHA-256 digests (digest.h): of the tar file for an imported layer, of the
// recipe for the built-in busybox layer. A layer is unpacked into layers/.partial-XXXXXX and
// renamed into place only when complete, so a crash never leaves a half layer under a real id.
//
// Layer order: an image lists its layers BASE FIRST, like an OCI manifest and a Dockerfile (each
// layer is a change on top of the previous ones); overlayfs wants them TOP FIRST. The reversal
// happens in exactly one place, create_container_rootfs().
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"
#include "containers/rootfs/mount_guard.h"

namespace deploylab::ctr {

// A container's root filesystem: the overlay at `merged`, mounted while `mount` is active.
// A runtime whose container outlives the call releases the guard and later calls
// remove_container_rootfs().
struct ContainerRootfs {
  MountGuard mount;
  std::filesystem::path merged;  // use as config.json's root.path
  std::filesystem::path dir;     // ROOT/containers/<id>
};

class ImageStore {
 public:
  static std::filesystem::path default_root() { return "/var/lib/minictr"; }
  explicit ImageStore(std::filesystem::path root = default_root()) : root_(std::move(root)) {}

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path layer_path(const std::string& layer_id) const { return root_ / "layers" / layer_id; }

  // The busybox layer from `busybox` (busybox_layer.h); returns its id. Free if it exists.
  Result<std::string> build_busybox_layer(const std::filesystem::path& busybox = "/bin/busybox");
  // Unpacks a layer tarball (layer_import.h: checked, whiteouts converted); returns its id,
  // the SHA-256 of the file. Importing the same file twice unpacks it once.
  Result<std::string> import_tar_layer(const std::filesystem::path& tarball);

  // Names an image: `layers` are ids of existing layers, base first. Replaces an older tag.
  Result<void> tag(const std::string& name, const std::vector<std::string>& layers);
  // The image's layer directories, base first.
  Result<std::vector<std::filesystem::path>> layers_of(const std::string& name) const;
  // Every tagged image's name, sorted.
  Result<std::vector<std::string>> images() const;

  // Makes ROOT/containers/<id>/{upper,work,merged} and mounts the image's overlay at merged.
  Result<ContainerRootfs> create_container_rootfs(const std::string& image, const std::string& container_id);
  // Unmounts (if mounted) and deletes ROOT/containers/<id>; a missing one is not an error.
  Result<void> remove_container_rootfs(const std::string& container_id);

 private:
  using Populate = std::function<Result<void>(const std::filesystem::path& staging)>;
  // Fills a staging directory with `populate` and renames it to layers/<id>, unless it exists.
  Result<std::string> commit_layer(const std::string& id, const Populate& populate);
  Result<std::filesystem::path> make_container_dirs(const std::string& container_id);

  std::filesystem::path root_;
};

}  // namespace deploylab::ctr
