// bench/containers/limit_search_test.cpp: the memory-limit bisection against fake runtimes, and
// the verdict of one `run` (limit_search.h).
#include "bench/containers/limit_search.h"

#include <signal.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace deploylab::bench {
namespace {

using ::testing::HasSubstr;

constexpr std::int64_t KiB = 1024, MiB = 1024 * KiB;

// A runtime that starts /bin/true under `floor` bytes or more and is OOM-killed below.
auto needs(std::int64_t floor) {
  return [floor](std::int64_t limit) {
    if (limit >= floor) return Attempt{Verdict::started, ""};
    return Attempt{Verdict::memory_failure, "killed by SIGKILL"};
  };
}

TEST(SearchSmallestLimit, FindsTheFloorToOneStep) {
  LimitSearch s = search_smallest_limit({}, needs(4 * MiB + 100));
  EXPECT_EQ(s.outcome, LimitSearch::Outcome::found);
  EXPECT_EQ(s.smallest, 4 * MiB + 64 * KiB) << "the first 64 KiB step (from 256 KiB) at or above the floor";
  ASSERT_TRUE(s.below);
  EXPECT_EQ(s.below->limit, 4 * MiB) << "one step under the result, with how it failed";
  EXPECT_EQ(s.below->attempt.verdict, Verdict::memory_failure);
  EXPECT_LE(s.trials.size(), 12u) << "bisection over 1020 steps needs about 10 attempts plus the two ends";
}

TEST(SearchSmallestLimit, FloorOnAStepIsFoundExactly) {
  EXPECT_EQ(search_smallest_limit({}, needs(1 * MiB)).smallest, 1 * MiB);
  EXPECT_EQ(search_smallest_limit({}, needs(256 * KiB + 64 * KiB)).smallest, 320 * KiB);
  EXPECT_EQ(search_smallest_limit({}, needs(64 * MiB)).smallest, 64 * MiB);
}

TEST(SearchSmallestLimit, TriesTheTopFirstAndStopsWhenItFails) {
  auto broken = [](std::int64_t) { return Attempt{Verdict::other_failure, "exited with code 1: hybrid mode"}; };
  LimitSearch s = search_smallest_limit({}, broken);
  EXPECT_EQ(s.outcome, LimitSearch::Outcome::fails_at_top);
  ASSERT_EQ(s.trials.size(), 1u) << "a runtime that fails under 64 MiB is not bisected";
  EXPECT_EQ(s.trials[0].limit, 64 * MiB);
  EXPECT_EQ(s.below->attempt.detail, "exited with code 1: hybrid mode") << "the reason is kept for the report";
}

TEST(SearchSmallestLimit, ReportsPassingAtTheBottomAsAnUpperBound) {
  LimitSearch s = search_smallest_limit({}, needs(0));
  EXPECT_EQ(s.outcome, LimitSearch::Outcome::passes_at_bottom);
  EXPECT_EQ(s.smallest, 256 * KiB);
  EXPECT_EQ(s.trials.size(), 2u) << "the top, then the bottom";
  EXPECT_FALSE(s.below);
}

TEST(SearchSmallestLimit, KeepsAnOtherFailureBelowTheFloorVisible) {
  auto odd = [](std::int64_t limit) {
    if (limit >= 2 * MiB) return Attempt{Verdict::started, ""};
    return Attempt{Verdict::other_failure, "exited with code 1: invalid argument"};
  };
  LimitSearch s = search_smallest_limit({}, odd);
  EXPECT_EQ(s.smallest, 2 * MiB);
  EXPECT_EQ(s.below->attempt.verdict, Verdict::other_failure) << "the report must not call this a memory floor";
}

TEST(SearchSmallestLimit, RejectsARangeTheStepDoesNotDivide) {
  EXPECT_THROW(search_smallest_limit({256 * KiB, 1 * MiB + 1, 64 * KiB}, needs(0)), std::invalid_argument);
  EXPECT_THROW(search_smallest_limit({1 * MiB, 1 * MiB, 64 * KiB}, needs(0)), std::invalid_argument);
}

ExitStatus exited(int code) { return ExitStatus{code, 0}; }

TEST(ClassifyRun, ExitZeroStarted) { EXPECT_EQ(classify_run(exited(0), "").verdict, Verdict::started); }

TEST(ClassifyRun, SigkillOrExit137IsTheOomKiller) {
  EXPECT_EQ(classify_run(ExitStatus{-1, SIGKILL}, "").verdict, Verdict::memory_failure);
  Attempt a = classify_run(exited(137), "");
  EXPECT_EQ(a.verdict, Verdict::memory_failure) << "runc and crun exit 128+9 when the container was SIGKILLed";
  EXPECT_EQ(a.detail, "exited with code 137");
}

TEST(ClassifyRun, AnErrorNamingMemoryIsAMemoryFailureWithItsLastLine) {
  std::string out = "time=\"x\" level=warning msg=\"noise\"\n"
                    "time=\"x\" level=error msg=\"unable to set memory limit to 1048576 (current usage: 2224128)\"\n\n";
  Attempt a = classify_run(exited(1), out);
  EXPECT_EQ(a.verdict, Verdict::memory_failure);
  EXPECT_EQ(a.detail, "exited with code 1: unable to set memory limit to 1048576 (current usage: 2224128)")
      << "only the message of runc's last log line";
}

TEST(ClassifyRun, AnythingElseIsAnotherFailure) {
  Attempt a = classify_run(exited(1), "cgroups in hybrid mode not supported, drop all controllers from cgroupv2\n");
  EXPECT_EQ(a.verdict, Verdict::other_failure);
  EXPECT_THAT(a.detail, HasSubstr("hybrid mode"));
}

TEST(ClassifyRun, TheKernelsOomKillMakesAVagueErrorAMemoryFailure) {
  Attempt a = classify_run(exited(1), "level=error msg=\"runc run failed: container process is already dead\"\n",
                           "runc:[2:INIT] (pid 1289)");
  EXPECT_EQ(a.verdict, Verdict::memory_failure);
  EXPECT_EQ(a.detail, "exited with code 1: runc run failed: container process is already dead "
                      "(the kernel OOM-killed runc:[2:INIT] (pid 1289))");
}

TEST(FindOomKill, FindsTheKillInTheContainersCgroupOnly) {
  std::string log =
      "6,1,1,-;runc:[2:INIT] invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
      "3,2,2,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=c-12,mems_allowed=0,"
      "oom_memcg=/process_api/ab/c-12,task_memcg=/process_api/ab/c-12,task=runc:[2:INIT],pid=1289,uid=0\n"
      "3,3,3,-;Memory cgroup out of memory: Killed process 1289 (runc:[2:INIT])\n";
  EXPECT_EQ(find_oom_kill(log, "c-12"), "runc:[2:INIT] (pid 1289)");
  EXPECT_EQ(find_oom_kill(log, "c-1"), std::nullopt) << "c-1 is not c-12: the cgroup must end in /ID";
  EXPECT_EQ(find_oom_kill("", "c-12"), std::nullopt);
}

TEST(FormatBytes, PicksTheUnitThatReadsBest) {
  EXPECT_EQ(format_bytes(1 * MiB), "1 MiB");
  EXPECT_EQ(format_bytes(64 * MiB), "64 MiB");
  EXPECT_EQ(format_bytes(320 * KiB), "320 KiB");
  EXPECT_EQ(format_bytes(MiB + MiB / 2), "1.50 MiB");
  EXPECT_EQ(format_bytes(4000), "4000 B");
}

}  // namespace
}  // namespace deploylab::bench
