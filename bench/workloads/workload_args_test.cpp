// bench/workloads/workload_args_test.cpp: command lines, hash chain and output lines of the
// workload programs (workload_args.h).
#include "bench/workloads/workload_args.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace deploylab::workloads {
namespace {

using ::testing::HasSubstr;

TEST(ParseComputeArgs, DefaultsToFiftyMillionAndTakesMillions) {
  ComputeArgs args;
  EXPECT_EQ(parse_compute_args({}, args), "");
  EXPECT_EQ(args.millions, 50) << "no --millions keeps the default";
  EXPECT_EQ(parse_compute_args({"--millions", "7"}, args), "");
  EXPECT_EQ(args.millions, 7);
}

TEST(ParseComputeArgs, RefusesBadNumbersAndUnknownWords) {
  ComputeArgs args;
  EXPECT_THAT(parse_compute_args({"--millions", "0"}, args), HasSubstr("whole number from 1"));
  EXPECT_THAT(parse_compute_args({"--millions", "-3"}, args), HasSubstr("not `-3`"));
  EXPECT_THAT(parse_compute_args({"--millions", "5x"}, args), HasSubstr("not `5x`"));
  EXPECT_THAT(parse_compute_args({"--millions"}, args), HasSubstr("needs a value"));
  EXPECT_THAT(parse_compute_args({"--fast"}, args), HasSubstr("unknown argument `--fast`"));
}

TEST(ParseIoArgs, NeedsADirAndKeepsDefaults) {
  IoArgs args;
  EXPECT_THAT(parse_io_args({}, args), HasSubstr("--dir is required"));
  EXPECT_EQ(parse_io_args({"--dir", "/tmp"}, args), "");
  EXPECT_EQ(args.dir, "/tmp");
  EXPECT_EQ(args.mebibytes, 64);
  EXPECT_EQ(args.random_ops, 2000);
}

TEST(ParseIoArgs, TakesSizesAndRefusesZero) {
  IoArgs args;
  EXPECT_EQ(parse_io_args({"--mebibytes", "8", "--dir", "/mnt", "--random-ops", "100"}, args), "");
  EXPECT_EQ(args.mebibytes, 8);
  EXPECT_EQ(args.random_ops, 100);
  EXPECT_THAT(parse_io_args({"--dir", "/mnt", "--random-ops", "0"}, args), HasSubstr("--random-ops wants"));
  EXPECT_THAT(parse_io_args({"--dir", "/mnt", "--size", "1"}, args), HasSubstr("unknown argument `--size`"));
}

TEST(HashChain, IsDeterministicAndDependsOnTheCount) {
  EXPECT_EQ(hash_chain(1000), hash_chain(1000)) << "the same N must give the same checksum everywhere";
  EXPECT_NE(hash_chain(1000), hash_chain(1001)) << "every iteration must change the result";
  // Pinned: a change of the kernel changes every published checksum, so it must be deliberate.
  EXPECT_EQ(hash_chain(1000000), 0x8ab8a5792f3eb7e6ull);
}

TEST(OutputLines, HaveTheDocumentedShape) {
  EXPECT_EQ(compute_line(50, 123.4567, 0xabcdef), "deploylab-bench: compute millions=50 ms=123.457 checksum=0000000000abcdef");
  IoResult r{812.34, 1650, 9120.44, 2101.75, true};
  EXPECT_EQ(io_line(r),
            "deploylab-bench: io seq_write_mbps=812.3 seq_read_mbps=1650.0 rand_read_iops=9120.4 "
            "rand_write_iops=2101.8 direct=yes");
}

}  // namespace
}  // namespace deploylab::workloads
