// labs/05-namespaces/namespaces_support.h: what lab 05's tests share beyond test_bundle.h: a
// bundle for a user namespace.
#pragma once

#include <filesystem>
#include <string>

#include "tests/containers/test_bundle.h"

namespace deploylab::ctr::testing {

// A busybox bundle whose files belong to HOST_ID (uid and gid): in a user namespace that maps
// container root to HOST_ID, the container's root then owns its own files.
inline TestBundle user_namespace_bundle(const std::string& id, unsigned host_id) {
  TestBundle b = TestBundle::make(id);
  // The container's root is an ordinary user on the host: it must be able to walk into the
  // bundle (mkdtemp made it 0700) and own the rootfs.
  std::filesystem::permissions(b.dir(), std::filesystem::perms(0755));
  run_checked({"chown", "-R", std::to_string(host_id) + ":" + std::to_string(host_id), b.rootfs().string()}).value();
  b.config()["linux"]["namespaces"].push_back({{"type", "user"}});
  b.config()["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", host_id}, {"size", 65536}}};
  b.config()["linux"]["gidMappings"] = {{{"containerID", 0}, {"hostID", host_id}, {"size", 65536}}};
  return b;
}

}  // namespace deploylab::ctr::testing
