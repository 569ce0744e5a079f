// bench/vm/density_test.cpp: the density run's budget check and count (density.h).
#include "bench/vm/density.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace deploylab::bench {
namespace {

using ::testing::HasSubstr;

TEST(PlanDensity, CapsTheAttemptsByTheSmallestInstance) {
  auto plan = plan_density(384, 128);
  ASSERT_TRUE(plan) << plan.error().message();
  EXPECT_EQ(plan.value().max_attempts, 25) << "384 / 16 + 1: one more than could ever fit";
  EXPECT_EQ(density_label(plan.value()), "idle 128 MiB guests in a 384 MiB memory cgroup");
}

TEST(PlanDensity, RefusesABudgetTooSmallForAnything) {
  auto plan = plan_density(8, 128);
  ASSERT_FALSE(plan);
  EXPECT_THAT(plan.error().message(), HasSubstr("--density-budget"));
  EXPECT_FALSE(plan_density(384, 0)) << "a guest needs memory";
}

TEST(DensityCount, CountsTheInstancesThatReachedTheirShellTogether) {
  std::vector<InstanceRecord> instances{{InstanceEnd::booted, true, ""},
                                        {InstanceEnd::booted, false, "SIGKILL (the cgroup's OOM killer)"},
                                        {InstanceEnd::booted, true, ""},
                                        {InstanceEnd::killed, false, "SIGKILL (the cgroup's OOM killer)"}};
  EXPECT_EQ(density_count(instances), 3) << "three ran together before the fourth; the OOM killer taking an older one "
                                           "while the fourth started does not undo that";
  std::string story = density_story(plan_density(384, 128).value(), instances);
  EXPECT_THAT(story, HasSubstr("instance 2 booted but died later"));
  EXPECT_THAT(story, HasSubstr("instance 4 was killed: SIGKILL"));
  EXPECT_THAT(story, HasSubstr("3 ran together before the run stopped, 2 at the end"));
}

TEST(DensityCount, OneThatFitAloneCountsEvenIfTheNextOneGotItKilled) {
  std::vector<InstanceRecord> instances{{InstanceEnd::booted, false, "SIGKILL (the cgroup's OOM killer)"},
                                        {InstanceEnd::killed, false, "SIGKILL (the cgroup's OOM killer)"}};
  EXPECT_EQ(density_count(instances), 1);
  std::vector<InstanceRecord> made_room{{InstanceEnd::booted, false, "SIGKILL"}, {InstanceEnd::booted, true, ""},
                                        {InstanceEnd::booted, true, ""}};
  EXPECT_EQ(density_count(made_room), 2) << "the third booted only because the first was killed for it";
}

TEST(DensityStory, SaysWhenTheCapStoppedIt) {
  DensityPlan plan{32, 128, 2};
  std::vector<InstanceRecord> instances{{InstanceEnd::booted, true, ""}, {InstanceEnd::booted, true, ""}};
  EXPECT_THAT(density_story(plan, instances), HasSubstr("stopped after 2 attempts (the cap)"));
}

}  // namespace
}  // namespace deploylab::bench
