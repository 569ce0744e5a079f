// grading/check_kit.cpp: judging the results `grade run` wrote, for `grade check-kit` (see
// check_kit.h). Pure functions only; the steps that run cmake and the grader live in
// check_kit_command.cpp.
#include "grading/check_kit.h"

#include <algorithm>
#include <sstream>

#include "grading/results.h"

namespace deploylab::grading {
namespace {


const TestResult* find_result(const std::vector<TestResult>& results, int lab, const std::string& test) {
  auto it = std::find_if(results.begin(), results.end(),
                         [&](const TestResult& r) { return r.lab == lab && r.name == test; });
  return it == results.end() ? nullptr : &*it;
}

bool in_set(const GradedTest& test, TestSet set) {
  if (set == TestSet::all) return true;
  return (test.visibility == Visibility::hidden) == (set == TestSet::hidden);
}

// FAIL, TIMEOUT and CRASH mean the test ran and did not pass; anything else means it never ran.
bool ran_and_failed(Outcome outcome) {
  return outcome == Outcome::fail || outcome == Outcome::timeout || outcome == Outcome::crash;
}

// Why `test` of `lab` does not meet `expectation`, or "" when it does.
std::string problem_with(const TestResult* result, int lab, const std::string& test, Expectation expectation) {
  std::string who = "lab " + std::to_string(lab) + ": " + test;
  if (result == nullptr) return who + " is missing from the results: the grader did not grade it";
  std::string outcome = to_string(result->verdict.outcome);
  if (expectation == Expectation::every_test_fails) {
    if (result->points() > 0) {
      return who + " passes without the solution: its solution region does not cover what it tests, or the test cannot fail";
    }
    if (!ran_and_failed(result->verdict.outcome)) {
      return who + " did not run on the kit (" + outcome + "), so the check cannot tell whether it fails";
    }
    return "";
  }
  if (result->verdict.outcome == Outcome::pass && result->max_points > 0) return "";
  return who + " scores " + format_points(result->points()) + "/" + format_points(result->max_points) +
         " on the reference (" + outcome + "): the reference solution or the test is wrong";
}

LabVerdict judge_lab(const std::vector<TestResult>& results, const LabSpec& lab, TestSet set, Expectation expectation,
                     const SkipSet& cannot_run_here) {
  LabVerdict verdict;
  verdict.lab = lab.number;
  for (const auto& test : lab.tests) {
    if (!in_set(test, set)) continue;
    ++verdict.tests;
    verdict.max_score += test.points;
    const TestResult* result = find_result(results, lab.number, test.name);
    if (result != nullptr) verdict.score += result->points();
    if (result != nullptr && result->verdict.outcome == Outcome::not_run && cannot_run_here.count({lab.number, test.name})) {
      verdict.not_run_here.push_back("lab " + std::to_string(lab.number) + ": " + test.name);
      continue;
    }
    std::string problem = problem_with(result, lab.number, test.name, expectation);
    if (problem.empty()) ++verdict.as_expected;
    else verdict.problems.push_back(std::move(problem));
  }
  return verdict;
}

const LabVerdict* verdict_for(const std::vector<LabVerdict>& verdicts, int lab) {
  auto it = std::find_if(verdicts.begin(), verdicts.end(), [&](const LabVerdict& v) { return v.lab == lab; });
  return it == verdicts.end() ? nullptr : &*it;
}

// "yes (5/5 fail)", "NO (4/5 fail)", "none" (no such tests) or "-" (not checked).
std::string fail_cell(const std::vector<LabVerdict>& verdicts, int lab) {
  const LabVerdict* v = verdict_for(verdicts, lab);
  if (v == nullptr) return "-";
  if (v->tests == 0) return "none";
  std::string skipped = v->not_run_here.empty() ? "" : ", " + std::to_string(v->not_run_here.size()) + " not run here";
  return std::string(v->ok() ? "yes" : "NO") + " (" + std::to_string(v->as_expected) + "/" + std::to_string(v->tests) +
         " fail" + skipped + ")";
}

std::string reference_cell(const std::vector<LabVerdict>& verdicts, int lab) {
  const LabVerdict* v = verdict_for(verdicts, lab);
  if (v == nullptr) return "-";
  return format_points(v->score) + "/" + format_points(v->max_score) + (v->ok() ? "" : " NO");
}

std::string padded(std::string text, std::size_t width) {
  if (text.size() < width) text.resize(width, ' ');
  return text;
}

bool all_ok(const std::vector<LabVerdict>& verdicts) {
  return std::all_of(verdicts.begin(), verdicts.end(), [](const LabVerdict& v) { return v.ok(); });
}

}  // namespace

SkipSet skipped_tests(const std::vector<TestResult>& results) {
  SkipSet skipped;
  for (const TestResult& r : results) {
    if (r.verdict.outcome == Outcome::not_run) skipped.insert({r.lab, r.name});
  }
  return skipped;
}

std::vector<LabVerdict> judge_results(const std::vector<TestResult>& results, const std::vector<LabSpec>& labs,
                                      TestSet set, Expectation expectation, const SkipSet& cannot_run_here) {
  std::vector<LabVerdict> verdicts;
  for (const auto& lab : labs) verdicts.push_back(judge_lab(results, lab, set, expectation, cannot_run_here));
  return verdicts;
}

bool report_passed(const KitCheckReport& report) {
  bool judged = report.finished && report.kit.size() == report.labs.size() && report.hidden.size() == report.labs.size() &&
                report.reference.size() == report.labs.size();
  return judged && all_ok(report.kit) && all_ok(report.hidden) && all_ok(report.reference);
}

std::string format_report(const KitCheckReport& report) {
  std::ostringstream out;
  out << "student-kit check\n  " << padded("lab", 5) << padded("tests", 7) << padded("kit: all fail", 20)
      << padded("hidden: all fail", 20) << "reference\n";
  for (const auto& lab : report.labs) {
    out << "  " << padded(std::to_string(lab.number), 5) << padded(std::to_string(lab.tests.size()), 7)
        << padded(fail_cell(report.kit, lab.number), 20) << padded(fail_cell(report.hidden, lab.number), 20)
        << reference_cell(report.reference, lab.number) << "\n";
  }
  std::vector<std::string> problems;
  for (const auto* verdicts : {&report.kit, &report.hidden, &report.reference}) {
    for (const auto& v : *verdicts) problems.insert(problems.end(), v.problems.begin(), v.problems.end());
  }
  if (!problems.empty()) out << "problems:\n";
  for (const auto& p : problems) out << "  - " << p << "\n";
  std::vector<std::string> skipped;
  for (const auto& v : report.reference) skipped.insert(skipped.end(), v.not_run_here.begin(), v.not_run_here.end());
  if (!skipped.empty()) out << "not run on this machine (each test skipped itself, saying why; where it can run, e.g. in CI, it is judged):\n";
  for (const auto& t : skipped) out << "  - " << t << "\n";
  if (report_passed(report) && report.labs.empty()) {
    out << "check-kit PASSED: the kit builds (there are no labs to grade yet)\n";
  } else if (report_passed(report)) {
    out << "check-kit PASSED: the kit builds, every graded test fails on it, and the reference scores full marks"
        << (skipped.empty() ? "" : " (but for the " + std::to_string(skipped.size()) + " tests this machine cannot run)") << "\n";
  } else {
    out << "check-kit FAILED" << (problems.empty() ? ": not every step was reached (see above)" : "") << "\n";
  }
  return out.str();
}

}  // namespace deploylab::grading
