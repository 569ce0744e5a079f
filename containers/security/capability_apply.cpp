// containers/security/capability_apply.cpp: the capability steps of the container's init (see
// capability_apply.h), with libcap for the three sets and prctl(2) for the other two.
#include "containers/security/capability_apply.h"

#include <sys/capability.h>
#include <sys/prctl.h>

#include <cerrno>
#include <memory>

#include "common/error.h"

namespace deploylab::ctr {
namespace {

// libcap's cap_t, freed with cap_free whatever happens.
struct CapFree {
  void operator()(struct _cap_struct* caps) const { ::cap_free(caps); }
};
using UniqueCaps = std::unique_ptr<struct _cap_struct, CapFree>;

bool has(CapabilityMask mask, int cap) { return (mask & (CapabilityMask{1} << cap)) != 0; }

// Sets `flag` (CAP_EFFECTIVE, ...) of `caps` to exactly `mask`.
Result<void> set_flag(cap_t caps, cap_flag_t flag, CapabilityMask mask, int last_cap) {
  for (int cap = 0; cap <= last_cap; ++cap) {
    cap_value_t value = cap;
    if (::cap_set_flag(caps, flag, 1, &value, has(mask, cap) ? CAP_SET : CAP_CLEAR) != 0) {
      return Error::os("cap_set_flag", std::string(capability_name(cap)), errno);
    }
  }
  return {};
}

// Step 3: effective, permitted and inheritable in one capset(2).
Result<void> set_process_capabilities(const CapabilityPlan& plan, int last_cap) {
  UniqueCaps caps(::cap_init());
  if (!caps) return Error::os("cap_init", "", errno);
  DL_TRY(set_flag(caps.get(), CAP_EFFECTIVE, plan.effective, last_cap));
  DL_TRY(set_flag(caps.get(), CAP_PERMITTED, plan.permitted, last_cap));
  DL_TRY(set_flag(caps.get(), CAP_INHERITABLE, plan.inheritable, last_cap));
  if (::cap_set_proc(caps.get()) != 0) {
    return Error::os("cap_set_proc", describe_mask(plan.permitted), errno,
                     "effective must be a subset of permitted, and nothing can be outside the bounding set");
  }
  return {};
}

// Step 4. The kernel raises an ambient capability only if it is permitted and inheritable;
// runc spec's default lists ambient capabilities without an inheritable set, and runc leaves
// those out quietly, so we do too.
Result<void> raise_ambient(const CapabilityPlan& plan, int last_cap) {
  CapabilityMask raisable = plan.ambient & plan.permitted & plan.inheritable;
  for (int cap = 0; cap <= last_cap; ++cap) {
    if (!has(raisable, cap)) continue;
    if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) != 0) {
      return Error::os("prctl(PR_CAP_AMBIENT_RAISE)", std::string(capability_name(cap)), errno);
    }
  }
  return {};
}

}  // namespace

Result<void> drop_bounding_set(const CapabilityPlan& plan, int last_cap) {
  // BEGIN SOLUTION lab 9: drop every capability the bounding set leaves out (PR_CAPBSET_DROP)
  for (int cap = 0; cap <= last_cap; ++cap) {
    if (has(plan.bounding, cap)) continue;
    if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) {
      return Error::os("prctl(PR_CAPBSET_DROP)", std::string(capability_name(cap)), errno,
                       "dropping from the bounding set needs CAP_SETPCAP: do it before changing user");
    }
  }
  // STUB:
  // (void)plan;
  // (void)last_cap;  // not written yet: nothing is dropped from the bounding set
  // END SOLUTION
  return {};
}

Result<void> change_user_and_set_capabilities(const CapabilityPlan& plan, const std::function<Result<void>()>& change_user) {
  int last_cap = running_kernel_last_cap();
  // BEGIN SOLUTION lab 9: keep the capabilities across the uid change, then set the three sets, then raise the ambient ones
  if (::prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) return Error::os("prctl(PR_SET_KEEPCAPS)", "", errno);
  DL_TRY(change_user());
  if (::prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0) return Error::os("prctl(PR_SET_KEEPCAPS)", "", errno);
  DL_TRY(set_process_capabilities(plan, last_cap));
  DL_TRY(raise_ambient(plan, last_cap));
  // STUB:
  // (void)plan;
  // (void)last_cap;
  // DL_TRY(change_user());  // not written yet: the capabilities stay as they are
  // END SOLUTION
  return {};
}

}  // namespace deploylab::ctr
