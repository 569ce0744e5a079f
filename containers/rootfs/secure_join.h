// containers/rootfs/secure_join.h: turn a container path ("/etc/resolv.conf") into the host path
// inside the rootfs that the container will see there, following symlinks the way the container
// will: inside the rootfs, never out of it.
//
// Why it matters: the rootfs is the image's, and the image may be hostile. If it ships
// `etc -> /` and config.json mounts something at /etc/x, a naive `rootfs + "/etc/x"` makes the
// kernel follow the link to the HOST's /etc/x: the runtime (root, before pivot_root) would create
// directories and mount over host paths. Resolving each component ourselves, with an absolute
// link target restarting at the rootfs and ".." stopping at it, gives the path the container
// itself would reach (runc does the same with the filepath-securejoin package).
//
// The answer is only true while nobody changes the rootfs: fine here, since no container process
// runs yet while the runtime prepares its mounts.
#pragma once

#include <filesystem>
#include <string>

#include "common/result.h"

namespace deploylab::ctr {

// `root` must be absolute. Missing components are kept as written (they are about to be made);
// more than 40 symlinks on the way (a loop) is an ELOOP error, like the kernel's own limit.
Result<std::filesystem::path> resolve_in_root(const std::filesystem::path& root, const std::string& path);

}  // namespace deploylab::ctr
