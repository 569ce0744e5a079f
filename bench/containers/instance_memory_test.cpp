// bench/containers/instance_memory_test.cpp: finding a container's memory cgroup and reading
// /proc (instance_memory.h).
#include "bench/containers/instance_memory.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace deploylab::bench {
namespace {

const char* kHybrid =
    "9:name=systemd:/\n8:pids:/minictr/web\n4:memory:/process_api/83fd/deploylab-bench-runc-1-2\n"
    "2:cpu,cpuacct:/x\n0::/deploylab-bench-runc-1-2\n";

TEST(MemoryCgroupPath, ReadsTheMemoryLineUnderV1) {
  EXPECT_EQ(memory_cgroup_path(kHybrid, ctr::CgroupVersion::v1), "/process_api/83fd/deploylab-bench-runc-1-2");
  EXPECT_EQ(memory_cgroup_path("5:cpuacct,memory:/joint\n", ctr::CgroupVersion::v1), "/joint")
      << "memory may share a hierarchy with other controllers";
  EXPECT_EQ(memory_cgroup_path("5:memory_x:/nope\n", ctr::CgroupVersion::v1), std::nullopt);
}

TEST(MemoryCgroupPath, ReadsTheUnifiedLineUnderV2) {
  EXPECT_EQ(memory_cgroup_path("0::/crun/web\n", ctr::CgroupVersion::v2), "/crun/web");
  EXPECT_EQ(memory_cgroup_path(kHybrid, ctr::CgroupVersion::v2), "/deploylab-bench-runc-1-2");
  EXPECT_EQ(memory_cgroup_path("", ctr::CgroupVersion::v2), std::nullopt);
}

TEST(StatusKib, ReadsAFieldByItsExactName) {
  const char* status = "Name:\tsleep\nPPid:\t4242\nVmRSS:\t    1380 kB\nRssAnon:\t      52 kB\nRssFile:\t 1328 kB\n";
  EXPECT_EQ(status_kib(status, "VmRSS"), 1380);
  EXPECT_EQ(status_kib(status, "RssAnon"), 52);
  EXPECT_EQ(status_kib(status, "PPid"), 4242);
  EXPECT_EQ(status_kib(status, "Rss"), std::nullopt) << "a prefix of another field is not that field";
  EXPECT_EQ(status_kib(status, "Name"), std::nullopt) << "not a number";
}

TEST(CmdlineHasWord, MatchesWholeWordsOnly) {
  std::string cmdline("conmon\0--cid\0deploylab-bench-crun-1-2\0", 38);
  EXPECT_TRUE(cmdline_has_word(cmdline, "deploylab-bench-crun-1-2"));
  EXPECT_FALSE(cmdline_has_word(cmdline, "deploylab-bench-crun-1"));
  EXPECT_FALSE(cmdline_has_word("", "x"));
}

TEST(ParseCharge, AddsAnonCacheAndKmemUnderV1) {
  const char* stat = "cache 4096\nrss 53248\ntotal_cache 8192\ntotal_rss 57344\n";
  auto charge = parse_charge(ctr::CgroupVersion::v1, stat, 118784, 397312);
  ASSERT_TRUE(charge.has_value());
  EXPECT_EQ(charge->anon, 57344) << "total_rss, so a runtime's sub-cgroups count too";
  EXPECT_EQ(charge->file, 8192);
  EXPECT_EQ(charge->kernel, 118784);
  EXPECT_EQ(charge->total(), 57344 + 8192 + 118784);
  EXPECT_EQ(charge->usage, 397312);
  EXPECT_EQ(parse_charge(ctr::CgroupVersion::v1, stat, std::nullopt, 0), std::nullopt) << "v1 needs the kmem counter";
}

TEST(ParseCharge, ReadsAnonFileAndKernelUnderV2) {
  auto charge = parse_charge(ctr::CgroupVersion::v2, "anon 53248\nfile 4096\nkernel 118784\nsock 0\n", std::nullopt, 1);
  ASSERT_TRUE(charge.has_value());
  EXPECT_EQ(charge->total(), 53248 + 4096 + 118784);
  EXPECT_EQ(parse_charge(ctr::CgroupVersion::v2, "anon 1\nfile 2\n", std::nullopt, 0), std::nullopt);
}

TEST(InstanceMemory, AddsTheRuntimeAndSubtractsTheWorkload) {
  InstanceMemory m{{1 << 19, 1 << 19, 1 << 19, 0}, 1 << 19, 1, 1 << 18};  // 1.5 MiB cgroup, 0.5 MiB runtime, 0.25 MiB sleep
  EXPECT_DOUBLE_EQ(m.per_instance_mib(), 2.0);
  EXPECT_DOUBLE_EQ(m.beyond_workload_mib(), 1.75);
}

TEST(InstanceMemory, DescribesWhatItAddedUp) {
  InstanceMemory m{{52 << 10, 4 << 10, 120 << 10, 388 << 10}, 0, 0, 52 << 10};
  EXPECT_EQ(m.describe(),
            "cgroup 176 KiB = anon 52 + page cache 4 + kernel 120 KiB (the usage counter: 388 KiB with per-CPU batches); "
            "workload anon 52 KiB; runtime processes left: none");
  m.runtime_processes = 1;
  m.runtime_rss_bytes = 2 << 20;
  EXPECT_THAT(m.describe(), ::testing::EndsWith("runtime processes left: 1 (2048 KiB)"));
}

}  // namespace
}  // namespace deploylab::bench
