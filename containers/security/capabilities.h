// containers/security/capabilities.h: Linux capabilities by name, and config.json's five
// capability sets turned into bit masks (pure: no syscalls, tested without root).
//
// Root's power is split into about forty capabilities (capabilities(7)): CAP_CHOWN, CAP_KILL,
// CAP_SYS_ADMIN (mount, and much else), CAP_SYS_MODULE (load kernel modules), ... A process holds
// five sets of them, which config.json's process.capabilities names one by one:
//
//   bounding     the most it can ever get: a capability dropped here is gone for good, even for
//                a setuid-root program it runs later;
//   permitted    what it may turn on; effective: what is on now (what the kernel checks);
//   inheritable  what may pass through an execve to a program with matching file capabilities;
//   ambient      what passes through an execve to any (non-setuid) program: how a non-root
//                user in a container keeps, say, CAP_NET_BIND_SERVICE.
//
// The runtime (capability_apply.h) applies the masks in the container's init, in runc's order.
// Names the running kernel does not know (newer than its /proc/sys/kernel/cap_last_cap) are
// skipped with a warning, as runc does: a config.json written for a newer kernel still runs.
// A name nobody knows is an error at `minictr create`, naming the set and the entry.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "containers/oci/spec.h"

namespace deploylab::ctr {

// The highest capability number this code knows: CAP_CHECKPOINT_RESTORE (Linux 5.9).
inline constexpr int kLastKnownCapability = 40;

// "CAP_SYS_ADMIN" -> 21; std::nullopt for a name capabilities(7) does not list. Exact and
// case-sensitive, as runc reads them.
std::optional<int> capability_number(std::string_view name);

// 21 -> "CAP_SYS_ADMIN"; "" for a number above kLastKnownCapability or below 0.
std::string_view capability_name(int number);

// One bit per capability: bit N is capability N (the layout of CapEff in /proc/PID/status).
using CapabilityMask = std::uint64_t;

struct CapabilityPlan {
  CapabilityMask bounding = 0, effective = 0, permitted = 0, inheritable = 0, ambient = 0;
  std::vector<std::string> warnings;  // "process.capabilities.bounding[3]: CAP_X is newer than ..."
};

// The masks for config.json's sets. `last_cap` is the running kernel's highest capability
// (running_kernel_last_cap()); names above it are skipped with a warning. An unknown name is
// an error naming its JSON path: process.capabilities.effective[1]: unknown capability "CAP_FOO".
Result<CapabilityPlan> plan_capabilities(const Capabilities& sets, int last_cap);

// The names in a mask, lowest bit first ("CAP_KILL CAP_NET_BIND_SERVICE"), for messages.
std::string describe_mask(CapabilityMask mask);

// /proc/sys/kernel/cap_last_cap, or kLastKnownCapability when it cannot be read.
int running_kernel_last_cap();

}  // namespace deploylab::ctr
