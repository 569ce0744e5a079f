// labs/05-namespaces/namespaces_test.cpp: lab 05's graded tests on real containers. Each one runs
// minictr (built from your containers/runtime/) on a busybox bundle and looks from inside: the
// container's program must see its own process tree, hostname, network, users and cgroup root.
// When a test fails, its message names the task to look at; run one test alone with
//   build/bin/lab05_tests --gtest_filter='Namespaces.TheProgramIsPid1'
#include <gtest/gtest.h>
#include <unistd.h>

#include <thread>

#include "common/file_io.h"
#include "labs/05-namespaces/namespaces_support.h"

namespace deploylab::ctr::testing {
namespace {

using namespace std::chrono_literals;

TEST(Namespaces, TheProgramIsPid1) {
  TestBundle b = TestBundle::make("deploylab-test-l5-pid1");
  b.set_args({"sh", "-c", "echo $$"});
  Completed done = b.run();
  ASSERT_EQ(done.status.code, 0) << transcript(done);
  EXPECT_EQ(done.out, "1\n") << "in a new pid namespace the first process is pid 1 (task: clone3 with CLONE_NEWPID, "
                                "clone_process.cpp; and plan_namespaces in init_plan.cpp)\n" << transcript(done);
}

TEST(Namespaces, OnlyTheContainersProcessesAreVisible) {
  TestBundle b = TestBundle::make("deploylab-test-l5-ps");
  b.set_args({"sh", "-c", "ls /proc | grep -c '^[0-9]'"});
  Completed done = b.run();
  ASSERT_EQ(done.status.code, 0) << transcript(done);
  EXPECT_LE(std::stoi(done.out), 3) << "the container's /proc must list only the container's own processes, "
                                       "not the host's hundreds\n" << transcript(done);
}

TEST(Namespaces, TheHostnameIsTheContainersAndTheHostKeepsItsOwn) {
  char before[256] = {};
  ::gethostname(before, sizeof(before));
  TestBundle b = TestBundle::make("deploylab-test-l5-uts");
  b.config()["hostname"] = "lab5-box";
  b.set_args({"hostname"});
  Completed done = b.run();
  ASSERT_EQ(done.status.code, 0) << transcript(done);
  EXPECT_EQ(done.out, "lab5-box\n") << "task: set the hostname in enter_identity (init_process.cpp)\n" << transcript(done);
  char after[256] = {};
  ::gethostname(after, sizeof(after));
  EXPECT_STREQ(before, after) << "the host's hostname changed: the container needs its own uts namespace";
}

TEST(Namespaces, ANewNetworkNamespaceHasOnlyLoopback) {
  TestBundle b = TestBundle::make("deploylab-test-l5-net");
  b.set_args({"ls", "/sys/class/net"});
  Completed done = b.run();
  ASSERT_EQ(done.status.code, 0) << transcript(done);
  EXPECT_EQ(done.out, "lo\n") << "a new network namespace starts with nothing but lo\n" << transcript(done);
}

// The way pods work in Kubernetes: the pod's containers join one network namespace by path.
TEST(Namespaces, JoinsANetworkNamespaceByPath) {
  const std::string netns = "deploylab-test-l5";
  (void)run({"ip", "netns", "del", netns});
  run_checked({"ip", "netns", "add", netns}).value();
  // Both ends made straight into the namespace (`ip -n` would need to remount /run/netns).
  run_checked({"ip", "link", "add", "lab5a", "netns", netns, "type", "veth", "peer", "name", "lab5b", "netns", netns}).value();
  TestBundle b = TestBundle::make("deploylab-test-l5-join");
  for (auto& ns : b.config()["linux"]["namespaces"]) {
    if (ns["type"] == "network") ns["path"] = "/var/run/netns/" + netns;
  }
  b.set_args({"ls", "/sys/class/net"});
  Completed done = b.run();
  (void)run({"ip", "netns", "del", netns});
  ASSERT_EQ(done.status.code, 0) << transcript(done);
  EXPECT_EQ(done.out, "lab5a\nlab5b\nlo\n") << "a namespace with a path is joined with setns(), not created "
                                           "(task: join_namespaces in init_process.cpp)\n" << transcript(done);
}

TEST(Namespaces, AUserNamespaceMakesRootInsideAnOrdinaryUserOutside) {
  if (running_in_a_chroot()) GTEST_SKIP() << "the kernel makes no user namespace for a process in a chroot (clone(2), EPERM)";
  TestBundle b = user_namespace_bundle("deploylab-test-l5-user", 100000);
  b.set_args({"sh", "-c", "id -u; cat /proc/self/uid_map; sleep 30"});
  b.write_config();
  Completed created = b.minictr_detached({"create", "--bundle", b.dir().string(), b.id()});
  ASSERT_EQ(created.status.code, 0) << "tasks: write the maps (launcher.cpp), id_map_text (init_plan.cpp)\n" << transcript(created);
  auto state = nlohmann::json::parse(b.minictr({"state", b.id()}).out, nullptr, false);
  ASSERT_TRUE(state.is_object());
  std::string status = read_file("/proc/" + std::to_string(state["pid"].get<int>()) + "/status").value_or("");
  ASSERT_EQ(b.minictr({"start", b.id()}).status.code, 0);
  std::string inside;
  for (int i = 0; i < 50 && inside.find("100000") == std::string::npos; ++i) {
    std::this_thread::sleep_for(100ms);
    inside = read_file(b.dir() / "create.out").value_or("");
  }
  EXPECT_NE(status.find("Uid:\t100000\t100000"), std::string::npos) << "outside, the container's root is host uid 100000:\n" << status;
  EXPECT_EQ(inside.substr(0, inside.find('\n')), "0") << "inside, it is root:\n" << inside;
  EXPECT_NE(inside.find("0     100000      65536"), std::string::npos) << "the uid_map the parent wrote:\n" << inside;
}

TEST(Namespaces, TheCgroupNamespaceHidesTheHostsCgroupPath) {
  TestBundle b = TestBundle::make("deploylab-test-l5-cgns");
  b.set_args({"sh", "-c", "grep -c -v ':/$' /proc/self/cgroup; true"});
  Completed done = b.run();
  ASSERT_EQ(done.status.code, 0) << transcript(done);
  EXPECT_EQ(done.out, "0\n") << "with a cgroup namespace made after joining its cgroup, the container sees its cgroup as / "
                                "(task: enter_identity, init_process.cpp)\n" << transcript(done);
}

TEST(Namespaces, ExecJoinsTheRunningContainer) {
  TestBundle b = TestBundle::make("deploylab-test-l5-exec");
  b.config()["hostname"] = "lab5-exec";
  b.set_args({"sleep", "30"});
  b.write_config();
  ASSERT_EQ(b.minictr_detached({"create", "--bundle", b.dir().string(), b.id()}).status.code, 0);
  ASSERT_EQ(b.minictr({"start", b.id()}).status.code, 0);
  Completed done = b.minictr({"exec", b.id(), "--", "sh", "-c", "hostname; ls /proc | grep -c '^[0-9]'"});
  EXPECT_EQ(done.status.code, 0) << transcript(done);
  EXPECT_EQ(done.out.substr(0, done.out.find('\n')), "lab5-exec") << transcript(done);
  EXPECT_LE(std::stoi(done.out.substr(done.out.find('\n') + 1)), 4) << "exec must join the pid namespace too\n" << transcript(done);
}

}  // namespace
}  // namespace deploylab::ctr::testing
