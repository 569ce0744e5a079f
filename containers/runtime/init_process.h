// containers/runtime/init_process.h: the container's first process, from clone to exec.
//
// `minictr create` clones a child into the new namespaces (clone_process.h); that child runs
// run_container_init() and never returns: it either becomes the container's program (execve)
// or exits. Its steps, in order, each one named in init_process.cpp:
//
//   1. join the namespaces config.json names by path (setns)
//   2. wait for the parent's "go": its uid/gid maps are written and it is in its cgroup
//   3. set the hostname
//   4. run createContainer hooks
//   5. the root filesystem: mounts, devices, pivot_root, masked and read-only paths; then its
//      own cgroup namespace (rooted at that cgroup)
//   6. sysctls, the terminal, rlimits, oom_score_adj
//   7. drop privileges (containers/security/process_security.h): [seccomp without
//      no_new_privs], the bounding set, the user (groups, gid, uid) with the capabilities kept
//      across it, the effective/permitted/inheritable and ambient sets, no_new_privs; then the
//      working directory
//   8. tell the parent "ready" (or "error: ..." at any step above, then exit)
//   9. block on the exec fifo until `minictr start`; startContainer hooks; [seccomp with
//      no_new_privs]; execve
#pragma once

#include <string>

#include "common/unique_fd.h"
#include "containers/runtime/init_channel.h"
#include "containers/runtime/init_plan.h"

namespace deploylab::ctr {

// In the cloned child. `console` is the socket the terminal's master goes over (when the plan
// asks for a terminal); `fifo` is the parent's O_PATH handle on the exec fifo (invalid: exec at
// once). The parent opens it because the init may not be able to reach the state directory:
// in a new user namespace it is no longer the host's root.
[[noreturn]] void run_container_init(const InitPlan& plan, InitChannel channel, UniqueFd console, UniqueFd fifo);

}  // namespace deploylab::ctr
