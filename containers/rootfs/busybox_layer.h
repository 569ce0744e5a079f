// containers/rootfs/busybox_layer.h: a complete one-layer image made from the host's static
// busybox, so the labs can run containers without downloading any image.
//
// The layer holds bin/busybox, one symlink per applet where `busybox --list-full` says it lives
// (usr/bin/wc -> /bin/busybox, ...), an etc/passwd and etc/group with root and nobody, and the
// empty directories a Linux userland expects to mount on or write to (proc, sys, dev, tmp, root).
// It is deterministic: every mode is set explicitly and every timestamp is 0, so the same busybox
// gives the same layer, and image_store.h names it by the digest of its recipe
// (busybox_layer_recipe) without hashing the tree.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"

namespace deploylab::ctr {

// The applets' paths relative to the root ("bin/ls", "usr/bin/wc"), sorted.
Result<std::vector<std::string>> busybox_applets(const std::filesystem::path& busybox);

// Pure: a text that changes exactly when the layer would (the binary's digest, the applet list,
// the fixed files); its SHA-256 is the layer's id.
std::string busybox_layer_recipe(const std::string& busybox_digest, const std::vector<std::string>& applets);

// Writes the layer into `dir` (existing and empty).
Result<void> write_busybox_layer(const std::filesystem::path& dir, const std::filesystem::path& busybox,
                                 const std::vector<std::string>& applets);

}  // namespace deploylab::ctr
