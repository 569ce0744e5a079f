// containers/cgroups/resource_writes_test.cpp: OCI resources -> cgroup v1/v2 writes
// (resource_writes.h): file names, units, order and the values refused before any write.
#include "containers/cgroups/resource_writes.h"

#include <gtest/gtest.h>

namespace deploylab::ctr {
namespace {

constexpr std::int64_t MiB = 1024 * 1024;
using Writes = std::vector<CgroupWrite>;

Writes plan(const Resources& resources, CgroupVersion version, const WriteContext& context = {}) {
  return plan_writes(resources, version, context).value();
}

std::string refusal(const Resources& resources) {
  auto writes = plan_writes(resources, CgroupVersion::v2);
  return writes.ok() ? "(accepted)" : writes.error().message();
}

TEST(PlanWrites, NothingSetWritesNothing) {
  EXPECT_TRUE(plan({}, CgroupVersion::v1).empty());
  EXPECT_TRUE(plan({}, CgroupVersion::v2).empty());
}

TEST(PlanWrites, V1MemoryOnANewCgroupWritesTheLimitBeforeMemsw) {
  Resources r;
  r.memory = {32 * MiB, 16 * MiB, 64 * MiB};
  // A new cgroup is unlimited; memsw first (64 MiB) would be below the limit in place (max).
  EXPECT_EQ(plan(r, CgroupVersion::v1),
            (Writes{{"memory", "memory.limit_in_bytes", "33554432"},
                    {"memory", "memory.memsw.limit_in_bytes", "67108864"},
                    {"memory", "memory.soft_limit_in_bytes", "16777216"}}));
}

TEST(PlanWrites, V1RaisingMemoryWritesMemswFirst) {
  Resources r;
  r.memory.limit = 128 * MiB;
  r.memory.swap = 256 * MiB;
  WriteContext now{SwapAccounting::available, 32 * MiB};
  // Limit first would fail: 128 MiB > the memsw in place (say 64 MiB).
  EXPECT_EQ(plan(r, CgroupVersion::v1, now),
            (Writes{{"memory", "memory.memsw.limit_in_bytes", "268435456"},
                    {"memory", "memory.limit_in_bytes", "134217728"}}));
}

TEST(PlanWrites, V1LoweringMemoryWritesTheLimitFirst) {
  Resources r;
  r.memory.limit = 32 * MiB;
  r.memory.swap = 64 * MiB;
  WriteContext now{SwapAccounting::available, 128 * MiB};
  EXPECT_EQ(plan(r, CgroupVersion::v1, now),
            (Writes{{"memory", "memory.limit_in_bytes", "33554432"},
                    {"memory", "memory.memsw.limit_in_bytes", "67108864"}}));
}

TEST(PlanWrites, V1UnlimitedMemoryLiftsSwapFirst) {
  Resources r;
  r.memory.limit = -1;
  EXPECT_EQ(plan(r, CgroupVersion::v1, {SwapAccounting::available, 32 * MiB}),
            (Writes{{"memory", "memory.memsw.limit_in_bytes", "-1"}, {"memory", "memory.limit_in_bytes", "-1"}}))
      << "a finite memsw would make the kernel refuse an unlimited limit";
}

TEST(PlanWrites, V1WithoutSwapAccountingLeavesMemswOut) {
  Resources r;
  r.memory.limit = 32 * MiB;
  r.memory.swap = 64 * MiB;
  EXPECT_EQ(plan(r, CgroupVersion::v1, {SwapAccounting::unavailable, std::nullopt}),
            (Writes{{"memory", "memory.limit_in_bytes", "33554432"}}));
}

TEST(PlanWrites, V2MemoryUsesMaxLowAndSwapAlone) {
  Resources r;
  r.memory = {32 * MiB, 16 * MiB, 48 * MiB};
  EXPECT_EQ(plan(r, CgroupVersion::v2),
            (Writes{{"memory", "memory.low", "16777216"},
                    {"memory", "memory.max", "33554432"},
                    {"memory", "memory.swap.max", "16777216"}}))
      << "OCI swap 48 MiB is memory+swap; v2's swap.max is swap alone: 48 - 32 = 16 MiB";
}

TEST(PlanWrites, V2SwapEqualToTheLimitMeansNoSwap) {
  Resources r;
  r.memory.limit = 32 * MiB;
  r.memory.swap = 32 * MiB;
  EXPECT_EQ(plan(r, CgroupVersion::v2).back(), (CgroupWrite{"memory", "memory.swap.max", "0"}));
}

TEST(PlanWrites, V2UnlimitedIsMax) {
  Resources r;
  r.memory.limit = -1;
  EXPECT_EQ(plan(r, CgroupVersion::v2),
            (Writes{{"memory", "memory.max", "max"}, {"memory", "memory.swap.max", "max"}}));
  EXPECT_EQ(plan(r, CgroupVersion::v2, {SwapAccounting::unavailable, std::nullopt}),
            (Writes{{"memory", "memory.max", "max"}}));
}

TEST(PlanWrites, V1CpuWritesSharesThenPeriodThenQuota) {
  Resources r;
  r.cpu = {512, 20000, 100000};
  EXPECT_EQ(plan(r, CgroupVersion::v1),
            (Writes{{"cpu", "cpu.shares", "512"},
                    {"cpu", "cpu.cfs_period_us", "100000"},
                    {"cpu", "cpu.cfs_quota_us", "20000"}}));
  r.cpu = {std::nullopt, -1, std::nullopt};
  EXPECT_EQ(plan(r, CgroupVersion::v1), (Writes{{"cpu", "cpu.cfs_quota_us", "-1"}}));
}

TEST(PlanWrites, V2CpuMaxHoldsQuotaAndPeriod) {
  Resources r;
  r.cpu = {1024, 20000, 100000};
  EXPECT_EQ(plan(r, CgroupVersion::v2), (Writes{{"cpu", "cpu.weight", "39"}, {"cpu", "cpu.max", "20000 100000"}}));
  r.cpu = {std::nullopt, -1, 50000};
  EXPECT_EQ(plan(r, CgroupVersion::v2), (Writes{{"cpu", "cpu.max", "max 50000"}}));
  r.cpu = {std::nullopt, std::nullopt, 50000};
  EXPECT_EQ(plan(r, CgroupVersion::v2), (Writes{{"cpu", "cpu.max", "max 50000"}}));
  r.cpu = {std::nullopt, 30000, std::nullopt};
  EXPECT_EQ(plan(r, CgroupVersion::v2), (Writes{{"cpu", "cpu.max", "30000"}}))
      << "without a period, only the quota: the kernel keeps the period in place";
}

TEST(PlanWrites, PidsZeroAndMinusOneAreMax) {
  for (std::int64_t unlimited : {std::int64_t{-1}, std::int64_t{0}}) {
    Resources r;
    r.pids.limit = unlimited;
    EXPECT_EQ(plan(r, CgroupVersion::v1), (Writes{{"pids", "pids.max", "max"}})) << "OCI pids.limit " << unlimited;
    EXPECT_EQ(plan(r, CgroupVersion::v2), (Writes{{"pids", "pids.max", "max"}})) << "OCI pids.limit " << unlimited;
  }
  Resources r;
  r.pids.limit = 20;
  EXPECT_EQ(plan(r, CgroupVersion::v2), (Writes{{"pids", "pids.max", "20"}}));
}

TEST(CpuWeightFromShares, MatchesRuncAtTheEndsAndTheDefault) {
  EXPECT_EQ(cpu_weight_from_shares(2), 1u) << "the smallest share is the smallest weight";
  EXPECT_EQ(cpu_weight_from_shares(262144), 10000u) << "the largest share is the largest weight";
  EXPECT_EQ(cpu_weight_from_shares(1024), 39u) << "runc's linear map; not systemd's 100";
  EXPECT_EQ(cpu_weight_from_shares(512), 20u);
  EXPECT_EQ(cpu_weight_from_shares(0), 1u) << "clamped like v1's kernel, never an unsigned underflow";
}

TEST(ValidateResources, RefusesWhatNoKernelAcceptsNamingTheOciField) {
  Resources r;
  r.memory.limit = 100;
  EXPECT_NE(refusal(r).find("linux.resources.memory.limit: 100 bytes is less than one page"), std::string::npos)
      << refusal(r);
  r = {};
  r.memory.limit = 32 * MiB;
  r.memory.swap = 16 * MiB;
  EXPECT_NE(refusal(r).find("linux.resources.memory.swap"), std::string::npos) << refusal(r);
  r = {};
  r.memory.swap = 16 * MiB;
  EXPECT_NE(refusal(r).find("set without memory.limit"), std::string::npos) << refusal(r);
  r = {};
  r.cpu.shares = 1;
  EXPECT_NE(refusal(r).find("linux.resources.cpu.shares: 1 is outside 2..262144"), std::string::npos) << refusal(r);
  r = {};
  r.cpu.quota = 500;
  EXPECT_NE(refusal(r).find("linux.resources.cpu.quota"), std::string::npos) << refusal(r);
  r = {};
  r.cpu.period = 5000000;
  EXPECT_NE(refusal(r).find("linux.resources.cpu.period"), std::string::npos) << refusal(r);
  r = {};
  r.pids.limit = -5;
  EXPECT_NE(refusal(r).find("linux.resources.pids.limit"), std::string::npos) << refusal(r);
}

TEST(ValidateResources, AcceptsTheLimitsOfTheIntegrationTests) {
  Resources r;
  r.memory = {32 * MiB, -1, -1};
  r.cpu = {2, 1000, 1000};
  r.pids.limit = 5000000;  // above PID_MAX_LIMIT: left for the kernel to refuse (it depends on it)
  EXPECT_TRUE(validate_resources(r).ok()) << validate_resources(r).error().message();
}

}  // namespace
}  // namespace deploylab::ctr
