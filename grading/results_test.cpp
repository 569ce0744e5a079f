// grading/results_test.cpp: scoring and the shape of results.json (the Gradescope schema).
#include "grading/results.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace deploylab::grading {
namespace {

using nlohmann::json;

GradedTest graded(const std::string& name, double points, Visibility visibility = Visibility::visible) {
  GradedTest t;
  t.name = name;
  t.points = points;
  t.timeout_s = 10;
  t.visibility = visibility;
  return t;
}

RunResults two_labs() {
  RunResults r;
  r.add_pending(0, graded("FileLock.ReleasedWhenDestroyed", 2));
  r.add_pending(0, graded("ParseSize.Suffixes", 2.5, Visibility::hidden));
  r.add_pending(1, graded("Kvm.Hello", 3));
  return r;
}

TEST(RunResults, OnlyPassingTestsScore) {
  RunResults r = two_labs();
  r.record(0, "FileLock.ReleasedWhenDestroyed", Verdict{Outcome::pass, 0.03, "", 1, 1});
  r.record(0, "ParseSize.Suffixes", Verdict{Outcome::timeout, 5, "killed", 1, 0});
  EXPECT_EQ(r.score(), 2);
  EXPECT_EQ(r.max_score(), 7.5);
  EXPECT_EQ(r.lab_score(0), 2);
  EXPECT_EQ(r.lab_max_score(0), 4.5);
  EXPECT_EQ(r.lab_max_score(1), 3);
  EXPECT_FALSE(r.full_marks());
  EXPECT_EQ(r.find(1, "Kvm.Hello")->verdict.outcome, Outcome::pending);
}

TEST(RunResults, BuildFailureMarksOnlyPendingTestsOfThatLab) {
  RunResults r = two_labs();
  r.record(0, "FileLock.ReleasedWhenDestroyed", Verdict{Outcome::missing, 0, "renamed?", 0, 0});
  r.record_lab(0, Verdict{Outcome::build_failed, 0, "error: x", 0, 0});
  EXPECT_EQ(r.find(0, "FileLock.ReleasedWhenDestroyed")->verdict.outcome, Outcome::missing);
  EXPECT_EQ(r.find(0, "ParseSize.Suffixes")->verdict.outcome, Outcome::build_failed);
  EXPECT_EQ(r.find(1, "Kvm.Hello")->verdict.outcome, Outcome::pending);
}

TEST(RunResults, FullMarksNeedsEveryTestAndAtLeastOne) {
  RunResults r;
  EXPECT_FALSE(r.full_marks());
  r.add_pending(0, graded("A.B", 1));
  r.record(0, "A.B", Verdict{Outcome::pass, 0, "", 1, 1});
  EXPECT_TRUE(r.full_marks());
}

TEST(FormatPoints, NoTrailingZeros) {
  EXPECT_EQ(format_points(7), "7");
  EXPECT_EQ(format_points(2.5), "2.5");
  EXPECT_EQ(format_points(0), "0");
  EXPECT_EQ(format_points(0.25), "0.25");
  EXPECT_EQ(format_points(10), "10");
}

TEST(GradescopeJson, PendingFileIsValidAndSaysNotRunYet) {
  json doc = json::parse(to_gradescope_json(two_labs()));
  EXPECT_EQ(doc["score"], 0);
  EXPECT_EQ(doc["visibility"], "visible");
  EXPECT_EQ(doc["stdout_visibility"], "visible");
  EXPECT_EQ(doc["output"], "Score: 0/7.5");
  ASSERT_EQ(doc["tests"].size(), 3u);
  for (const auto& t : doc["tests"]) {
    EXPECT_EQ(t["status"], "failed");
    EXPECT_EQ(t["score"], 0);
    EXPECT_EQ(t["output"], "not run yet");
    EXPECT_EQ(t["extra_data"]["outcome"], "PENDING");
  }
}

TEST(GradescopeJson, EveryFieldOfATest) {
  RunResults r = two_labs();
  r.record(0, "FileLock.ReleasedWhenDestroyed", Verdict{Outcome::pass, 0.0314, "", 3, 3});
  r.record(0, "ParseSize.Suffixes", Verdict{Outcome::fail, 0.5, "flaky: passed 2 of 3 runs", 3, 2});
  r.execution_time = 12.3456;
  json doc = json::parse(to_gradescope_json(r));
  EXPECT_EQ(doc["score"], 2);
  EXPECT_EQ(doc["execution_time"], 12.346);
  EXPECT_EQ(doc["output"], "Score: 2/7.5");

  json expected_first = {
      {"name", "lab 0: FileLock.ReleasedWhenDestroyed"}, {"number", "0.1"}, {"score", 2}, {"max_score", 2},
      {"status", "passed"}, {"output", ""}, {"visibility", "visible"},
      {"extra_data", {{"outcome", "PASS"}, {"seconds", 0.031}, {"lab", 0}, {"runs", 3}, {"passed_runs", 3}}}};
  EXPECT_EQ(doc["tests"][0], expected_first) << doc["tests"][0].dump(2);

  const json& second = doc["tests"][1];
  EXPECT_EQ(second["number"], "0.2");
  EXPECT_EQ(second["status"], "failed");
  EXPECT_EQ(second["score"], 0);
  EXPECT_EQ(second["max_score"], 2.5);
  EXPECT_EQ(second["visibility"], "hidden");
  EXPECT_EQ(second["output"], "flaky: passed 2 of 3 runs");
  EXPECT_EQ(second["extra_data"]["passed_runs"], 2);
  EXPECT_EQ(doc["tests"][2]["number"], "1.1");
  EXPECT_EQ(doc["tests"][2]["name"], "lab 1: Kvm.Hello");
}

TEST(ParseResultsJson, ReadsBackWhatWasWritten) {
  RunResults r = two_labs();
  r.record(0, "FileLock.ReleasedWhenDestroyed", Verdict{Outcome::pass, 0.25, "", 1, 1});
  r.record(0, "ParseSize.Suffixes", Verdict{Outcome::timeout, 10, "killed after 10 s", 1, 0});
  auto tests = parse_results_json(to_gradescope_json(r), "r.json").value();
  ASSERT_EQ(tests.size(), 3u);
  EXPECT_EQ(tests[0].lab, 0);
  EXPECT_EQ(tests[0].name, "FileLock.ReleasedWhenDestroyed");
  EXPECT_EQ(tests[0].verdict.outcome, Outcome::pass);
  EXPECT_EQ(tests[0].verdict.seconds, 0.25);
  EXPECT_EQ(tests[1].verdict.outcome, Outcome::timeout);
  EXPECT_EQ(tests[1].verdict.output, "killed after 10 s");
  EXPECT_EQ(tests[1].visibility, Visibility::hidden);
  EXPECT_EQ(tests[1].max_points, 2.5);
  EXPECT_EQ(tests[2].lab, 1);
  EXPECT_EQ(tests[2].verdict.outcome, Outcome::pending);
  EXPECT_EQ(tests[2].verdict.output, "") << "a pending test's `not run yet` is not a verdict's output";
}

TEST(ParseResultsJson, BadFilesAreErrorsNamingThePlace) {
  EXPECT_NE(parse_results_json("{", "r.json").error().message().find("not a results.json"), std::string::npos);
  std::string bad_outcome = R"({"tests": [{"name": "lab 0: A.B", "max_score": 1, "extra_data": {"outcome": "MAYBE"}}]})";
  EXPECT_NE(parse_results_json(bad_outcome, "r.json").error().message().find("unknown outcome `MAYBE` `r.json: tests[0]`"),
            std::string::npos)
      << parse_results_json(bad_outcome, "r.json").error().message();
  EXPECT_FALSE(parse_results_json(R"({"tests": [{"name": "A.B"}]})", "r.json").ok());
}

}  // namespace
}  // namespace deploylab::grading
