// containers/security/seccomp_profile.h: config.json's linux.seccomp as plain data, and its
// parser (pure: names are resolved with libseccomp's tables, nothing is loaded).
//
// seccomp ("secure computing") lets a process install a filter the kernel runs on every system
// call it makes from then on, it and all its children, for ever: a small BPF program that looks
// at the call's number and arguments and answers allow, fail with an errno, kill, trap or log.
// An OCI profile describes that filter as data:
//
//   {"defaultAction": "SCMP_ACT_ALLOW",
//    "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
//    "syscalls": [{"names": ["keyctl", "add_key"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
//                 {"names": ["clone"], "action": "SCMP_ACT_ERRNO",
//                  "args": [{"index": 0, "value": 268435456, "valueTwo": 268435456, "op": "SCMP_CMP_MASKED_EQ"}]}]}
//
// A call no rule matches gets defaultAction. Several args in one rule must all match (AND),
// except that args comparing the same index are separate rules (OR), as runc compiles them.
// For SCMP_CMP_MASKED_EQ, value is the mask and valueTwo what the masked argument must equal.
// Errors name the JSON path: linux.seccomp.syscalls[3].names[1]: unknown syscall "foo" (not on
// x86_64). seccomp_filter.h compiles the profile with libseccomp and loads it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace deploylab::ctr {

enum class SeccompAction { kill_thread, kill_process, trap, errno_ret, trace, allow, log };
enum class ArgOp { ne, lt, le, eq, ge, gt, masked_eq };

// One comparison of an argument of the call: args[index] OP value (masked_eq: (arg & value) == value_two).
struct ArgCondition {
  unsigned index = 0;  // 0..5: a system call has at most six arguments
  std::uint64_t value = 0;
  std::uint64_t value_two = 0;
  ArgOp op = ArgOp::eq;
};

struct SyscallRule {
  std::vector<std::string> names;    // as written ("keyctl")
  std::vector<int> numbers;          // the native architecture's numbers, one per name
  SeccompAction action = SeccompAction::errno_ret;
  std::uint32_t errno_ret = 1;       // for errno_ret (default EPERM) and trace
  std::vector<ArgCondition> args;    // empty: every call of these names
};

struct SeccompProfile {
  SeccompAction default_action = SeccompAction::allow;
  std::uint32_t default_errno_ret = 1;  // EPERM, as runc
  std::vector<std::uint32_t> architectures;  // SCMP_ARCH_* tokens besides the native one
  std::vector<SyscallRule> syscalls;
  bool log = false;            // flags: SECCOMP_FILTER_FLAG_LOG
  bool spec_allow = false;     // flags: SECCOMP_FILTER_FLAG_SPEC_ALLOW
  bool tsync = false;          // flags: SECCOMP_FILTER_FLAG_TSYNC
};

// "SCMP_ACT_ERRNO" -> errno_ret; std::nullopt for anything else. SCMP_ACT_KILL is kill_thread.
std::optional<SeccompAction> seccomp_action_from_name(std::string_view name);
std::string_view seccomp_action_name(SeccompAction action);
// "SCMP_CMP_MASKED_EQ" -> masked_eq.
std::optional<ArgOp> arg_op_from_name(std::string_view name);
std::string_view arg_op_name(ArgOp op);

// Parses linux.seccomp (`json` is that object; `path` names it in errors).
Result<SeccompProfile> parse_seccomp_profile(const nlohmann::json& json, std::string_view path = "linux.seccomp");

}  // namespace deploylab::ctr
