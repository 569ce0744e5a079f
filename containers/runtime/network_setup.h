// containers/runtime/network_setup.h: `--net none|host|NAME` and `-p` on create and run (lab 08).
//
// Without --net, config.json decides, as in runc: a "network" entry in linux.namespaces means a
// new namespace (or, with a path, joining one), none means the host's. --net overrides it:
//   host   the entry is dropped: the container shares the host's interfaces (and ports);
//   none   a new namespace: the init brings lo up and that is all there is;
//   NAME   a new namespace, connected to the minictr network NAME by the runtime after the clone
//          and before the init is told "go" (launcher.cpp), so the program starts with eth0 up.
#pragma once

#include <optional>
#include <string>

#include "common/result.h"
#include "containers/oci/spec.h"
#include "containers/runtime/runtime.h"

namespace deploylab::ctr {

// Rewrites spec.linux.namespaces for request.net; the network to connect to, if any. A spec
// that joins an existing network namespace (a path) cannot get a new one: an error. -p without a
// network NAME is an error too. Pure.
Result<std::optional<std::string>> apply_network_choice(Spec& spec, const CreateRequest& request);

}  // namespace deploylab::ctr
