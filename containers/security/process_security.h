// containers/security/process_security.h: config.json's security settings for one process (the
// container's init, or a process `minictr exec` adds), planned at create time and applied in
// the process just before it execs the program.
//
// Planning (plan_process_security) checks everything a bad config.json could get wrong, the
// capability names and the whole seccomp profile (compiled once and thrown away), so `minictr
// create` fails with a clear message before any namespace, cgroup or state exists.
//
// Applying follows runc. The seccomp filter goes in as late as possible, so it has to allow as
// few of the runtime's own calls as possible, but loading one needs either no_new_privs or
// CAP_SYS_ADMIN:
//   with noNewPrivileges:    drop_privileges() ... load_seccomp_before_exec() right before execve;
//   without:                 drop_privileges() loads it first, while the process still has
//                            CAP_SYS_ADMIN, then drops the capabilities.
// drop_privileges(): [seccomp] -> bounding set -> keep caps, change user -> effective, permitted,
// inheritable -> ambient -> no_new_privs (capability_apply.h explains the order).
#pragma once

#include <functional>
#include <optional>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "containers/oci/spec.h"
#include "containers/security/capabilities.h"
#include "containers/security/seccomp_profile.h"

namespace deploylab::ctr {

struct ProcessSecurity {
  CapabilityPlan capabilities;
  bool no_new_privileges = false;
  std::optional<SeccompProfile> seccomp;  // none: no filter (linux.seccomp absent)
};

enum class SeccompLoadPoint { before_dropping_capabilities, just_before_exec };

// process.capabilities, process.noNewPrivileges and linux.seccomp (raw JSON, null when absent),
// checked. Capability warnings (names newer than this kernel) are logged.
Result<ProcessSecurity> plan_process_security(const Process& process, const nlohmann::json& seccomp);

// Where the filter goes in: just before exec with no_new_privs, else before the capabilities go.
SeccompLoadPoint seccomp_load_point(const ProcessSecurity& security);

// In the process, as root, after the root filesystem is ready: the steps above, with the
// caller's `change_user` (setgroups, setresgid, setresuid) in the middle.
Result<void> drop_privileges(const ProcessSecurity& security, const std::function<Result<void>()>& change_user);

// In the process, the last step before execve: the filter, when no_new_privs allows it here.
Result<void> load_seccomp_before_exec(const ProcessSecurity& security);

// process.user applied: supplementary groups, then gid, then uid (after setuid to a non-root
// user the others would be refused).
Result<void> switch_to_user(const User& user);

}  // namespace deploylab::ctr
