// containers/security/default_profile.cpp: the default seccomp profile's rules and their JSON
// (see default_profile.h for why it is a deny list).
#include "containers/security/default_profile.h"

#include <linux/capability.h>
#include <sched.h>
#include <sys/personality.h>
#include <sys/utsname.h>

#include <string>

namespace deploylab::ctr {
namespace {

// clone's first argument holds the flags on x86_64 and arm64: one masked comparison per
// namespace flag, any of which blocks the call (seccomp_profile.h: repeated index = OR).
std::vector<ArgCondition> any_flag_of(std::initializer_list<std::uint64_t> flags) {
  std::vector<ArgCondition> out;
  for (std::uint64_t flag : flags) out.push_back({0, flag, flag, ArgOp::masked_eq});
  return out;
}

const std::initializer_list<std::uint64_t> kNamespaceFlags = {CLONE_NEWNS,   CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER,
                                                              CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWCGROUP};
// Personality flags that undo hardening: ASLR off, readable memory executable, page 0 mapped.
// (A query, personality(0xffffffff), has every bit set and is refused too; Docker allows it.)
const std::initializer_list<std::uint64_t> kUnsafePersonality = {ADDR_NO_RANDOMIZE, READ_IMPLIES_EXEC, MMAP_PAGE_ZERO,
                                                                 ADDR_COMPAT_LAYOUT};

std::vector<DefaultRule> make_rules() {
  return {
      {{"keyctl", "add_key", "request_key"}, {}, EPERM, {}, "the kernel keyring is not namespaced"},
      {{"mount", "umount2", "pivot_root", "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree",
        "mount_setattr"}, {CAP_SYS_ADMIN}, EPERM, {}, "mounts"},
      {{"unshare", "setns"}, {CAP_SYS_ADMIN}, EPERM, {}, "new or other namespaces: new kernel attack surface"},
      {{"clone"}, {CAP_SYS_ADMIN}, EPERM, any_flag_of(kNamespaceFlags), "clone that makes namespaces"},
      {{"clone3"}, {CAP_SYS_ADMIN}, ENOSYS, {}, "its flags are in memory seccomp cannot read; ENOSYS makes libc fall back to clone"},
      {{"reboot", "kexec_load", "kexec_file_load"}, {CAP_SYS_BOOT}, EPERM, {}, "reboot the host, or boot another kernel"},
      {{"init_module", "finit_module", "delete_module", "create_module"}, {CAP_SYS_MODULE}, EPERM, {}, "kernel modules"},
      {{"bpf"}, {CAP_SYS_ADMIN, CAP_BPF}, EPERM, {}, "BPF programs run in the kernel"},
      {{"perf_event_open"}, {CAP_SYS_ADMIN, CAP_PERFMON}, EPERM, {}, "reads the whole machine's events"},
      {{"ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "userfaultfd"}, {CAP_SYS_PTRACE}, EPERM, {},
       "other processes' memory; userfaultfd stalls the kernel at will (exploit helper)"},
      {{"swapon", "swapoff", "quotactl", "quotactl_fd", "lookup_dcookie", "fanotify_init"}, {CAP_SYS_ADMIN}, EPERM, {},
       "host-wide state"},
      {{"acct"}, {CAP_SYS_PACCT}, EPERM, {}, "process accounting for the host"},
      {{"settimeofday", "clock_settime", "clock_adjtime"}, {CAP_SYS_TIME}, EPERM, {}, "the clock is not namespaced"},
      {{"open_by_handle_at"}, {CAP_DAC_READ_SEARCH}, EPERM, {}, "opens host files by handle (the 'shocker' escape)"},
      {{"iopl", "ioperm"}, {CAP_SYS_RAWIO}, EPERM, {}, "raw I/O ports"},
      {{"vhangup"}, {CAP_SYS_TTY_CONFIG}, EPERM, {}, "terminals"},
      {{"syslog"}, {CAP_SYSLOG}, EPERM, {}, "the kernel log leaks host addresses"},
      {{"chroot"}, {CAP_SYS_CHROOT}, EPERM, {}, "a chroot inside the container"},
      {{"mbind", "set_mempolicy", "move_pages", "migrate_pages"}, {CAP_SYS_NICE}, EPERM, {}, "NUMA placement of the host"},
      {{"io_uring_setup", "io_uring_enter", "io_uring_register"}, {}, EPERM, {}, "a second system call interface seccomp cannot see"},
      {{"nfsservctl", "get_kernel_syms", "query_module", "uselib", "ustat", "sysfs", "_sysctl"}, {}, EPERM, {},
       "obsolete interfaces nobody needs"},
      {{"personality"}, {}, EPERM, any_flag_of(kUnsafePersonality), "personalities that turn hardening off"},
  };
}

// The native architecture's SCMP_ARCH_ name; other architectures' calls hit the filter's
// bad-architecture action (kill), so a 32-bit int 0x80 cannot go around the list.
std::string native_arch_name() {
  utsname names{};
  if (::uname(&names) != 0) return {};
  std::string machine = names.machine;
  if (machine == "x86_64") return "SCMP_ARCH_X86_64";
  if (machine == "aarch64") return "SCMP_ARCH_AARCH64";
  return {};
}

CapabilityMask mask_of_names(const std::vector<std::string>& names) {
  CapabilityMask mask = 0;
  for (const std::string& name : names) {
    if (auto n = capability_number(name)) mask |= CapabilityMask{1} << *n;
  }
  return mask;
}

nlohmann::ordered_json rule_json(const DefaultRule& rule) {
  nlohmann::ordered_json entry{{"names", rule.names}, {"action", "SCMP_ACT_ERRNO"}, {"errnoRet", rule.errno_value}};
  for (const ArgCondition& arg : rule.args) {
    entry["args"].push_back({{"index", arg.index}, {"value", arg.value}, {"valueTwo", arg.value_two},
                             {"op", arg_op_name(arg.op)}});
  }
  return entry;
}

}  // namespace

const std::vector<DefaultRule>& default_rules() {
  static const std::vector<DefaultRule> rules = make_rules();
  return rules;
}

bool rule_applies(const DefaultRule& rule, CapabilityMask granted) {
  // BEGIN SOLUTION lab 9: a rule stays out of the profile when the bounding set grants one of its capabilities
  for (int cap : rule.unless_caps) {
    if ((granted & (CapabilityMask{1} << cap)) != 0) return false;
  }
  return true;
  // STUB:
  // (void)rule;
  // (void)granted;
  // return true;  // not written yet: every rule applies, whatever the capabilities
  // END SOLUTION
}

nlohmann::ordered_json default_seccomp_profile(const std::vector<std::string>& bounding) {
  CapabilityMask granted = mask_of_names(bounding);
  nlohmann::ordered_json profile{{"defaultAction", "SCMP_ACT_ALLOW"}};
  std::string arch = native_arch_name();
  profile["architectures"] = arch.empty() ? nlohmann::ordered_json::array() : nlohmann::ordered_json::array({arch});
  profile["syscalls"] = nlohmann::ordered_json::array();
  for (const DefaultRule& rule : default_rules()) {
    if (rule_applies(rule, granted)) profile["syscalls"].push_back(rule_json(rule));
  }
  return profile;
}

}  // namespace deploylab::ctr
