// containers/security/capabilities.cpp: capability names and config.json's sets as masks (see
// capabilities.h).
#include "containers/security/capabilities.h"

#include <array>
#include <fstream>

#include "common/error.h"
#include "containers/oci/json_fields.h"

namespace deploylab::ctr {
namespace {

// capabilities(7), in number order: kCapabilityNames[N] is capability N.
constexpr std::array<std::string_view, kLastKnownCapability + 1> kCapabilityNames = {
    "CAP_CHOWN",            "CAP_DAC_OVERRIDE",   "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
    "CAP_FSETID",           "CAP_KILL",           "CAP_SETGID",          "CAP_SETUID",
    "CAP_SETPCAP",          "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",        "CAP_NET_RAW",        "CAP_IPC_LOCK",        "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",       "CAP_SYS_RAWIO",      "CAP_SYS_CHROOT",      "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",        "CAP_SYS_ADMIN",      "CAP_SYS_BOOT",        "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",     "CAP_SYS_TIME",       "CAP_SYS_TTY_CONFIG",  "CAP_MKNOD",
    "CAP_LEASE",            "CAP_AUDIT_WRITE",    "CAP_AUDIT_CONTROL",   "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",     "CAP_MAC_ADMIN",      "CAP_SYSLOG",          "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",    "CAP_AUDIT_READ",     "CAP_PERFMON",         "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};

[[maybe_unused]] CapabilityMask all_up_to(int last_cap) {
  return last_cap >= 63 ? ~CapabilityMask{0} : (CapabilityMask{1} << (last_cap + 1)) - 1;
}

// One set: each name to its bit, with the entry's JSON path in errors and warnings.
Result<CapabilityMask> mask_of(const std::vector<std::string>& names, std::string_view set, int last_cap,
                               std::vector<std::string>& warnings) {
  CapabilityMask mask = 0;
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string path = "process.capabilities." + std::string(set) + "[" + std::to_string(i) + "]";
    // BEGIN SOLUTION lab 9: look the name up; unknown -> error, newer than the kernel -> warning and skip, else set its bit
    std::optional<int> number = capability_number(names[i]);
    if (!number) {
      return json_error(path, "unknown capability \"" + names[i] + "\"",
                        "capabilities(7) lists the names, e.g. CAP_NET_BIND_SERVICE");
    }
    if (*number > last_cap) {
      warnings.push_back(path + ": " + names[i] + " is unknown to the running kernel (its last is " +
                         std::to_string(last_cap) + "); skipped");
      continue;
    }
    mask |= CapabilityMask{1} << *number;
    // STUB:
    // (void)last_cap;
    // (void)warnings;
    // (void)path;
    // return all_up_to(kLastKnownCapability);  // not written yet: the container keeps every capability
    // END SOLUTION
  }
  return mask;
}

}  // namespace

std::optional<int> capability_number(std::string_view name) {
  for (std::size_t n = 0; n < kCapabilityNames.size(); ++n) {
    if (kCapabilityNames[n] == name) return static_cast<int>(n);
  }
  return std::nullopt;
}

std::string_view capability_name(int number) {
  if (number < 0 || number > kLastKnownCapability) return {};
  return kCapabilityNames[static_cast<std::size_t>(number)];
}

Result<CapabilityPlan> plan_capabilities(const Capabilities& sets, int last_cap) {
  CapabilityPlan plan;
  plan.bounding = DL_TRY(mask_of(sets.bounding, "bounding", last_cap, plan.warnings));
  plan.effective = DL_TRY(mask_of(sets.effective, "effective", last_cap, plan.warnings));
  plan.permitted = DL_TRY(mask_of(sets.permitted, "permitted", last_cap, plan.warnings));
  plan.inheritable = DL_TRY(mask_of(sets.inheritable, "inheritable", last_cap, plan.warnings));
  plan.ambient = DL_TRY(mask_of(sets.ambient, "ambient", last_cap, plan.warnings));
  return plan;
}

std::string describe_mask(CapabilityMask mask) {
  std::string out;
  for (int n = 0; n <= kLastKnownCapability; ++n) {
    if ((mask & (CapabilityMask{1} << n)) == 0) continue;
    if (!out.empty()) out += ' ';
    out += capability_name(n);
  }
  return out.empty() ? "(none)" : out;
}

int running_kernel_last_cap() {
  std::ifstream file("/proc/sys/kernel/cap_last_cap");
  int last = -1;
  if (!(file >> last) || last < 0 || last > 63) return kLastKnownCapability;
  return last;
}

}  // namespace deploylab::ctr
