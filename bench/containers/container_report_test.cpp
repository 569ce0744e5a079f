// bench/containers/container_report_test.cpp: the table, goal checks and JSON of the container
// benchmark (container_report.h).
#include "bench/containers/container_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace deploylab::bench {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::int64_t KiB = 1024, MiB = 1024 * KiB;

std::vector<RoundSample> totals(std::initializer_list<double> ms) {
  std::vector<RoundSample> samples;
  for (double m : ms) samples.push_back({m});
  return samples;
}

std::vector<RoundSample> steps(double create, double start, double wait, double del) {
  RoundSample s{create + start + wait + del, create, start, wait, del};
  return {s, s, s};
}

LimitSearch found(std::int64_t smallest, Verdict below) {
  LimitSearch s;
  s.smallest = smallest;
  s.below = LimitTrial{smallest - 64 * KiB, {below, "killed by SIGKILL"}};
  s.trials = {LimitTrial{64 * MiB, Attempt{}}, *s.below};
  return s;
}

ContainerReport report() {
  ContainerReport r;
  r.rounds = 3;
  r.about = {"machine: Test CPU, 2 cpus"};
  r.series = {{"minictr", Mode::run, totals({10, 14, 16}), ""},
              {"minictr", Mode::lifecycle, steps(4, 3, 1, 4), ""},
              {"crun", Mode::run, totals({7, 8, 9}), ""},
              {"crun", Mode::lifecycle, steps(5, 3, 1, 3), ""},
              {"runc", Mode::run, totals({20, 24, 28}), ""},
              {"runc", Mode::lifecycle, {}, "create exited with code 1: no"},
              {"true (fork+exec)", Mode::command, totals({0.7, 0.8, 0.9}), ""}};
  LimitSearch bottom;
  bottom.outcome = LimitSearch::Outcome::passes_at_bottom;
  bottom.smallest = 256 * KiB;
  r.memory = {{"minictr", bottom}, {"crun", found(512 * KiB, Verdict::memory_failure)},
              {"runc", found(2 * MiB + 64 * KiB, Verdict::memory_failure)}};
  return r;
}

TEST(RenderContainerReport, ShowsMedianRangeMinRatioAndMemory) {
  std::string text = render_container_report(report());
  EXPECT_THAT(text, HasSubstr("machine: Test CPU, 2 cpus"));
  EXPECT_THAT(text, HasSubstr("14.0 ms")) << "minictr run's median of 10, 14, 16 ms";
  EXPECT_THAT(text, HasSubstr("10.8 ms - 15.6 ms")) << "p10 - p90 by linear interpolation";
  EXPECT_THAT(text, HasSubstr("1.75x")) << "minictr's 14 ms over crun's 8 ms";
  EXPECT_THAT(text, HasSubstr("0.10x")) << "true's 0.8 ms over crun run's 8 ms";
  EXPECT_THAT(text, HasSubstr("<= 256 KiB")) << "passing at the bottom of the search is an upper bound";
  EXPECT_THAT(text, HasSubstr("2.06 MiB"));
}

TEST(RenderContainerReport, ExplainsAFailedRowUnderTheTable) {
  std::string text = render_container_report(report());
  EXPECT_THAT(text, HasSubstr("failed (below)"));
  EXPECT_THAT(text, HasSubstr("runc create + start + wait + delete: failed (create exited with code 1: no)"));
}

TEST(RenderContainerReport, BreaksTheLifecycleRowsIntoSteps) {
  std::string text = render_container_report(report());
  EXPECT_THAT(text, HasSubstr("step by step"));
  EXPECT_THAT(text, HasSubstr("4.00 ms")) << "minictr's create median";
  EXPECT_THAT(text, HasSubstr("12.0 ms")) << "minictr's four steps together";
}

TEST(RenderContainerReport, SaysHowEachMemorySearchEnded) {
  std::string text = render_container_report(report());
  EXPECT_THAT(text, HasSubstr("minictr: starts even under 256 KiB, the bottom of the search"));
  EXPECT_THAT(text, HasSubstr("runc: starts under 2.06 MiB, not under 2 MiB: killed by SIGKILL"));
}

TEST(RenderContainerReport, NeverCallsAnOtherFailureAMemoryResult) {
  ContainerReport r = report();
  LimitSearch broken;
  broken.outcome = LimitSearch::Outcome::fails_at_top;
  broken.below = LimitTrial{64 * MiB, {Verdict::other_failure, "exited with code 1: hybrid mode not supported"}};
  r.memory[1] = {"crun", broken};
  r.memory[2] = {"runc", found(2 * MiB, Verdict::other_failure)};
  std::string text = render_container_report(r);
  EXPECT_THAT(text, HasSubstr("no result (below)"));
  EXPECT_THAT(text, HasSubstr("crun: fails even under 64 MiB, for a reason other than memory, so no memory result: "
                              "exited with code 1: hybrid mode not supported"));
  EXPECT_THAT(text, HasSubstr("failed for a reason other than memory (so this floor is doubtful)"));
}

TEST(GoalChecks, CompareMinictrWithCrunInBothModesAndCheckTheMemoryGoal) {
  auto lines = goal_checks(report());
  ASSERT_GE(lines.size(), 4u);
  EXPECT_EQ(lines[0], "minictr vs crun, run: 1.75x slower (median 14.0 ms vs 8.00 ms); goal: at least as fast: MISSED");
  EXPECT_EQ(lines[1], "minictr vs crun, create + start + wait + delete: 1.00x faster (median 12.0 ms vs 12.0 ms); "
                      "goal: at least as fast: MET")
      << "a tie is at least as fast";
  EXPECT_EQ(lines[2], "crun vs runc, run: 3.00x as fast (published: about 2x)");
  EXPECT_EQ(lines.back(), "minictr under a 1 MiB memory limit: starts (smallest limit <= 256 KiB); goal: MET");
}

TEST(GoalChecks, SayNotMeasuredWhenARowIsMissing) {
  ContainerReport r = report();
  r.series[2].samples.clear();
  r.series[2].failure = "crun: hybrid mode";
  r.memory.clear();
  auto lines = goal_checks(r);
  EXPECT_THAT(lines[0], HasSubstr("NOT MEASURED"));
  EXPECT_THAT(lines.back(), HasSubstr("NOT MEASURED"));
  for (const auto& line : lines) EXPECT_THAT(line, Not(HasSubstr("crun vs runc, run"))) << "no crun run row to compare";
}

TEST(GoalChecks, MissesTheMemoryGoalAboveOneMiB) {
  ContainerReport r = report();
  r.memory[0] = {"minictr", found(1 * MiB + 64 * KiB, Verdict::memory_failure)};
  EXPECT_EQ(goal_checks(r).back(), "minictr under a 1 MiB memory limit: does not start (smallest limit 1.06 MiB); goal: MISSED");
}

TEST(ContainerReportJson, HasEverySampleAndEveryMemoryAttempt) {
  auto j = container_report_json(report());
  EXPECT_EQ(j["benchmark"], "containers");
  ASSERT_EQ(j["series"].size(), 7u);
  EXPECT_EQ(j["series"][0]["samples"].size(), 3u);
  EXPECT_DOUBLE_EQ(j["series"][0]["total_ms"]["median"].get<double>(), 14);
  EXPECT_DOUBLE_EQ(j["series"][1]["samples"][0]["create_ms"].get<double>(), 4) << "lifecycle samples keep their steps";
  EXPECT_FALSE(j["series"][0]["samples"][0].contains("create_ms")) << "run samples have no steps";
  EXPECT_EQ(j["series"][5]["failure"], "create exited with code 1: no");
  EXPECT_EQ(j["memory"][2]["smallest_limit"], 2 * MiB + 64 * KiB);
  EXPECT_EQ(j["memory"][2]["trials"][1]["verdict"], "memory_failure");
  EXPECT_EQ(j["memory"][0]["outcome"], "passes_at_bottom");
}

}  // namespace
}  // namespace deploylab::bench
