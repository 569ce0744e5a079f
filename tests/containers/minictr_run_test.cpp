// tests/containers/minictr_run_test.cpp: `minictr run` on a real busybox bundle, as root: what
// the lecture says a container is (an isolated view of the same kernel) checked from inside.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/file_io.h"
#include "tests/containers/test_bundle.h"

namespace deploylab::ctr::testing {
namespace {

namespace fs = std::filesystem;


TEST(MinictrRun, TheProgramIsPid1AndSeesNoHostProcess) {
  TestBundle b = TestBundle::make("deploylab-test-pid1");
  b.set_args({"sh", "-c", "echo pid=$$; ls /proc | grep -c '^[0-9]'"});
  Completed done = b.run();
  ASSERT_EQ(done.status.code, 0) << transcript(done);
  EXPECT_NE(done.out.find("pid=1\n"), std::string::npos) << "a new pid namespace makes the program pid 1\n" << transcript(done);
  int processes = std::stoi(done.out.substr(done.out.find('\n') + 1));
  EXPECT_LE(processes, 3) << "only the container's own processes are in its /proc\n" << transcript(done);
}

TEST(MinictrRun, HostnameRootAndExitCodeAreTheContainers) {
  TestBundle b = TestBundle::make("deploylab-test-uts");
  write_file_atomic(b.rootfs() / "etc/deploylab-marker", "from the bundle\n").value();
  b.config()["hostname"] = "deploylab-inside";
  b.set_args({"sh", "-c", "hostname; cat /etc/deploylab-marker; exit 7"});
  Completed done = b.run();
  EXPECT_EQ(done.status.code, 7) << "run exits with the program's code\n" << transcript(done);
  EXPECT_NE(done.out.find("deploylab-inside\n"), std::string::npos) << transcript(done);
  EXPECT_NE(done.out.find("from the bundle\n"), std::string::npos) << "the root must be the bundle's rootfs\n" << transcript(done);
}

TEST(MinictrRun, AReadOnlyRootRefusesWrites) {
  TestBundle b = TestBundle::make("deploylab-test-ro");
  b.config()["root"]["readonly"] = true;
  b.set_args({"sh", "-c", "touch /deploylab-written && echo wrote || echo refused"});
  Completed done = b.run();
  EXPECT_EQ(done.status.code, 0) << transcript(done);
  EXPECT_NE(done.out.find("refused"), std::string::npos) << transcript(done);
  EXPECT_FALSE(fs::exists(b.rootfs() / "deploylab-written"));
}

TEST(MinictrRun, AMemoryHogIsOomKilledAndReported) {
  TestBundle b = TestBundle::make("deploylab-test-oom");
  b.config()["linux"]["resources"] = {{"memory", {{"limit", 16 << 20}}}};
  b.set_args({"dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"});
  Completed done = b.run();
  EXPECT_EQ(done.status.code, 128 + 9) << "the OOM killer sends SIGKILL\n" << transcript(done);
  EXPECT_NE(done.err.find("OOMKilled"), std::string::npos) << transcript(done);
  EXPECT_FALSE(cgroup_left_behind(b.id()));
}

TEST(MinictrRun, AForkBombStopsAtPidsMax) {
  TestBundle b = TestBundle::make("deploylab-test-pids");
  b.config()["linux"]["resources"] = {{"pids", {{"limit", 8}}}};
  b.set_args({"sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 3 & done 2>&1; wait; echo done"});
  Completed done = b.run();
  EXPECT_NE((done.out + done.err).find("fork"), std::string::npos) << "some forks must fail at pids.max\n" << transcript(done);
  EXPECT_FALSE(cgroup_left_behind(b.id()));
}

TEST(MinictrRun, EverythingIsGoneAfterRun) {
  TestBundle b = TestBundle::make("deploylab-test-clean");
  b.set_args({"true"});
  Completed done = b.run();
  EXPECT_EQ(done.status.code, 0) << transcript(done);
  EXPECT_FALSE(fs::exists(b.state_root() / b.id())) << "run removes the state when the program ends";
  EXPECT_FALSE(cgroup_left_behind(b.id()));
}

TEST(MinictrRun, ATerminalWorksWithoutOneOnOurSide) {
  TestBundle b = TestBundle::make("deploylab-test-tty");
  b.config()["process"]["terminal"] = true;
  b.set_args({"sh", "-c", "tty; echo on-the-pty"});
  Completed done = b.run();
  EXPECT_EQ(done.status.code, 0) << transcript(done);
  EXPECT_NE(done.out.find("/dev/pts/0"), std::string::npos) << "the program's stdin is a pty of its own devpts\n" << transcript(done);
  EXPECT_NE(done.out.find("on-the-pty"), std::string::npos) << transcript(done);
}

}  // namespace
}  // namespace deploylab::ctr::testing
