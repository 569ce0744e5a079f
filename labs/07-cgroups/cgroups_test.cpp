// labs/07-cgroups/cgroups_test.cpp: lab 07's graded tests of minictr with limits, on real busybox
// bundles (tests/containers/test_bundle.h), as root, under whichever cgroup layout this machine
// has: a memory hog is OOM-killed and reported, a fork bomb stops at pids.max, a CPU quota holds
// a busy loop, `minictr stats --json` reports use and limits, and the limits are in the cgroup
// files until delete removes them. The pure tests of tasks 1-5 are beside the code, in
// containers/cgroups/{resource_writes,stat_parsers,stats}_test.cpp.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <thread>

#include "common/file_io.h"
#include "labs/07-cgroups/lab07_support.h"

namespace deploylab::ctr::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class Cgroups : public CgroupsLabTest {};

// 16 MiB of memory and no swap to escape to (OCI's swap is memory+swap).
void limit_memory_to_16_mib(TestBundle& bundle) {
  set_resources(bundle, "memory", {{"limit", 16 * MiB}, {"swap", 16 * MiB}});
}

// busybox dd reads one 64 MiB block from /dev/zero: a 64 MiB buffer, every page of it touched.
const std::vector<std::string> kMemoryHog = {"dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"};

TEST_F(Cgroups, AMemoryHogIsOomKilledAndReported) {
  TestBundle b = lab07_bundle("oom");
  limit_memory_to_16_mib(b);
  b.set_args(kMemoryHog);
  Completed done = b.run();
  ASSERT_EQ(done.status.code, 137)
      << "expected the OOM killer to end the 64 MiB hog under a 16 MiB limit: exit 137 (128 + SIGKILL). "
      << "Exit 0 means no limit held: task 1 (plan_v1_memory / plan_v2_memory in "
      << "containers/cgroups/resource_writes.cpp)\n" << transcript(done);
  EXPECT_NE(done.err.find("OOMKilled"), std::string::npos)
      << "expected minictr run to say on stderr that the container was OOMKilled; it asks the cgroup's "
      << "statistics after the container ends: task 5 (read_oom_kills in containers/cgroups/stats.cpp) "
      << "and task 3 (parse_flat_keyed in stat_parsers.cpp)\n" << transcript(done);
  EXPECT_FALSE(cgroup_left_behind(b.id())) << "minictr run removes the container's cgroup when it ends";
}

TEST_F(Cgroups, AnOomKillStaysInTheStateAndDeleteRemovesTheCgroup) {
  TestBundle b = lab07_bundle("oomkeep");
  limit_memory_to_16_mib(b);
  b.set_args(kMemoryHog);
  b.write_config();
  Completed done = b.minictr({"run", "--keep", "--bundle", b.dir().string(), b.id()});
  ASSERT_EQ(done.status.code, 137) << "expected the hog to be OOM-killed (task 1)\n" << transcript(done);
  auto record = nlohmann::json::parse(read_file(b.state_root() / b.id() / "state.json").value_or(""), nullptr, false);
  ASSERT_TRUE(record.is_object()) << "expected minictr run --keep to leave the state record "
                                  << (b.state_root() / b.id() / "state.json");
  EXPECT_EQ(record["status"], "stopped") << record.dump(2);
  EXPECT_EQ(record["oom_killed"], true)
      << "expected the kept state to record the OOM kill (Kubernetes shows it as OOMKilled); it comes from "
      << "the cgroup's oom_kill count: task 5 (read_oom_kills in containers/cgroups/stats.cpp)\n" << record.dump(2);
  EXPECT_EQ(record["exit_code"], 137) << record.dump(2);
  EXPECT_TRUE(fs::exists(cgroup_dir("memory", b.id())))
      << "a kept container keeps its cgroup until delete: " << cgroup_dir("memory", b.id());
  Completed deleted = b.minictr({"delete", b.id()});
  EXPECT_EQ(deleted.status.code, 0) << transcript(deleted);
  EXPECT_FALSE(cgroup_left_behind(b.id())) << "expected delete to remove " << cgroup_dir("memory", b.id());
}

TEST_F(Cgroups, AForkBombStopsAtPidsMax) {
  TestBundle b = lab07_bundle("bomb");
  set_resources(b, "pids", {{"limit", 16}});
  // The shell starts sleepers and writes how many it has after each one. At pids.max a fork
  // fails (EAGAIN) and busybox sh gives up ("can't fork"); without a limit it starts all 200.
  b.set_args({"sh", "-c", "n=0; while [ $n -lt 200 ]; do sleep 30 & n=$((n + 1)); echo $n > /forks; done"});
  Completed done = b.run();
  std::string forks = read_file(b.rootfs() / "forks").value_or("0\n");
  int started = std::stoi(forks);
  EXPECT_LE(started, 15) << "expected pids.max 16 to stop the shell after 15 sleepers (the shell is the 16th "
                         << "process); saw " << started << " started. The limit: task 2 (plan_pids in "
                         << "containers/cgroups/resource_writes.cpp)\n" << transcript(done);
  EXPECT_GE(started, 8) << "expected the shell to start sleepers until the limit; saw " << started << "\n"
                        << transcript(done);
  EXPECT_NE(done.status.code, 0) << "expected the shell to fail at the refused fork\n" << transcript(done);
  EXPECT_NE(done.err.find("fork"), std::string::npos) << "expected sh's \"can't fork\"\n" << transcript(done);
  EXPECT_FALSE(cgroup_left_behind(b.id()));
}

TEST_F(Cgroups, ACpuQuotaHoldsABusyLoopNearItsShare) {
  TestBundle b = lab07_bundle("cpu");
  set_resources(b, "cpu", {{"quota", 20000}, {"period", 100000}});  // 20 ms per 100 ms: 1/5 of a CPU
  b.set_args({"sh", "-c", "while :; do :; done"});
  ASSERT_TRUE(create_and_start(b)) << "task 2: plan_v1_cpu / plan_v2_cpu in containers/cgroups/resource_writes.cpp";
  std::this_thread::sleep_for(300ms);  // let the loop settle into the quota's rhythm
  nlohmann::json before = stats_of(b);
  auto start = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(1500ms);
  nlohmann::json after = stats_of(b);
  auto elapsed_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(before.is_object() && after.is_object());
  double used = static_cast<double>(after["cpu_usage_ns"].get<std::uint64_t>() - before["cpu_usage_ns"].get<std::uint64_t>());
  double share = used / static_cast<double>(elapsed_ns);
  EXPECT_LT(share, 0.5) << "expected a quota of 20000/100000 us to hold a busy loop near 0.2 CPU (well under "
                        << "0.5 on a noisy machine); saw " << share << " CPU. The quota: task 2 (plan_v1_cpu / "
                        << "plan_v2_cpu); the usage: task 4 (read_v1_cpu / read_v2_cpu in stats.cpp)";
  EXPECT_GT(share, 0.02) << "expected the busy loop to use some CPU; saw " << share << " CPU from cpu_usage_ns "
                         << before["cpu_usage_ns"] << " -> " << after["cpu_usage_ns"]
                         << ": task 4 (read_v1_cpu / read_v2_cpu in containers/cgroups/stats.cpp)";
  EXPECT_TRUE(delete_container(b));
  EXPECT_FALSE(cgroup_left_behind(b.id()));
}

TEST_F(Cgroups, StatsJsonReportsTheUseAndTheLimits) {
  TestBundle b = lab07_bundle("stats");
  set_resources(b, "memory", {{"limit", 32 * MiB}, {"swap", 32 * MiB}});
  set_resources(b, "pids", {{"limit", 20}});
  b.set_args({"sleep", "60"});
  ASSERT_TRUE(create_and_start(b)) << "tasks 1 and 2 (containers/cgroups/resource_writes.cpp)";
  nlohmann::json s = stats_of(b);
  ASSERT_TRUE(s.is_object());
  const std::string where = "\n(minictr stats --json: " + s.dump() + ")";
  EXPECT_EQ(s["cgroup_version"], v2() ? "v2" : "v1") << where;
  EXPECT_GT(s["memory_usage_bytes"].get<std::uint64_t>(), 0u) << "a running sleep uses some memory" << where;
  EXPECT_EQ(s["memory_limit_bytes"], 32 * MiB) << "expected config.json's 32 MiB limit" << where;
  if (!s["memory_peak_bytes"].is_null()) {
    EXPECT_GE(s["memory_peak_bytes"].get<std::uint64_t>(), s["memory_usage_bytes"].get<std::uint64_t>())
        << "the peak is never below the use" << where;
  }
  EXPECT_GT(s["cpu_usage_ns"].get<std::uint64_t>(), 0u)
      << "starting sleep took some CPU time: task 4 (read_v1_cpu / read_v2_cpu in stats.cpp)" << where;
  EXPECT_GE(s["pids_current"].get<std::uint64_t>(), 1u) << "the container's sleep" << where;
  EXPECT_EQ(s["pids_limit"], 20) << "expected config.json's pids limit 20 (task 2: plan_pids)" << where;
  EXPECT_EQ(s["oom_kills"], 0) << "expected 0 OOM kills (this kernel counts them): task 5 (read_oom_kills in "
                               << "stats.cpp; not memory.failcnt)" << where;
  EXPECT_TRUE(delete_container(b));
}

TEST_F(Cgroups, TheLimitsAreInTheCgroupFilesUntilDelete) {
  TestBundle b = lab07_bundle("files");
  set_resources(b, "memory", {{"limit", 24 * MiB}, {"reservation", 8 * MiB}});
  set_resources(b, "cpu", {{"shares", 512}, {"quota", 30000}, {"period", 100000}});
  set_resources(b, "pids", {{"limit", 25}});
  b.set_args({"sleep", "60"});
  ASSERT_TRUE(create_and_start(b)) << "tasks 1 and 2 (containers/cgroups/resource_writes.cpp)";
  const std::string& id = b.id();
  const std::string task1 = " (task 1: plan_v1_memory / plan_v2_memory)", task2 = " (task 2: plan_v1_cpu / plan_v2_cpu / plan_pids)";
  if (v2()) {
    EXPECT_EQ(cgroup_value("memory", id, "memory.max"), "25165824") << "24 MiB in bytes" << task1;
    EXPECT_EQ(cgroup_value("memory", id, "memory.low"), "8388608") << "the reservation, 8 MiB" << task1;
    EXPECT_EQ(cgroup_value("cpu", id, "cpu.weight"), "20") << "shares 512 as runc converts them" << task2;
    EXPECT_EQ(cgroup_value("cpu", id, "cpu.max"), "30000 100000") << "\"QUOTA PERIOD\"" << task2;
  } else {
    EXPECT_EQ(cgroup_value("memory", id, "memory.limit_in_bytes"), "25165824") << "24 MiB in bytes" << task1;
    EXPECT_EQ(cgroup_value("memory", id, "memory.soft_limit_in_bytes"), "8388608") << "the reservation" << task1;
    EXPECT_EQ(cgroup_value("cpu", id, "cpu.shares"), "512") << task2;
    EXPECT_EQ(cgroup_value("cpu", id, "cpu.cfs_period_us"), "100000") << task2;
    EXPECT_EQ(cgroup_value("cpu", id, "cpu.cfs_quota_us"), "30000") << task2;
  }
  EXPECT_EQ(cgroup_value("pids", id, "pids.max"), "25") << task2;
  EXPECT_TRUE(delete_container(b));
  for (const char* controller : {"memory", "cpu", "pids"}) {
    EXPECT_FALSE(fs::exists(cgroup_dir(controller, id))) << "expected delete to remove " << cgroup_dir(controller, id);
  }
}

}  // namespace
}  // namespace deploylab::ctr::testing
