// containers/security/seccomp_filter_test.cpp: profiles compiled with libseccomp and loaded in a
// forked child (seccomp_test_support.h), each with its control: the same call without the filter
// (lab 9, tasks 4 and 5: add_rule and SeccompFilter::load in seccomp_filter.cpp).
#include "containers/security/seccomp_filter.h"

#include <gtest/gtest.h>
#include <linux/keyctl.h>
#include <sys/personality.h>
#include <sys/syscall.h>

#include "containers/security/seccomp_test_support.h"

namespace deploylab::ctr {
namespace {

using testing::errno_under_filter;

SeccompProfile profile_of(const char* json) { return parse_seccomp_profile(nlohmann::json::parse(json)).value(); }

long ask_keyring() { return ::syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0); }

TEST(SeccompFilter, ABlockedCallFailsWithTheRulesErrno) {
  auto profile = profile_of(R"({"defaultAction": "SCMP_ACT_ALLOW",
      "syscalls": [{"names": ["keyctl"], "action": "SCMP_ACT_ERRNO", "errnoRet": 95}]})");
  EXPECT_NE(errno_under_filter(std::nullopt, ask_keyring), 95) << "control: keyctl works without the filter";
  EXPECT_EQ(errno_under_filter(profile, ask_keyring), 95)
      << "expected keyctl to fail with errnoRet 95 (EOPNOTSUPP) under the filter; 0 means no rule was added "
      << "(task 4: add_rule) or the filter was never loaded (task 5: SeccompFilter::load); "
      << testing::kFilterFailed << " means loading failed";
  EXPECT_EQ(errno_under_filter(profile, [] { return static_cast<long>(::getppid()); }), 0) << "other calls stay allowed";
}

TEST(SeccompFilter, ConditionsOnDifferentArgumentsMustAllMatch) {
  // kill(pid, 0) is blocked only when pid is our parent AND the signal is 0.
  auto profile = profile_of(R"({"defaultAction": "SCMP_ACT_ALLOW",
      "syscalls": [{"names": ["kill"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13, "args": [
        {"index": 0, "value": 1, "op": "SCMP_CMP_GE"}, {"index": 1, "value": 0, "op": "SCMP_CMP_EQ"}]}]})");
  EXPECT_EQ(errno_under_filter(profile, [] { return static_cast<long>(::kill(::getppid(), 0)); }), EACCES)
      << "both conditions hold: expected the rule's errno (task 4: add_rule)";
  EXPECT_EQ(errno_under_filter(profile, [] { return static_cast<long>(::kill(::getpid(), SIGCONT)); }), 0)
      << "the signal is not 0: one condition fails, so the call is allowed (every condition must match)";
}

TEST(SeccompFilter, ConditionsOnTheSameArgumentAreAlternatives) {
  auto profile = profile_of(R"({"defaultAction": "SCMP_ACT_ALLOW",
      "syscalls": [{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "args": [
        {"index": 0, "value": 262144, "valueTwo": 262144, "op": "SCMP_CMP_MASKED_EQ"},
        {"index": 0, "value": 4194304, "valueTwo": 4194304, "op": "SCMP_CMP_MASKED_EQ"}]}]})");
  EXPECT_EQ(errno_under_filter(profile, [] { return static_cast<long>(::personality(ADDR_NO_RANDOMIZE)); }), EPERM)
      << "the first mask matches: blocked (runc adds one rule per condition on a repeated index)";
  EXPECT_EQ(errno_under_filter(profile, [] { return static_cast<long>(::personality(READ_IMPLIES_EXEC)); }), EPERM)
      << "the second mask matches: blocked";
  EXPECT_EQ(errno_under_filter(profile, [] { return static_cast<long>(::personality(PER_LINUX)); }), 0)
      << "neither matches: allowed";
}

TEST(SeccompFilter, ADefaultErrnoBlocksWhatNoRuleAllows) {
  // Besides the calls under test, the list lets the child's runtime work: a sanitizer build maps
  // memory, blocks signals and writes reports on its own.
  auto profile = profile_of(R"({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
      "syscalls": [{"names": ["exit_group", "exit", "getppid", "mmap", "munmap", "mprotect", "madvise", "brk",
        "rt_sigprocmask", "rt_sigaction", "sigaltstack", "futex", "write", "gettid", "getpid", "prctl",
        "sched_yield", "close"], "action": "SCMP_ACT_ALLOW"}]})");
  EXPECT_EQ(errno_under_filter(profile, [] { return ::syscall(SYS_getppid); }), 0);
  EXPECT_EQ(errno_under_filter(profile, [] { return ::syscall(SYS_getuid); }), ENOSYS)
      << "an allow list: getuid is not on it, so it gets defaultErrnoRet";
}

TEST(SeccompFilter, LibseccompActionsCarryTheErrno) {
  EXPECT_EQ(libseccomp_action(SeccompAction::errno_ret, 1), SCMP_ACT_ERRNO(1));
  EXPECT_EQ(libseccomp_action(SeccompAction::allow, 1), SCMP_ACT_ALLOW);
  EXPECT_EQ(libseccomp_action(SeccompAction::kill_process, 0), SCMP_ACT_KILL_PROCESS);
}

}  // namespace
}  // namespace deploylab::ctr
