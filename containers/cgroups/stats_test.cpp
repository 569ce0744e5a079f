// containers/cgroups/stats_test.cpp: reading CgroupStats from v1 and v2 files (stats.h), with
// sample files in a temporary directory, and the JSON the kubelet and autoscaler read.
#include "containers/cgroups/stats.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/file_io.h"
#include "common/temp_dir.h"

namespace deploylab::ctr {
namespace {

namespace fs = std::filesystem;

void write_files(const fs::path& dir, const std::map<std::string, std::string>& files) {
  fs::create_directories(dir);
  for (const auto& [name, text] : files) write_file_atomic(dir / name, text).value();
}

TEST(ReadCgroupStats, V1ReadsEachHierarchy) {
  TempDir root = TempDir::create("deploylab-test-stats-").value();
  write_files(root / "memory", {{"memory.usage_in_bytes", "1048576\n"},
                                {"memory.max_usage_in_bytes", "33554432\n"},
                                {"memory.limit_in_bytes", "33554432\n"},
                                {"memory.failcnt", "5120\n"},
                                {"memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n"}});
  write_files(root / "cpuacct", {{"cpuacct.usage", "1500000000\n"},
                                 {"cpuacct.usage_user", "1000000000\n"},
                                 {"cpuacct.usage_sys", "500000000\n"}});
  write_files(root / "pids", {{"pids.current", "3\n"}, {"pids.max", "max\n"}});
  auto stats = read_cgroup_stats(CgroupVersion::v1, {{"memory", root / "memory"},
                                                     {"cpuacct", root / "cpuacct"},
                                                     {"pids", root / "pids"}})
                   .value();
  EXPECT_EQ(stats.memory_usage_bytes, 1048576u);
  EXPECT_EQ(stats.memory_peak_bytes, 33554432u);
  EXPECT_EQ(stats.memory_limit_bytes, 33554432u);
  EXPECT_EQ(stats.cpu_usage_ns, 1500000000u);
  EXPECT_EQ(stats.cpu_user_ns, 1000000000u);
  EXPECT_EQ(stats.pids_current, 3u);
  EXPECT_EQ(stats.pids_limit, std::nullopt) << "pids.max \"max\": no limit";
  EXPECT_EQ(stats.oom_kills, 1u) << "from memory.oom_control, not memory.failcnt (5120 limit hits)";
}

TEST(ReadCgroupStats, V1FallsBackToTicksAndReportsUnlimitedAsNull) {
  TempDir root = TempDir::create("deploylab-test-stats-").value();
  write_files(root / "memory", {{"memory.usage_in_bytes", "0\n"},
                                {"memory.max_usage_in_bytes", "0\n"},
                                {"memory.limit_in_bytes", "9223372036854771712\n"},
                                {"memory.oom_control", "oom_kill_disable 0\nunder_oom 0\n"}});
  write_files(root / "cpuacct", {{"cpuacct.usage", "0\n"}, {"cpuacct.stat", "user 150\nsystem 50\n"}});
  write_files(root / "pids", {{"pids.current", "0\n"}, {"pids.max", "20\n"}});
  auto stats = read_cgroup_stats(CgroupVersion::v1, {{"memory", root / "memory"},
                                                     {"cpuacct", root / "cpuacct"},
                                                     {"pids", root / "pids"}})
                   .value();
  EXPECT_EQ(stats.memory_limit_bytes, std::nullopt) << "v1's huge default is no limit";
  EXPECT_EQ(stats.oom_kills, std::nullopt) << "an old kernel without oom_kill: unknown, not 0";
  EXPECT_EQ(stats.cpu_user_ns, 150 * (1'000'000'000 / sysconf(_SC_CLK_TCK))) << "USER_HZ ticks to ns";
  EXPECT_EQ(stats.pids_limit, 20u);
}

TEST(ReadCgroupStats, V2ReadsOneDirectory) {
  TempDir dir = TempDir::create("deploylab-test-stats-").value();
  write_files(dir.path(), {{"memory.current", "2097152\n"},
                           {"memory.max", "max\n"},
                           {"memory.events", "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n"},
                           {"cpu.stat", "usage_usec 300000\nuser_usec 200000\nsystem_usec 100000\n"},
                           {"pids.current", "2\n"},
                           {"pids.max", "20\n"}});
  auto stats = read_cgroup_stats(CgroupVersion::v2, {{"memory", dir.path()}, {"cpu", dir.path()}, {"pids", dir.path()}})
                   .value();
  EXPECT_EQ(stats.memory_usage_bytes, 2097152u);
  EXPECT_EQ(stats.memory_peak_bytes, std::nullopt) << "no memory.peak (before Linux 5.19): unavailable";
  EXPECT_EQ(stats.memory_limit_bytes, std::nullopt);
  EXPECT_EQ(stats.cpu_usage_ns, 300000000u) << "usage_usec * 1000";
  EXPECT_EQ(stats.cpu_system_ns, 100000000u);
  EXPECT_EQ(stats.oom_kills, 1u);
  EXPECT_EQ(stats.pids_limit, 20u);
}

TEST(ReadCgroupStats, AMissingControllerIsAnErrorThatSaysWhich) {
  auto stats = read_cgroup_stats(CgroupVersion::v2, {});
  ASSERT_FALSE(stats.ok());
  EXPECT_NE(stats.error().message().find("no memory controller"), std::string::npos) << stats.error().message();
}

TEST(StatsJson, UsesTheDocumentedSnakeCaseFieldsAndNullForUnknown) {
  CgroupStats stats;
  stats.version = CgroupVersion::v1;
  stats.memory_usage_bytes = 1024;
  stats.memory_limit_bytes = 33554432;
  stats.cpu_usage_ns = 5;
  stats.pids_current = 2;
  stats.oom_kills = 1;
  auto json = nlohmann::json::parse(stats_json(stats));
  EXPECT_EQ(json.at("cgroup_version"), "v1");
  EXPECT_EQ(json.at("memory_usage_bytes"), 1024);
  EXPECT_EQ(json.at("memory_limit_bytes"), 33554432);
  EXPECT_TRUE(json.at("memory_peak_bytes").is_null()) << "unknown is null, never 0";
  EXPECT_TRUE(json.at("pids_limit").is_null());
  EXPECT_EQ(json.at("oom_kills"), 1);
  EXPECT_EQ(json.size(), 10u) << json.dump();
}

TEST(StatsJson, RoundTripsThroughParseStatsJson) {
  CgroupStats stats;
  stats.version = CgroupVersion::v2;
  stats.memory_usage_bytes = 7;
  stats.memory_peak_bytes = 9;
  stats.cpu_user_ns = 3;
  stats.pids_limit = 20;
  EXPECT_EQ(parse_stats_json(stats_json(stats)).value(), stats);
  EXPECT_FALSE(parse_stats_json("{\"cgroup_version\": \"v2\"}").ok()) << "missing fields must be an error";
}

}  // namespace
}  // namespace deploylab::ctr
