// containers/security/default_profile.h: the seccomp profile `minictr spec` puts in every new
// config.json, so a container is confined unless its author takes the filter out.
//
// It blocks what Docker's default profile blocks, the system calls that reach kernel state no
// namespace isolates (keys, kernel modules, the clock, swap, reboot, BPF, new namespaces, mounts,
// ...), but it is written the other way round: a DENY list. defaultAction is SCMP_ACT_ALLOW and
// each listed call fails with EPERM. Why not Docker's allow list (defaultAction SCMP_ACT_ERRNO and
// ~350 allowed names)? This is a teaching kit: forty lines a student can read and argue about say
// more than three hundred. The price is known and written here on purpose: a system call added to
// Linux after this list was written is allowed until someone adds it, where an allow list would
// refuse it. (docs/ and README.md come back to that trade-off.)
//
// "Unless asked": a call that only a capability makes useful stays allowed when config.json's
// bounding set grants that capability, as Docker's "includes.caps" do: a container given
// CAP_SYS_ADMIN may mount, one given CAP_SYS_MODULE may load modules. Whoever grants the
// capability asked for the call; blocking it would only make them turn the filter off.
#pragma once

#include <cerrno>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "containers/security/capabilities.h"
#include "containers/security/seccomp_profile.h"

namespace deploylab::ctr {

// One rule of the default profile.
struct DefaultRule {
  std::vector<std::string_view> names;
  std::vector<int> unless_caps;         // allowed when the bounding set holds any of these
  int errno_value = EPERM;
  std::vector<ArgCondition> args;       // empty: every call; else when any of them matches
  std::string_view why;                 // one line for the reader of config.json's origin
};

// Every rule, whatever the capabilities.
const std::vector<DefaultRule>& default_rules();

// Whether `rule` belongs in the profile of a process whose bounding set is `granted`.
bool rule_applies(const DefaultRule& rule, CapabilityMask granted);

// linux.seccomp for a container whose bounding set is `granted` (names unknown to this code are
// ignored here; plan_capabilities() reports them).
nlohmann::ordered_json default_seccomp_profile(const std::vector<std::string>& bounding);

}  // namespace deploylab::ctr
