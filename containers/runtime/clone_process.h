// containers/runtime/clone_process.h: fork into new namespaces in one step.
//
// clone3() with CLONE_NEW* flags and no stack behaves like fork(): it returns twice, the child's
// pid in the parent and 0 in the child, and the child starts life inside the new namespaces (a
// new pid namespace makes it pid 1 there). This is the system call at the heart of every
// container runtime; `unshare` then `fork` would do the same in two steps.
#pragma once

#include <sys/types.h>

#include "common/result.h"

namespace deploylab::ctr {

// The child's pid in the parent, 0 in the child. SIGCHLD is its exit signal, as with fork().
Result<pid_t> clone_into_namespaces(unsigned long namespace_flags);

// "pid, mount, uts" for CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS: for error messages.
std::string describe_namespace_flags(unsigned long flags);

}  // namespace deploylab::ctr
