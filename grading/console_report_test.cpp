// grading/console_report_test.cpp: the grader's console lines, character for character.
#include "grading/console_report.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>

namespace deploylab::grading {
namespace {

TestResult result(const std::string& name, double max, Verdict verdict) {
  TestResult t;
  t.lab = 0;
  t.name = name;
  t.max_points = max;
  t.verdict = std::move(verdict);
  return t;
}

TEST(FormatTest, PassLineWithoutDetails) {
  auto t = result("FileLock.ReleasedWhenDestroyed", 2, {Outcome::pass, 0.031, "sandbox: no PID namespace", 1, 1});
  EXPECT_EQ(format_test(t, 32, Color::off), "  PASS     FileLock.ReleasedWhenDestroyed       2/2  0.03s\n");
}

TEST(FormatTest, FailureDetailsAreIndentedUnderTheLine) {
  auto t = result("ParseSize.Suffixes", 2.5,
                  {Outcome::fail, 0.01, "x_test.cpp:23\nExpected equality of these values:\n  f()\n    Which is: 41\n  42", 1, 0});
  EXPECT_EQ(format_test(t, 18, Color::off),
            "  FAIL     ParseSize.Suffixes   0/2.5  0.01s\n"
            "           x_test.cpp:23\n"
            "           Expected equality of these values:\n"
            "             f()\n"
            "               Which is: 41\n"
            "             42\n");
}

TEST(FormatTest, LongDetailsAreCutAfterThirtyLines) {
  std::string output;
  for (int i = 1; i <= 40; ++i) output += "line " + std::to_string(i) + "\n";
  auto t = result("A.B", 1, {Outcome::crash, 1, output, 1, 0});
  std::string text = format_test(t, 3, Color::off);
  EXPECT_NE(text.find("           line 30\n           ... (10 more lines)\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("line 31"), std::string::npos);
}

TEST(FormatTest, EveryOutcomeHasItsWord) {
  auto line = [](Outcome o) { return format_test(result("A.B", 1, {o, 0, "", 1, 0}), 3, Color::off).substr(0, 11); };
  EXPECT_EQ(line(Outcome::timeout), "  TIMEOUT  ");
  EXPECT_EQ(line(Outcome::crash), "  CRASH    ");
  EXPECT_EQ(line(Outcome::not_run), "  NOT RUN  ");
  EXPECT_EQ(line(Outcome::missing), "  MISSING  ");
  EXPECT_EQ(line(Outcome::build_failed), "  ERROR    ");
}

TEST(FormatTest, BuildFailureDetailsAreNotRepeatedPerTest) {
  auto t = result("A.B", 1, {Outcome::build_failed, 0, "main.cpp:5:3: error: expected ';'", 0, 0});
  EXPECT_EQ(format_test(t, 3, Color::off), "  ERROR    A.B     0/1  0.00s\n");
  EXPECT_EQ(format_lab_failure("build of lab00_tests failed", "main.cpp:5:3: error: expected ';'", Color::off),
            "  build of lab00_tests failed: every test of this lab scores 0\n"
            "           main.cpp:5:3: error: expected ';'\n");
}

TEST(FormatTest, ColourOnlyPaintsTheLabel) {
  auto t = result("A.B", 1, {Outcome::pass, 0, "", 1, 1});
  EXPECT_EQ(format_test(t, 3, Color::on), "  \033[32mPASS   \033[0m  A.B     1/1  0.00s\n");
}

TEST(FormatScore, SubtotalAndScoreWithoutTrailingZeros) {
  RunResults r;
  r.add_pending(0, GradedTest{"A.B", 2, 10, Visibility::visible});
  r.add_pending(0, GradedTest{"A.C", 2.5, 10, Visibility::visible});
  r.add_pending(1, GradedTest{"K.D", 3, 10, Visibility::hidden});
  r.record(0, "A.C", Verdict{Outcome::pass, 0, "", 1, 1});
  EXPECT_EQ(format_lab_subtotal(r, 0), "  lab 0 subtotal: 2.5/4.5\n");
  EXPECT_EQ(format_score(r, Color::off), "Score: 2.5/7.5\n");
  EXPECT_EQ(format_score(r, Color::on), "\033[1mScore: 2.5/7.5\033[0m\n");
}

TEST(FormatLabHeader, NumberAndTitle) {
  LabSpec lab;
  lab.number = 0;
  lab.title = "Warm-up: RAII owners and Result";
  lab.tests = {GradedTest{"Short.A", 1, 1, Visibility::visible}, GradedTest{"LongerName.B", 1, 1, Visibility::visible}};
  EXPECT_EQ(format_lab_header(lab, Color::off), "lab 0: Warm-up: RAII owners and Result\n");
  EXPECT_EQ(name_width(lab), 12u);
}

TEST(UseColor, NoColorOrNoTerminalMeansNoColour) {
  const char* saved = std::getenv("NO_COLOR");
  std::string kept = saved ? saved : "";
  ::setenv("NO_COLOR", "1", 1);
  EXPECT_EQ(use_color(1), Color::off);
  if (saved) ::setenv("NO_COLOR", kept.c_str(), 1); else ::unsetenv("NO_COLOR");
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  EXPECT_EQ(use_color(fds[1]), Color::off);  // a pipe is no terminal
  ::close(fds[0]);
  ::close(fds[1]);
}

}  // namespace
}  // namespace deploylab::grading
