// containers/security/default_profile_test.cpp: the default profile parses, blocks Docker's list,
// keeps a call allowed when its capability is granted (lab 9, task 6: rule_applies), and under
// it a busybox-like program still forks while namespaces and keys are refused.
#include "containers/security/default_profile.h"

#include <gtest/gtest.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <algorithm>

#include "containers/security/seccomp_test_support.h"

namespace deploylab::ctr {
namespace {

using testing::errno_under_filter;

const std::vector<std::string> kDefaultCaps = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};

// Every name the profile blocks.
std::vector<std::string> blocked(const nlohmann::ordered_json& profile) {
  std::vector<std::string> names;
  for (const auto& rule : profile["syscalls"]) {
    for (const auto& name : rule["names"]) names.push_back(name.get<std::string>());
  }
  return names;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

SeccompProfile parsed(const nlohmann::ordered_json& profile) {
  auto result = parse_seccomp_profile(nlohmann::json::parse(profile.dump()));
  EXPECT_TRUE(result.ok()) << result.error().message();
  return result.ok() ? result.value() : SeccompProfile{};
}

TEST(DefaultProfile, IsADenyListOfDockersBlockedCalls) {
  auto profile = default_seccomp_profile(kDefaultCaps);
  EXPECT_EQ(profile["defaultAction"], "SCMP_ACT_ALLOW");
  auto names = blocked(profile);
  for (const char* name : {"keyctl", "add_key", "request_key", "mount", "umount2", "pivot_root", "reboot", "kexec_load",
                           "init_module", "finit_module", "delete_module", "bpf", "perf_event_open", "unshare", "setns",
                           "clone", "clone3", "swapon", "acct", "settimeofday", "clock_settime", "userfaultfd",
                           "open_by_handle_at", "iopl", "ptrace", "personality"}) {
    EXPECT_TRUE(contains(names, name)) << "the default profile must block " << name;
  }
  EXPECT_EQ(parsed(profile).syscalls.size(), profile["syscalls"].size()) << "minictr must accept its own profile";
}

TEST(DefaultProfile, AGrantedCapabilityKeepsItsCallsAllowed) {
  auto names = blocked(default_seccomp_profile({"CAP_SYS_ADMIN", "CAP_SYS_MODULE"}));
  EXPECT_FALSE(contains(names, "mount")) << "CAP_SYS_ADMIN asks for mount (task 6: rule_applies in default_profile.cpp)";
  EXPECT_FALSE(contains(names, "unshare")) << "CAP_SYS_ADMIN asks for unshare";
  EXPECT_FALSE(contains(names, "init_module")) << "CAP_SYS_MODULE asks for init_module";
  EXPECT_TRUE(contains(names, "keyctl")) << "no capability asks for the keyring";
  EXPECT_TRUE(contains(names, "reboot")) << "CAP_SYS_BOOT was not granted";
}

TEST(DefaultProfile, RuleAppliesUnlessOneOfItsCapabilitiesIsGranted) {
  DefaultRule bpf{{"bpf"}, {21, 39}, EPERM, {}, ""};
  EXPECT_TRUE(rule_applies(bpf, 0));
  EXPECT_FALSE(rule_applies(bpf, CapabilityMask{1} << 39)) << "CAP_BPF alone is enough";
  EXPECT_TRUE(rule_applies(bpf, CapabilityMask{1} << 5)) << "CAP_KILL has nothing to do with bpf";
  DefaultRule keys{{"keyctl"}, {}, EPERM, {}, ""};
  EXPECT_TRUE(rule_applies(keys, ~CapabilityMask{0})) << "a rule with no capability always applies";
}

long fork_and_reap() {
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  return child < 0 ? -1 : ::waitpid(child, nullptr, 0);
}

TEST(DefaultProfile, BlocksNamespacesAndKeysButNotFork) {
  SeccompProfile profile = parsed(default_seccomp_profile(kDefaultCaps));
  EXPECT_EQ(errno_under_filter(profile, fork_and_reap), 0) << "fork (clone without namespace flags) must work";
  EXPECT_EQ(errno_under_filter(profile, [] { return static_cast<long>(::unshare(CLONE_NEWUSER)); }), EPERM);
  EXPECT_EQ(errno_under_filter(profile, [] { return ::syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0); }), EPERM)
      << "clone with a namespace flag";
  EXPECT_EQ(errno_under_filter(profile, [] {
              return ::syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0);
            }), EPERM);
  EXPECT_EQ(errno_under_filter(profile, [] { return ::syscall(SYS_clone3, nullptr, 0); }), ENOSYS)
      << "clone3 says ENOSYS, so libc falls back to clone, which the filter can inspect";
}

}  // namespace
}  // namespace deploylab::ctr
