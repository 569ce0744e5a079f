// tests/containers/attack/security_differential_test.cpp: the same confined bundle (default
// capabilities and seccomp profile, attack/security_support.h) under crun and under minictr must
// report the same privileges and the same errno for each blocked call. crun runs as in
// tests/containers/differential_test.cpp (the lead's): in a private mount namespace without the
// hybrid cgroup2 mount, which crun 1.8 refuses.
#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/containers/attack/security_support.h"

namespace deploylab::ctr::testing {
namespace {

Completed under_crun(const TestBundle& b) {
  std::string crun = "crun --root " + (b.dir() / "crun-state").string() + " run --bundle " + b.dir().string() + " " + b.id();
  b.write_config();
  RunOptions options;
  options.timeout = std::chrono::seconds(60);
  return run({"unshare", "-m", "--propagation", "private", "sh", "-c",
              "(umount /sys/fs/cgroup/unified 2>/dev/null || true) && exec " + crun},
             options).value();
}

struct Case {
  std::string name;
  std::vector<std::string> args;
  nlohmann::json extra_rule;  // appended to linux.seccomp.syscalls when not null
};

void PrintTo(const Case& c, std::ostream* out) { *out << c.name; }

class SecurityDifferential : public ::testing::TestWithParam<Case> {};

TEST_P(SecurityDifferential, SameErrnoAndPrivilegesAsCrun) {
  if (run({"crun", "--version"}).value_or(Completed{}).status.code != 0) GTEST_SKIP() << "crun is not installed";
  if (running_in_a_chroot()) GTEST_SKIP() << "crun cannot pivot_root from inside a chroot";
  TestBundle b = confined_bundle("diff-" + GetParam().name);
  if (!GetParam().extra_rule.is_null()) b.config()["linux"]["seccomp"]["syscalls"].push_back(GetParam().extra_rule);
  b.set_args(GetParam().args);
  Completed crun = under_crun(b);
  Completed ours = b.run();
  EXPECT_EQ(ours.status.code, crun.status.code) << "crun:\n" << transcript(crun) << "minictr:\n" << transcript(ours);
  EXPECT_EQ(ours.out, crun.out) << "crun:\n" << transcript(crun) << "minictr:\n" << transcript(ours);
}

// kill(pid, 0) (a liveness probe) fails with errnoRet 38 (ENOSYS); other signals are untouched.
const nlohmann::json kProbeEnosys = {{"names", {"kill"}}, {"action", "SCMP_ACT_ERRNO"}, {"errnoRet", 38},
                                       {"args", {{{"index", 1}, {"value", 0}, {"op", "SCMP_CMP_EQ"}}}}};

INSTANTIATE_TEST_SUITE_P(
    Calls, SecurityDifferential,
    ::testing::Values(Case{"status", {"grep", "-E", "^(Cap|NoNewPrivs|Seccomp:)", "/proc/self/status"}, nullptr},
                      Case{"keyctl", {"/attack", "keyctl"}, nullptr},
                      Case{"unshare", {"/attack", "unshare-user"}, nullptr},
                      Case{"mount", {"/attack", "mount"}, nullptr},
                      Case{"errnoret", {"/attack", "kill", "1"}, kProbeEnosys}),
    [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });

}  // namespace
}  // namespace deploylab::ctr::testing
