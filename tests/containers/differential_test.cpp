// tests/containers/differential_test.cpp: the same bundle under crun (the Debian package) and
// under minictr must print the same and exit the same. crun 1.8 refuses this machine's hybrid
// cgroup layout ("cgroups in hybrid mode not supported"), so it runs in a private mount namespace
// with the cgroup2 mount at /sys/fs/cgroup/unified taken away, which makes the layout plain v1
// for crun alone; minictr handles the hybrid layout itself (and so also mounts the container's
// view of /sys/fs/cgroup/unified, which the mount list comparison leaves out).
#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/containers/test_bundle.h"

namespace deploylab::ctr::testing {
namespace {

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome under_crun(const TestBundle& b) {
  std::string crun = "crun --root " + (b.dir() / "crun-state").string() + " run --bundle " + b.dir().string() + " " + b.id();
  std::string shell = "(umount /sys/fs/cgroup/unified 2>/dev/null || true) && exec " + crun;
  b.write_config();
  RunOptions options;
  options.timeout = std::chrono::seconds(60);
  Completed done = run({"unshare", "-m", "--propagation", "private", "sh", "-c", shell}, options).value();
  return {done.status.code, done.out, done.err};
}

Outcome under_minictr(const TestBundle& b) {
  Completed done = b.run();
  return {done.status.code, done.out, done.err};
}

class Differential : public ::testing::TestWithParam<std::vector<std::string>> {};

TEST_P(Differential, SameOutputAndExitCodeAsCrun) {
  if (run({"crun", "--version"}).value_or(Completed{}).status.code != 0) GTEST_SKIP() << "crun is not installed (make deps)";
  if (running_in_a_chroot()) GTEST_SKIP() << "crun cannot pivot_root from inside a chroot (minictr falls back, crun does not)";
  // CTest runs the programs in parallel: each needs its own id, hence its own cgroup.
  TestBundle b = TestBundle::make("deploylab-test-diff-" + std::to_string(::getpid()));
  b.config()["hostname"] = "diff";
  b.config()["process"]["env"] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "GREETING=hello"};
  b.set_args(GetParam());
  Outcome crun = under_crun(b);
  Outcome ours = under_minictr(b);
  EXPECT_EQ(ours.code, crun.code) << "crun printed:\n" << crun.out << crun.err << "minictr printed:\n" << ours.out << ours.err;
  EXPECT_EQ(ours.out, crun.out);
}

INSTANTIATE_TEST_SUITE_P(Programs, Differential,
                         ::testing::Values(std::vector<std::string>{"sh", "-c", "echo $GREETING; hostname; id -u; pwd"},
                                           std::vector<std::string>{"sh", "-c", "echo $$; exit 3"},
                                           std::vector<std::string>{"sh", "-c", "ls /dev | sort | tr '\\n' ' '"},
                                           std::vector<std::string>{"sh", "-c", "cat /proc/self/cgroup | wc -l; ulimit -n"},
                                           std::vector<std::string>{"sh", "-c", "mount | cut -d' ' -f3 | grep -v unified | sort | tr '\\n' ' '"},
                                           std::vector<std::string>{"sh", "-c", "kill -9 $$"}));

}  // namespace
}  // namespace deploylab::ctr::testing
