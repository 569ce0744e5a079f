// labs/09-security/security_hidden_test.cpp: lab 09's hidden tests (instructor only; the student
// kit leaves this file out): ambient capabilities reaching a non-root program (the order of task
// 3), a filter loaded without noNewPrivileges (task 5's load point), the bounding set dropped in
// a forked child (task 2), and more "unless asked" rules (task 6).
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "containers/security/capability_apply.h"
#include "containers/security/default_profile.h"
#include "tests/containers/attack/security_support.h"

namespace deploylab::ctr::testing {
namespace {

bool profile_blocks(const std::vector<std::string>& caps, const std::string& name) {
  const auto profile = default_seccomp_profile(caps);  // named: a range-for over a temporary's member dangles
  for (const auto& rule : profile["syscalls"]) {
    for (const auto& n : rule["names"]) {
      if (n == name) return true;
    }
  }
  return false;
}

TEST(SecurityHiddenPure, MoreCapabilitiesKeepTheirCalls) {
  EXPECT_TRUE(profile_blocks(default_capabilities(), "ptrace"));
  EXPECT_FALSE(profile_blocks({"CAP_SYS_PTRACE"}, "ptrace")) << "task 6: CAP_SYS_PTRACE asks for ptrace";
  EXPECT_FALSE(profile_blocks({"CAP_SYS_TIME"}, "clock_settime")) << "task 6: CAP_SYS_TIME asks for clock_settime";
  EXPECT_FALSE(profile_blocks({"CAP_BPF"}, "bpf")) << "task 6: CAP_BPF alone is enough for bpf";
  EXPECT_TRUE(profile_blocks({"CAP_BPF"}, "mount")) << "CAP_BPF does not ask for mount";
}

// CapBnd of the calling process, from /proc/self/status.
std::string own_bounding_set() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("CapBnd:")) return line.substr(line.find('\t') + 1);
  }
  return "(none)";
}

TEST(SecurityHiddenPure, TheBoundingSetKeepsOnlyItsCapabilities) {
  ASSERT_EQ(::geteuid(), 0u) << "dropping from the bounding set needs root";
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  pid_t child = ::fork();
  if (child == 0) {
    CapabilityPlan plan;
    plan.bounding = (CapabilityMask{1} << 5) | (CapabilityMask{1} << 10);
    std::string seen = drop_bounding_set(plan, running_kernel_last_cap()).ok() ? own_bounding_set() : "(drop failed)";
    (void)::write(pipe_fds[1], seen.data(), seen.size());
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  char buffer[64] = {};
  (void)::read(pipe_fds[0], buffer, sizeof buffer - 1);
  ::close(pipe_fds[0]);
  ::waitpid(child, nullptr, 0);
  EXPECT_EQ(std::string(buffer), "0000000000000420") << "task 2: only CAP_KILL and CAP_NET_BIND_SERVICE stay";
}

TEST(SecurityHidden, AmbientCapabilitiesReachANonRootProgram) {
  TestBundle b = confined_bundle("ambient");
  const std::vector<std::string> caps = {"CAP_NET_BIND_SERVICE"};
  for (const char* set : {"bounding", "effective", "permitted", "inheritable", "ambient"}) b.config()["process"]["capabilities"][set] = caps;
  b.config()["process"]["user"] = {{"uid", 1000}, {"gid", 1000}};
  b.set_args({"grep", "-E", "^(CapEff|CapAmb|Uid):", "/proc/self/status"});
  Completed done = b.run();
  ASSERT_EQ(done.status.code, 0) << transcript(done);
  EXPECT_NE(done.out.find("Uid:\t1000"), std::string::npos) << transcript(done);
  EXPECT_NE(done.out.find("CapAmb:\t0000000000000400"), std::string::npos)
      << "task 3: keep the capabilities across setresuid, set the three sets, then raise ambient\n" << transcript(done);
  EXPECT_NE(done.out.find("CapEff:\t0000000000000400"), std::string::npos)
      << "a non-root program keeps an ambient capability across execve\n" << transcript(done);
}

TEST(SecurityHidden, WithoutNoNewPrivsTheFilterGoesInBeforeTheCapabilitiesGo) {
  TestBundle b = confined_bundle("nonnp");
  b.config()["process"]["noNewPrivileges"] = false;
  b.set_args({"sh", "-c", "grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status; /attack keyctl"});
  Completed done = b.run();
  EXPECT_NE(done.out.find("NoNewPrivs:\t0"), std::string::npos) << transcript(done);
  EXPECT_NE(done.out.find("Seccomp:\t2"), std::string::npos)
      << "task 5: without no_new_privs the filter must be loaded while CAP_SYS_ADMIN is still there\n" << transcript(done);
  EXPECT_EQ(done.status.code, kAttackBlocked) << transcript(done);
}

}  // namespace
}  // namespace deploylab::ctr::testing
