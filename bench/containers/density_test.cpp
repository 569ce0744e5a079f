// bench/containers/density_test.cpp: the density row's budget files and bookkeeping
// (density.h). Running containers under the budget needs root: container-rows does it.
#include "bench/containers/density.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace deploylab::bench {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

TEST(DensityParentName, NamesTheRunAndTheRuntime) {
  EXPECT_EQ(density_parent_name(4242, "crun"), "deploylab-bench-density-4242-crun");
}

TEST(BudgetFiles, LimitsMemoryAndSwapWhereSwapIsAccounted) {
  EXPECT_THAT(budget_files(ctr::CgroupVersion::v1, 1 << 24, SwapAccounting::absent),
              ElementsAre(Pair("memory.limit_in_bytes", "16777216")));
  EXPECT_THAT(budget_files(ctr::CgroupVersion::v1, 1 << 24, SwapAccounting::present),
              ElementsAre(Pair("memory.limit_in_bytes", "16777216"), Pair("memory.memsw.limit_in_bytes", "16777216")))
      << "memsw cannot go below the memory limit, so the memory limit comes first";
  EXPECT_THAT(budget_files(ctr::CgroupVersion::v2, 1 << 24, SwapAccounting::absent),
              ElementsAre(Pair("memory.max", "16777216"), Pair("memory.swap.max", "0")));
}

TEST(DensityTally, CountsStartsUntilAFailedOne) {
  DensityTally tally;
  tally.started(std::nullopt);
  tally.started(std::nullopt);
  tally.start_failed("create exited with code 1: cannot allocate memory\nmore", std::nullopt);
  EXPECT_FALSE(tally.running());
  EXPECT_EQ(tally.reason(), DensityTally::Stop::start_failed);
  EXPECT_EQ(tally.count(), 2);
  EXPECT_EQ(tally.started_total(), 2);
  EXPECT_THAT(tally.describe(), HasSubstr("container 3 failed to start: create exited with code 1"));
  EXPECT_THAT(tally.describe(), ::testing::Not(HasSubstr("more"))) << "only the first line of the error";
}

TEST(DensityTally, AnOomKillDuringAStartMeansThatOneDidNotFit) {
  DensityTally tally;
  tally.started(std::nullopt);
  tally.started(std::string("sleep (pid 77)"));
  EXPECT_EQ(tally.reason(), DensityTally::Stop::oom_kill);
  EXPECT_EQ(tally.count(), 1);
  EXPECT_EQ(tally.started_total(), 2) << "the container that tipped it over must be deleted too";
  EXPECT_THAT(tally.describe(), HasSubstr("the OOM killer took sleep (pid 77) while container 2 started"));
  tally.started(std::nullopt);
  EXPECT_EQ(tally.count(), 1) << "nothing counts after the stop";
}

TEST(DensityTally, CapsStopAndSaySoAndTheFirstReasonWins) {
  DensityTally tally;
  tally.started(std::nullopt);
  tally.stop(DensityTally::Stop::time_cap);
  tally.stop(DensityTally::Stop::interrupted);
  EXPECT_EQ(tally.reason(), DensityTally::Stop::time_cap);
  EXPECT_THAT(tally.describe(), HasSubstr("at least 1 fit"));
}

}  // namespace
}  // namespace deploylab::bench
