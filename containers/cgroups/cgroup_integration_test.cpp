// containers/cgroups/cgroup_integration_test.cpp: Cgroup (cgroup.h) on this machine's real
// cgroups, whichever layout discover_layout() finds: v1 natively here (hybrid), v2 inside the
// vmhost test host (CMake test cgroups_v2_tests). Needs root; each test forks a child into a
// cgroup named deploylab-test-<pid>-..., and the fixture fails a test that leaves one behind.
#include "containers/cgroups/cgroup.h"

#include <sys/wait.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "containers/cgroups/cgroup_integration_support.h"

namespace deploylab::ctr {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::CgroupTest;
using testing::ForkedChild;

constexpr std::int64_t MiB = 1024 * 1024;

// Allocates `bytes` and touches every page, so the kernel must charge them to the cgroup. The
// volatile global keeps the compiler from dropping an allocation nobody reads.
char* volatile g_touched;
bool touch_memory(std::size_t bytes) {
  auto* memory = static_cast<char*>(std::malloc(bytes));
  if (memory == nullptr) return false;
  std::memset(memory, 0x5a, bytes);
  g_touched = memory;
  return true;
}

// Touches memory 1 MiB at a time, far past any limit the tests set.
int memory_hog() {
  for (int i = 0; i < 1024; ++i) {
    if (!touch_memory(MiB)) return 2;
  }
  return 0;  // not OOM-killed: the limit did not hold
}

// Every process forks forever; a refused fork (EAGAIN at pids.max) is retried.
int fork_bomb() {
  for (;;) {
    if (::fork() < 0) ::usleep(1000);
  }
}

int busy_loop() {
  volatile unsigned long spins = 0;
  for (;;) spins = spins + 1;
}

std::string file_text(const Cgroup& cgroup, const std::string& controller, const std::string& file) {
  auto dir = cgroup.directory_of(controller);
  if (!dir) return "(no " + controller + " directory)";
  std::string text = read_cgroup_file(*dir, file).value();
  return text.substr(0, text.find('\n'));
}

TEST_F(CgroupTest, AMemoryHogIsOomKilledAndCounted) {
  if (!has("memory")) GTEST_SKIP() << "no memory controller";
  Resources limits;
  limits.memory.limit = 32 * MiB;
  limits.memory.swap = 32 * MiB;  // memory+swap = memory: no swap to escape to
  Cgroup cgroup = Cgroup::create(layout_, name("oom"), limits).value();
  ForkedChild hog(memory_hog);
  cgroup.add_process(hog.pid()).value();
  hog.start();
  auto status = hog.wait_for(60s);
  ASSERT_TRUE(status) << "the memory hog still runs after 60 s";
  EXPECT_EQ(status->signal, SIGKILL) << "expected the OOM killer's SIGKILL, saw the hog " << status->describe();
  CgroupStats stats = cgroup.stats().value();
  if (!stats.oom_kills) GTEST_SKIP() << "this kernel does not count OOM kills";
  EXPECT_EQ(stats.oom_kills, 1u) << stats_json(stats);
  EXPECT_EQ(stats.memory_limit_bytes, static_cast<std::uint64_t>(32 * MiB)) << stats_json(stats);
}

TEST_F(CgroupTest, AForkBombStopsAtPidsMaxAndKillAllEndsIt) {
  if (!has("pids")) GTEST_SKIP() << "no pids controller";
  Resources limits;
  limits.pids.limit = 20;
  Cgroup cgroup = Cgroup::create(layout_, name("bomb"), limits).value();
  ForkedChild bomb(fork_bomb);
  cgroup.add_process(bomb.pid()).value();
  bomb.start();
  std::size_t most_listed = 0;
  std::uint64_t most_counted = 0;
  for (auto deadline = std::chrono::steady_clock::now() + 1500ms; std::chrono::steady_clock::now() < deadline;) {
    most_listed = std::max(most_listed, cgroup.processes().value().size());
    most_counted = std::max(most_counted, cgroup.stats().value().pids_current);
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_LE(most_listed, 20u) << "cgroup.procs listed more processes than pids.max allows";
  EXPECT_EQ(most_counted, 20u) << "pids.current should reach pids.max 20 and stay there";
  cgroup.kill_all(SIGKILL).value();
  EXPECT_TRUE(cgroup.processes().value().empty()) << "kill_all(SIGKILL) returned with processes left";
  auto status = bomb.wait_for(5s);
  ASSERT_TRUE(status) << "the bomb's first process survived kill_all";
  EXPECT_EQ(status->signal, SIGKILL) << status->describe();
}

TEST_F(CgroupTest, ACpuQuotaOfOneFifthCapsABusyLoop) {
  if (!has("cpu")) GTEST_SKIP() << "no cpu controller";
  Resources limits;
  limits.cpu.quota = 20000;
  limits.cpu.period = 100000;
  Cgroup cgroup = Cgroup::create(layout_, name("cpu"), limits).value();
  ForkedChild spinner(busy_loop);
  cgroup.add_process(spinner.pid()).value();
  spinner.start();
  std::this_thread::sleep_for(200ms);  // let it settle into the quota's rhythm
  auto before = cgroup.stats().value().cpu_usage_ns;
  auto start = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(1500ms);
  auto used = cgroup.stats().value().cpu_usage_ns - before;
  auto elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start);
  double share = static_cast<double>(used) / static_cast<double>(elapsed.count());
  std::cout << "[ measured ] a busy loop under quota 20000/100000 used " << share * 100 << "% of one CPU\n";
  // The machine is shared: assert a generous band around 20%, not the value.
  EXPECT_GT(share, 0.01) << "the busy loop hardly ran: is it in the cgroup?";
  EXPECT_LT(share, 0.50) << "the quota did not hold: expected about 20% of one CPU";
}

TEST_F(CgroupTest, LimitsReadBackAsWrittenAndUpdateInEitherDirection) {
  if (!has("memory") || !has("cpu") || !has("pids")) GTEST_SKIP() << "needs memory, cpu and pids";
  bool v1 = layout_.version() == CgroupVersion::v1;
  Resources limits;
  limits.memory = {64 * MiB, 32 * MiB, 64 * MiB};
  limits.cpu = {512, 50000, 100000};
  limits.pids.limit = 100;
  Cgroup cgroup = Cgroup::create(layout_, name("roundtrip"), limits).value();
  EXPECT_EQ(file_text(cgroup, "memory", v1 ? "memory.limit_in_bytes" : "memory.max"), "67108864");
  EXPECT_EQ(file_text(cgroup, "memory", v1 ? "memory.soft_limit_in_bytes" : "memory.low"), "33554432");
  EXPECT_EQ(file_text(cgroup, "cpu", v1 ? "cpu.shares" : "cpu.weight"), v1 ? "512" : "20")
      << "v2 weight = 1 + (512 - 2) * 9999 / 262142 = 20";
  EXPECT_EQ(file_text(cgroup, "cpu", v1 ? "cpu.cfs_quota_us" : "cpu.max"), v1 ? "50000" : "50000 100000");
  EXPECT_EQ(file_text(cgroup, "pids", "pids.max"), "100");

  // Raising memory and swap together: under v1 only memsw-first is accepted by the kernel.
  limits.memory = {128 * MiB, std::nullopt, 256 * MiB};
  limits.cpu = {2048, -1, std::nullopt};
  cgroup.update(limits).value();
  EXPECT_EQ(file_text(cgroup, "memory", v1 ? "memory.limit_in_bytes" : "memory.max"), "134217728");
  EXPECT_EQ(file_text(cgroup, "cpu", v1 ? "cpu.cfs_quota_us" : "cpu.max"), v1 ? "-1" : "max 100000");
  // And lowering them again: now only limit-first is accepted.
  limits.memory = {32 * MiB, std::nullopt, 32 * MiB};
  cgroup.update(limits).value();
  EXPECT_EQ(file_text(cgroup, "memory", v1 ? "memory.limit_in_bytes" : "memory.max"), "33554432");
  CgroupStats stats = cgroup.stats().value();
  EXPECT_EQ(stats.memory_limit_bytes, static_cast<std::uint64_t>(32 * MiB));
  EXPECT_EQ(stats.pids_limit, 100u);
}

// Lowering memory.max below what the cgroup uses is where v1 and v2 part ways: v1 tries to
// reclaim and, failing that (no swap), refuses the write with EBUSY; v2 accepts the write and
// OOM-kills to enforce it.
TEST_F(CgroupTest, LoweringTheLimitBelowUseIsRefusedByV1AndEnforcedByV2) {
  if (!has("memory")) GTEST_SKIP() << "no memory controller";
  Resources limits;
  limits.memory = {64 * MiB, std::nullopt, 64 * MiB};
  Cgroup cgroup = Cgroup::create(layout_, name("shrink"), limits).value();
  ForkedChild holder([] { return touch_memory(16 * MiB) ? ::pause() : 2; });
  cgroup.add_process(holder.pid()).value();
  holder.start();
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (cgroup.stats().value().memory_usage_bytes < 16 * MiB && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  limits.memory = {4 * MiB, std::nullopt, 4 * MiB};
  auto lowered = cgroup.update(limits);
  if (layout_.version() == CgroupVersion::v1) {
    ASSERT_FALSE(lowered.ok()) << "v1 should refuse a limit below the memory in use";
    std::string message = lowered.error().message();
    std::cout << "[ refused  ] " << message << "\n";
    EXPECT_NE(message.find("writing \"4194304\" to"), std::string::npos) << message;
    EXPECT_NE(message.find("memory.limit_in_bytes`: Device or resource busy [EBUSY]"), std::string::npos) << message;
    EXPECT_NE(message.find("hint: the cgroup already uses more memory"), std::string::npos) << message;
    return;
  }
  ASSERT_TRUE(lowered.ok()) << lowered.error().message();
  auto status = holder.wait_for(10s);
  ASSERT_TRUE(status) << "v2 should have OOM-killed the process holding 16 MiB under a 4 MiB limit";
  EXPECT_EQ(status->signal, SIGKILL) << status->describe();
}

TEST_F(CgroupTest, OpenFindsTheSameDirectoriesAndBorrowingLeavesThem) {
  Cgroup cgroup = Cgroup::create(layout_, name("open"), {}).value();
  {
    Cgroup borrowed = Cgroup::open(layout_, "/" + name("open")).value();
    EXPECT_EQ(borrowed.directories(), cgroup.directories()) << "a leading / names the same cgroup";
  }
  for (const fs::path& dir : cgroup.directories()) {
    EXPECT_TRUE(fs::is_directory(dir)) << "a borrowed Cgroup removed " << dir;
  }
  EXPECT_FALSE(Cgroup::open(layout_, name("absent")).ok());
}

TEST_F(CgroupTest, DestroyWaitsForProcessesThenRemovesEveryDirectory) {
  Cgroup cgroup = Cgroup::create(layout_, name("parent") + "/child", {}).value();
  std::vector<fs::path> dirs = cgroup.directories();
  ASSERT_FALSE(dirs.empty());
  ForkedChild sleeper([] { return ::pause(); });
  cgroup.add_process(sleeper.pid()).value();
  sleeper.start();
  auto busy = cgroup.destroy();
  ASSERT_FALSE(busy.ok()) << "rmdir must fail while a process is inside";
  EXPECT_NE(busy.error().message().find("EBUSY"), std::string::npos) << busy.error().message();
  cgroup.kill_all(SIGKILL).value();
  cgroup.destroy().value();
  for (const fs::path& dir : dirs) {
    EXPECT_FALSE(fs::exists(dir)) << dir << " is still there after destroy()";
    EXPECT_FALSE(fs::exists(dir.parent_path())) << "the parent create() made is still there: " << dir.parent_path();
  }
}

TEST_F(CgroupTest, AWriteTheKernelRefusesFailsCreateAndLeavesNothing) {
  if (!has("pids")) GTEST_SKIP() << "no pids controller";
  Resources limits;
  limits.memory.limit = 32 * MiB;
  limits.cpu.shares = 512;
  limits.pids.limit = 5000000;  // above PID_MAX_LIMIT (4194304): the kernel says EINVAL
  auto created = Cgroup::create(layout_, name("refused") + "/web", limits);
  ASSERT_FALSE(created.ok()) << "the kernel should have refused pids.max 5000000";
  std::string message = created.error().message();
  std::cout << "[ refused  ] " << message << "\n";
  EXPECT_NE(message.find("writing \"5000000\" to"), std::string::npos) << message;
  EXPECT_NE(message.find("pids.max"), std::string::npos) << message;
  EXPECT_NE(message.find("EINVAL"), std::string::npos) << message;
  EXPECT_NE(message.find("PID_MAX_LIMIT"), std::string::npos) << message;
  for (const fs::path& hierarchy : hierarchies()) {
    EXPECT_FALSE(fs::exists(hierarchy / name("refused"))) << "a failed create left " << hierarchy / name("refused");
  }
}

TEST_F(CgroupTest, CreatingAnExistingCgroupFailsAndLeavesTheFirstAlone) {
  Cgroup first = Cgroup::create(layout_, name("twice"), {}).value();
  auto second = Cgroup::create(layout_, name("twice"), {});
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().message().find("EEXIST"), std::string::npos) << second.error().message();
  for (const fs::path& dir : first.directories()) EXPECT_TRUE(fs::is_directory(dir)) << dir;
}

}  // namespace
}  // namespace deploylab::ctr
