// containers/runtime/hooks.h: running config.json's hooks (runtime-spec config.md, "POSIX-platform
// Hooks"). A hook is a program on the host that a container manager asks the runtime to run at
// a point of the container's life: createRuntime (after the namespaces exist, e.g. to set up the
// network of the new network namespace), createContainer and startContainer (in the container's
// namespaces), poststart, poststop. Each gets the container's OCI state JSON on its stdin, so it
// knows which container and which pid. A failing hook fails the step (except poststart and
// poststop, whose failures are only logged: the container is already running or already gone).
#pragma once

#include <string_view>
#include <vector>

#include "common/result.h"
#include "containers/oci/spec.h"

namespace deploylab::ctr {

// Runs `hooks` in order, each with `state_json` on stdin and its own timeout (none: 30 s).
// `stage` names the point ("createRuntime") in errors.
Result<void> run_hooks(const std::vector<Hook>& hooks, std::string_view state_json, std::string_view stage);

}  // namespace deploylab::ctr
