// containers/cgroups/stat_parsers_test.cpp: the text formats of cgroup statistics files
// (stat_parsers.h), on samples copied from v1 and v2 kernels.
#include "containers/cgroups/stat_parsers.h"

#include <gtest/gtest.h>

namespace deploylab::ctr {
namespace {

TEST(ParseSingleValue, ReadsANumberOrMax) {
  EXPECT_EQ(parse_single_value("33554432\n").value(), 33554432u);
  EXPECT_EQ(parse_single_value("max\n").value(), std::nullopt) << "\"max\" is v2's (and pids') no-limit";
  EXPECT_FALSE(parse_single_value("12 kB\n").ok());
  EXPECT_FALSE(parse_single_value("").ok());
}

TEST(ParseFlatKeyed, ReadsV2CpuStat) {
  auto values = parse_flat_keyed(
                    "usage_usec 2514238\nuser_usec 1986014\nsystem_usec 528224\n"
                    "nr_periods 15\nnr_throttled 13\nthrottled_usec 1201833\n")
                    .value();
  EXPECT_EQ(values.at("usage_usec"), 2514238u);
  EXPECT_EQ(values.at("nr_throttled"), 13u);
}

TEST(ParseFlatKeyed, ReadsV2MemoryEventsAndV1OomControl) {
  auto events = parse_flat_keyed("low 0\nhigh 0\nmax 27\noom 1\noom_kill 1\noom_group_kill 0\n").value();
  EXPECT_EQ(events.at("oom_kill"), 1u);
  auto control = parse_flat_keyed("oom_kill_disable 0\nunder_oom 0\noom_kill 2\n").value();
  EXPECT_EQ(control.at("oom_kill"), 2u);
  auto old_kernel = parse_flat_keyed("oom_kill_disable 0\nunder_oom 0\n").value();
  EXPECT_FALSE(old_kernel.count("oom_kill")) << "before Linux 4.13 v1 did not count OOM kills";
}

TEST(ParseFlatKeyed, RefusesALineWithoutANumber) {
  EXPECT_FALSE(parse_flat_keyed("usage_usec\n").ok());
  EXPECT_FALSE(parse_flat_keyed("usage_usec many\n").ok());
}

TEST(V1MemoryLimit, TheHugeDefaultMeansUnlimited) {
  EXPECT_EQ(v1_memory_limit(9223372036854771712u), std::nullopt) << "LONG_MAX rounded down to 4 KiB pages";
  EXPECT_EQ(v1_memory_limit(9223372036854710272u), std::nullopt) << "the same with 64 KiB pages";
  EXPECT_EQ(v1_memory_limit(33554432u), 33554432u);
}

}  // namespace
}  // namespace deploylab::ctr
