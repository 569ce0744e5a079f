// containers/security/seccomp_filter.cpp: compiling and loading a seccomp profile with libseccomp
// (see seccomp_filter.h).
#include "containers/security/seccomp_filter.h"

#include <seccomp.h>

#include <cerrno>
#include <set>

#include "common/error.h"

namespace deploylab::ctr {
namespace {

scmp_compare libseccomp_op(ArgOp op) {
  switch (op) {
    case ArgOp::ne: return SCMP_CMP_NE;
    case ArgOp::lt: return SCMP_CMP_LT;
    case ArgOp::le: return SCMP_CMP_LE;
    case ArgOp::eq: return SCMP_CMP_EQ;
    case ArgOp::ge: return SCMP_CMP_GE;
    case ArgOp::gt: return SCMP_CMP_GT;
    case ArgOp::masked_eq: return SCMP_CMP_MASKED_EQ;
  }
  return SCMP_CMP_EQ;
}

scmp_arg_cmp to_libseccomp(const ArgCondition& arg) {
  return scmp_arg_cmp{arg.index, libseccomp_op(arg.op), arg.value, arg.value_two};
}

// Whether two of the conditions compare the same argument: runc then adds one rule per
// condition (any of them matches) instead of one rule with all of them (every one matches).
bool repeats_an_index(const std::vector<ArgCondition>& args) {
  std::set<unsigned> seen;
  for (const ArgCondition& arg : args) {
    if (!seen.insert(arg.index).second) return true;
  }
  return false;
}

Result<void> add(scmp_filter_ctx ctx, std::uint32_t action, int number, const std::string& name,
                 const std::vector<scmp_arg_cmp>& conditions) {
  int rc = ::seccomp_rule_add_array(ctx, action, number, static_cast<unsigned>(conditions.size()), conditions.data());
  if (rc != 0) return Error::os("seccomp_rule_add", name, -rc, "are the args valid for this system call?");
  return {};
}

// One rule of the profile, for one of its system calls.
Result<void> add_rule(scmp_filter_ctx ctx, const SyscallRule& rule, std::size_t which) {
  std::uint32_t action = libseccomp_action(rule.action, rule.errno_ret);
  int number = rule.numbers[which];
  const std::string& name = rule.names[which];
  // BEGIN SOLUTION lab 9: translate the rule's arguments and add it: all in one rule (AND), or one rule per condition when an index repeats (OR)
  std::vector<scmp_arg_cmp> all;
  for (const ArgCondition& arg : rule.args) all.push_back(to_libseccomp(arg));
  if (!repeats_an_index(rule.args)) return add(ctx, action, number, name, all);
  for (const scmp_arg_cmp& one : all) DL_TRY(add(ctx, action, number, name, {one}));
  // STUB:
  // (void)action;
  // (void)number;
  // (void)name;  // not written yet: no rule is added, the default action applies to every call
  // END SOLUTION
  return {};
}

Result<void> set_attributes(scmp_filter_ctx ctx, const SeccompProfile& profile) {
  // libseccomp sets no_new_privs itself on load unless told not to; config.json decides that.
  if (::seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) != 0) return Error::os("seccomp_attr_set", "CTL_NNP", EINVAL);
  if (profile.tsync && ::seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1) != 0) return Error::os("seccomp_attr_set", "CTL_TSYNC", EINVAL);
  if (profile.log && ::seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1) != 0) return Error::os("seccomp_attr_set", "CTL_LOG", EINVAL);
  if (profile.spec_allow && ::seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1) != 0) return Error::os("seccomp_attr_set", "CTL_SSB", EINVAL);
  return {};
}

Result<void> add_architectures(scmp_filter_ctx ctx, const SeccompProfile& profile) {
  for (std::uint32_t arch : profile.architectures) {
    int rc = ::seccomp_arch_add(ctx, arch);
    if (rc != 0 && rc != -EEXIST) return Error::os("seccomp_arch_add", std::to_string(arch), -rc);
  }
  return {};
}

}  // namespace

void SeccompFilter::Release::operator()(void* ctx) const { ::seccomp_release(static_cast<scmp_filter_ctx>(ctx)); }

std::uint32_t libseccomp_action(SeccompAction action, std::uint32_t errno_ret) {
  switch (action) {
    case SeccompAction::kill_thread: return SCMP_ACT_KILL_THREAD;
    case SeccompAction::kill_process: return SCMP_ACT_KILL_PROCESS;
    case SeccompAction::trap: return SCMP_ACT_TRAP;
    case SeccompAction::errno_ret: return SCMP_ACT_ERRNO(errno_ret);
    case SeccompAction::trace: return SCMP_ACT_TRACE(errno_ret);
    case SeccompAction::allow: return SCMP_ACT_ALLOW;
    case SeccompAction::log: return SCMP_ACT_LOG;
  }
  return SCMP_ACT_KILL_PROCESS;
}

Result<SeccompFilter> SeccompFilter::compile(const SeccompProfile& profile) {
  std::uint32_t default_action = libseccomp_action(profile.default_action, profile.default_errno_ret);
  scmp_filter_ctx ctx = ::seccomp_init(default_action);
  if (ctx == nullptr) return Error::invalid("seccomp_init refused the default action", std::string(seccomp_action_name(profile.default_action)));
  SeccompFilter filter(ctx);
  DL_TRY(set_attributes(ctx, profile));
  DL_TRY(add_architectures(ctx, profile));
  for (std::size_t i = 0; i < profile.syscalls.size(); ++i) {
    const SyscallRule& rule = profile.syscalls[i];
    // libseccomp refuses a rule that says what the default already says; runc skips it too.
    if (libseccomp_action(rule.action, rule.errno_ret) == default_action) continue;
    for (std::size_t n = 0; n < rule.numbers.size(); ++n) {
      DL_TRY(add_rule(ctx, rule, n).context("linux.seccomp.syscalls[" + std::to_string(i) + "]"));
    }
  }
  return filter;
}

Result<void> SeccompFilter::load() const {
  // BEGIN SOLUTION lab 9: load the compiled filter into the kernel
  int rc = ::seccomp_load(static_cast<scmp_filter_ctx>(ctx_.get()));
  if (rc != 0) {
    return Error::os("seccomp_load", "linux.seccomp", -rc,
                     "without noNewPrivileges, loading a filter needs CAP_SYS_ADMIN: load it before dropping capabilities");
  }
  // STUB:
  // (void)ctx_;  // not written yet: the filter is compiled but never loaded
  // END SOLUTION
  return {};
}

}  // namespace deploylab::ctr
