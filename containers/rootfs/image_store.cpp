// containers/rootfs/image_store.cpp: layers, image tags and container overlays on disk (see
// image_store.h for the layout).
#include "containers/rootfs/image_store.h"

#include <stdio.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <nlohmann/json.hpp>

#include "common/file_io.h"
#include "common/temp_dir.h"
#include "containers/rootfs/busybox_layer.h"
#include "containers/rootfs/digest.h"
#include "containers/rootfs/layer_import.h"
#include "containers/rootfs/mount_syscalls.h"
#include "containers/rootfs/overlay.h"

namespace deploylab::ctr {
namespace {

namespace fs = std::filesystem;

// Image names and container ids become file names: letters, digits and . _ - : only, not
// starting with a dot (so never "." or ".." or a hidden staging directory).
Result<void> check_name(const std::string& name, const std::string& what) {
  const bool valid = !name.empty() && name.size() <= 128 && name.front() != '.' &&
                     name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-:") ==
                         std::string::npos;
  if (valid) return {};
  return Error::invalid("invalid " + what, name, "use letters, digits, '.', '_', '-' and ':' (at most 128)");
}

Result<void> check_layer_id(const std::string& id, const fs::path& dir) {
  if (!is_sha256_hex(id)) return Error::invalid("not a layer id (64 hex digits)", id);
  std::error_code error;
  if (fs::is_directory(dir, error)) return {};
  return Error::invalid("no such layer", id, "import the layer (import_tar_layer) or build it (build_busybox_layer) first");
}

Result<std::vector<std::string>> parse_image(const std::string& text, const fs::path& file) {
  try {
    nlohmann::json image = nlohmann::json::parse(text);
    return image.at("layers").get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception& e) {
    return Error::invalid(std::string("malformed image file: ") + e.what(), file.string());
  }
}

}  // namespace

Result<std::string> ImageStore::commit_layer(const std::string& id, const Populate& populate) {
  const fs::path final_dir = layer_path(id);
  std::error_code error;
  if (fs::is_directory(final_dir, error)) return id;
  DL_TRY(make_directories(root_ / "layers"));
  TempDir staging = DL_TRY(TempDir::create(".partial-", root_ / "layers"));
  // mkdtemp makes 0700; the layer's top directory becomes the container's "/".
  if (::chmod(staging.path().c_str(), 0755) != 0) return Error::os("chmod", staging.path().string(), errno);
  DL_TRY(populate(staging.path()).context("building layer " + id));
  if (::rename(staging.path().c_str(), final_dir.c_str()) != 0) {
    // Someone committed the same layer meanwhile: theirs is as good as ours (same digest).
    const int error = errno;
    if (error == EEXIST || error == ENOTEMPTY) return id;
    return Error::os("rename", staging.path().string() + " -> " + final_dir.string(), error);
  }
  staging.release();
  return id;
}

Result<std::string> ImageStore::build_busybox_layer(const fs::path& busybox) {
  std::vector<std::string> applets = DL_TRY(busybox_applets(busybox));
  std::string busybox_digest = DL_TRY(sha256_of_file(busybox));
  std::string id = DL_TRY(sha256_of_text(busybox_layer_recipe(busybox_digest, applets)));
  return commit_layer(id, [&](const fs::path& dir) { return write_busybox_layer(dir, busybox, applets); });
}

Result<std::string> ImageStore::import_tar_layer(const fs::path& tarball) {
  std::string id = DL_TRY(sha256_of_file(tarball));
  return commit_layer(id, [&](const fs::path& dir) { return extract_layer(tarball, dir); });
}

Result<void> ImageStore::tag(const std::string& name, const std::vector<std::string>& layers) {
  DL_TRY(check_name(name, "image name"));
  if (layers.empty()) return Error::invalid("an image needs at least one layer", name);
  for (const std::string& id : layers) DL_TRY(check_layer_id(id, layer_path(id)).context("tagging " + name));
  DL_TRY(make_directories(root_ / "images"));
  nlohmann::json image = {{"name", name}, {"layers", layers}};
  return write_file_atomic(root_ / "images" / (name + ".json"), image.dump(2) + "\n");
}

Result<std::vector<fs::path>> ImageStore::layers_of(const std::string& name) const {
  DL_TRY(check_name(name, "image name"));
  const fs::path file = root_ / "images" / (name + ".json");
  std::string text = DL_TRY(read_file(file).context("no image `" + name + "` in " + root_.string()));
  std::vector<fs::path> dirs;
  for (const std::string& id : DL_TRY(parse_image(text, file))) {
    DL_TRY(check_layer_id(id, layer_path(id)).context("image " + name));  // ids from disk name paths: check
    dirs.push_back(layer_path(id));
  }
  return dirs;
}

Result<std::vector<std::string>> ImageStore::images() const {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(root_ / "images", error)) {
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  }
  if (error && error != std::errc::no_such_file_or_directory) return Error::os("listing images", (root_ / "images").string(), error.value());
  std::sort(names.begin(), names.end());
  return names;
}

Result<fs::path> ImageStore::make_container_dirs(const std::string& container_id) {
  DL_TRY(check_name(container_id, "container id"));
  const fs::path dir = root_ / "containers" / container_id;
  std::error_code error;
  if (fs::exists(dir, error)) {
    return Error::os("creating container rootfs", dir.string(), EEXIST,
                     "a container with this id exists: delete it first (remove_container_rootfs)");
  }
  for (const char* sub : {"upper", "work", "merged"}) DL_TRY(make_directories(dir / sub));
  return dir;
}

Result<ContainerRootfs> ImageStore::create_container_rootfs(const std::string& image, const std::string& container_id) {
  std::vector<fs::path> base_first = DL_TRY(layers_of(image));
  const fs::path dir = DL_TRY(make_container_dirs(container_id));
  OverlayLayers layers{{base_first.rbegin(), base_first.rend()}, dir / "upper", dir / "work", dir / "merged"};
  auto mounted = mount_overlay(layers);
  if (!mounted.ok()) {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    return std::move(mounted).error().with_context("creating the rootfs of container " + container_id);
  }
  return ContainerRootfs{std::move(mounted).value(), dir / "merged", dir};
}

Result<void> ImageStore::remove_container_rootfs(const std::string& container_id) {
  DL_TRY(check_name(container_id, "container id"));
  const fs::path dir = root_ / "containers" / container_id;
  std::error_code error;
  if (!fs::exists(dir, error)) return {};
  auto unmounted = detach_mount(dir / "merged");
  // EINVAL/ENOENT: nothing mounted there (already unmounted, or a create that failed half-way).
  if (!unmounted.ok() && unmounted.error().code != EINVAL && unmounted.error().code != ENOENT) return unmounted;
  fs::remove_all(dir, error);
  if (error) return Error::os("removing", dir.string(), error.value());
  return {};
}

}  // namespace deploylab::ctr
