// containers/security/capability_apply.h: giving the container's process exactly the
// capabilities config.json names (the masks of capabilities.h), in the container's init and in
// `minictr exec`'s child, just before they exec the program.
//
// The order is runc's, and each step is where it is for a reason:
//
//   1. drop the bounding set (PR_CAPBSET_DROP), while still root: dropping needs CAP_SETPCAP;
//   2. PR_SET_KEEPCAPS, then change uid (the caller's step): a uid change away from 0 would
//      otherwise clear the permitted and effective sets, and the next step needs them;
//   3. cap_set_proc: effective, permitted and inheritable, exactly as configured;
//   4. raise the ambient set (PR_CAP_AMBIENT_RAISE), which needs each capability already in
//      both permitted and inheritable, so it comes after step 3.
//
// noNewPrivileges and the seccomp filter come around these steps (process_security.h).
#pragma once

#include <functional>

#include "common/result.h"
#include "containers/security/capabilities.h"

namespace deploylab::ctr {

// Step 1: removes from the bounding set every capability up to `last_cap` that `plan.bounding`
// leaves out.
Result<void> drop_bounding_set(const CapabilityPlan& plan, int last_cap);

// Steps 2 to 4 around `change_user` (setgroups/setresgid/setresuid, done by the caller).
Result<void> change_user_and_set_capabilities(const CapabilityPlan& plan, const std::function<Result<void>()>& change_user);

}  // namespace deploylab::ctr
