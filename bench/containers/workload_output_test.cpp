// bench/containers/workload_output_test.cpp: reading bench/workloads' deploylab-bench lines
// (workload_output.h).
#include "bench/containers/workload_output.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace deploylab::bench {
namespace {

using ::testing::HasSubstr;

TEST(ComputeOutput, FindsTheLineAmongOtherOutput) {
  auto parsed = parse_compute_output("runc: warning: something\ndeploylab-bench: compute millions=20 ms=52.543 checksum=c52d8785a584fdfe\n");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_EQ(parsed.value().millions, 20);
  EXPECT_DOUBLE_EQ(parsed.value().ms, 52.543);
  EXPECT_EQ(parsed.value().checksum, "c52d8785a584fdfe");
}

TEST(ComputeOutput, FindsTheLineAfterAConsolePrefix) {
  auto parsed = parse_compute_output("[    1.2] init: deploylab-bench: compute millions=1 ms=2.5 checksum=ab\r\n");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_EQ(parsed.value().checksum, "ab");
}

TEST(ComputeOutput, SaysWhatIsMissing) {
  auto none = parse_compute_output("exec failed: no such file\n");
  ASSERT_FALSE(none.ok());
  EXPECT_THAT(none.error().message(), HasSubstr("no `deploylab-bench: compute` line"));
  EXPECT_THAT(none.error().message(), HasSubstr("exec failed")) << "the output's start helps find why";
  auto no_ms = parse_compute_output("deploylab-bench: compute millions=20 checksum=ab\n");
  ASSERT_FALSE(no_ms.ok());
  EXPECT_THAT(no_ms.error().message(), HasSubstr("ms="));
  auto bad = parse_compute_output("deploylab-bench: compute millions=20 ms=12x checksum=ab\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().message(), HasSubstr("ms=12x is not a number"));
}

TEST(IoOutput, ReadsTheFourFiguresAndDirect) {
  auto parsed = parse_io_output(
      "deploylab-bench: io seq_write_mbps=906.8 seq_read_mbps=939.7 rand_read_iops=17318.2 rand_write_iops=479.4 direct=yes\n");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_DOUBLE_EQ(parsed.value().seq_write_mbps, 906.8);
  EXPECT_DOUBLE_EQ(parsed.value().seq_read_mbps, 939.7);
  EXPECT_DOUBLE_EQ(parsed.value().rand_read_iops, 17318.2);
  EXPECT_DOUBLE_EQ(parsed.value().rand_write_iops, 479.4);
  EXPECT_TRUE(parsed.value().direct);
}

TEST(IoOutput, RefusesAnUnknownDirectAndANegativeRate) {
  EXPECT_FALSE(parse_io_output("deploylab-bench: io seq_write_mbps=1 seq_read_mbps=1 rand_read_iops=1 rand_write_iops=1 direct=maybe").ok());
  EXPECT_FALSE(parse_io_output("deploylab-bench: io seq_write_mbps=-1 seq_read_mbps=1 rand_read_iops=1 rand_write_iops=1 direct=no").ok());
  EXPECT_FALSE(parse_io_output("deploylab-bench: compute millions=1 ms=1 checksum=ab").ok()) << "a compute line is not an io line";
}

TEST(BenchLineFields, SplitsKeyValueWords) {
  auto fields = bench_line_fields("deploylab-bench: io a=1 b=two junk =x\n", "io");
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields.value().size(), 2u);
  EXPECT_EQ(fields.value().at("b"), "two");
}

}  // namespace
}  // namespace deploylab::bench
