// bench/vm/workload_lines_test.cpp: reading the workloads' "deploylab-bench:" lines
// (workload_lines.h).
#include "bench/vm/workload_lines.h"

#include <gtest/gtest.h>

namespace deploylab::bench {
namespace {

TEST(ParseWorkloadLines, ReadsEveryKindOfLine) {
  WorkloadOutput out = parse_workload_lines({
      "[    2.1] random kernel line",
      "deploylab-bench: uname 6.1.0-56-amd64",
      "deploylab-bench: boot_id 0044d593-1582-4e2d-afbf-33015aef98c6",
      "deploylab-bench: compute millions=10 ms=25.310 checksum=8ab8a5792f3eb7e6",
      "deploylab-bench: io seq_write_mbps=38.2 seq_read_mbps=248.4 rand_read_iops=1289.1 rand_write_iops=422.3 direct=yes",
      "deploylab-bench: syscalls reachable=361 blocked=0 total=361",
      "deploylab-bench: attack mount rc=1 mount: SUCCEEDED (returned 0)",
      "deploylab-bench: attack read rc=0 read: blocked: ENOENT (No such file or directory)",
  });
  EXPECT_EQ(out.uname, "6.1.0-56-amd64");
  EXPECT_EQ(out.boot_id, "0044d593-1582-4e2d-afbf-33015aef98c6");
  ASSERT_TRUE(out.compute) << "the compute line was not read";
  EXPECT_EQ(out.compute->millions, 10);
  EXPECT_DOUBLE_EQ(out.compute->ms, 25.31);
  EXPECT_EQ(out.compute->checksum, "8ab8a5792f3eb7e6");
  ASSERT_TRUE(out.io) << "the io line was not read";
  EXPECT_DOUBLE_EQ(out.io->seq_write_mbps, 38.2);
  EXPECT_DOUBLE_EQ(out.io->rand_write_iops, 422.3);
  EXPECT_TRUE(out.io->direct);
  ASSERT_TRUE(out.syscalls);
  EXPECT_DOUBLE_EQ(out.syscalls->reachable, 361);
  ASSERT_EQ(out.attacks.size(), 2u);
  EXPECT_EQ(out.attacks[0].attack, "mount");
  EXPECT_EQ(out.attacks[0].exit_code, 1);
  EXPECT_EQ(out.attacks[0].says, "mount: SUCCEEDED (returned 0)");
  EXPECT_EQ(out.attacks[1].exit_code, 0);
}

TEST(ParseWorkloadLines, TakesTheTagAnywhereOnTheLine) {
  WorkloadOutput out = parse_workload_lines({"~ # deploylab-bench: compute millions=1 ms=2.000 checksum=ab\r"});
  ASSERT_TRUE(out.compute) << "a shell prompt before the tag must not hide the line";
  EXPECT_EQ(out.compute->checksum, "ab") << "a trailing \\r is not part of the value";
}

TEST(ParseWorkloadLines, SkipsHalfLinesAndBadNumbers) {
  WorkloadOutput out = parse_workload_lines({
      "deploylab-bench: compute millions=10 ms=2x5 checksum=ab",
      "deploylab-bench: io seq_write_mbps=38.2 seq_read_mbps=248.4",
      "deploylab-bench: io seq_write_mbps=1 seq_read_mbps=2 rand_read_iops=3 rand_write_iops=4 direct=maybe",
      "deploylab-bench: attack mount",
      "deploylab-bench: uname",
  });
  EXPECT_FALSE(out.compute) << "ms=2x5 is not a number";
  EXPECT_FALSE(out.io) << "an io line without every field, or with direct=maybe, is no figure";
  EXPECT_TRUE(out.attacks.empty()) << "an attack line without rc= is skipped";
  EXPECT_EQ(out.uname, "") << "an empty uname is no fact";
}

TEST(ParseWorkloadLines, ReadsNetProbesRoundTrips) {
  EXPECT_EQ(parse_workload_lines({R"(deploylab-bench: net {"rr_us":[61.20,58.93,70]})"}).rr_us,
            (std::vector<double>{61.2, 58.93, 70}));
  EXPECT_TRUE(parse_workload_lines({R"(deploylab-bench: net {"rr_us":[61.20,58.9)"}).rr_us.empty())
      << "a cut-off line is no figure";
  EXPECT_TRUE(parse_workload_lines({"deploylab-bench: net "}).rr_us.empty()) << "net-probe failed: nothing printed";
}

TEST(SplitLines, DropsCarriageReturns) {
  EXPECT_EQ(split_lines("a\r\nb\nc"), (std::vector<std::string>{"a", "b", "c"}));
}

}  // namespace
}  // namespace deploylab::bench
