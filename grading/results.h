// grading/results.h: the outcome of a grading run, as data, and its Gradescope results.json.
//
// `grade run` fills a RunResults as it goes: every selected test starts pending, then each is
// recorded when its verdict is in (test_runner.cpp) or when its lab fails to build
// (lab_build.cpp). The console (console_report.cpp) and the results file are two views of this one
// model. The file follows the Gradescope autograder schema, so the same `grade run` works on a
// student's machine and inside Gradescope:
//
//   {"score": 5, "execution_time": 3.2, "output": "Score: 5/7", "visibility": "visible",
//    "stdout_visibility": "visible",
//    "tests": [{"name": "lab 0: FileLock.ReleasedWhenDestroyed", "number": "0.1", "score": 2,
//               "max_score": 2, "status": "passed", "output": "", "visibility": "visible",
//               "extra_data": {"outcome": "PASS", "seconds": 0.03, "lab": 0, "runs": 1,
//                              "passed_runs": 1}}, ...]}
//
// Building the JSON is pure, so its shape is unit-tested; grade_command.cpp writes it with
// write_file_atomic() after every test, so a grader that dies mid-run leaves a valid file.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "grading/lab_spec.h"

namespace deploylab::grading {

// What happened to a graded test. Only pass earns points.
enum class Outcome {
  pending,       // not run yet
  pass,          // every run passed
  fail,          // an assertion failed (or the binary reported failure)
  timeout,       // killed at the lab.yaml timeout
  crash,         // killed by a signal, or exited without writing its report
  not_run,       // gtest skipped it (GTEST_SKIP) or it is DISABLED_
  build_failed,  // the lab's test binary did not build: nothing could run
  missing,       // lab.yaml names a test the binary does not have
};

// "PASS", "NOT_RUN", "BUILD_FAILED": the outcome's name in results.json.
std::string to_string(Outcome outcome);

// The result of running one test (perhaps several times, with --repeat).
struct Verdict {
  Outcome outcome = Outcome::pending;
  double seconds = 0;   // wall time of the slowest run
  std::string output;   // what a student reads: failure messages, crash and timeout details
  int runs = 0;
  int passed_runs = 0;
};

struct TestResult {
  int lab = 0;
  std::string name;     // GoogleTest "Suite.Name"
  double max_points = 0;
  Visibility visibility = Visibility::visible;
  Verdict verdict;
  double points() const { return verdict.outcome == Outcome::pass ? max_points : 0; }
};

class RunResults {
 public:
  // Adds `test` of `lab` as pending ("not run yet").
  void add_pending(int lab, const GradedTest& test);
  // Records the verdict of a test added before; an unknown test is ignored.
  void record(int lab, std::string_view name, Verdict verdict);
  // Gives every still-pending test of `lab` the same verdict (a build failure).
  void record_lab(int lab, const Verdict& verdict);

  const std::vector<TestResult>& tests() const { return tests_; }
  const TestResult* find(int lab, std::string_view name) const;
  double score() const;
  double max_score() const;
  double lab_score(int lab) const;
  double lab_max_score(int lab) const;
  bool full_marks() const { return !tests_.empty() && score() == max_score(); }

  double execution_time = 0;  // seconds since grading started

 private:
  std::vector<TestResult> tests_;
};

// Points for people: 7 not 7.000000, 2.5 stays 2.5.
std::string format_points(double points);

// The Gradescope results.json text (see the example above).
std::string to_gradescope_json(const RunResults& results);

// The outcome named `word` in results.json ("PASS", "NOT_RUN", ...), if it names one.
std::optional<Outcome> outcome_from_string(std::string_view word);

// Reads back the tests of a results.json that to_gradescope_json() wrote: the grader uses it to
// take over the verdicts of a grader it ran inside the KVM test host. `source` names the file.
Result<std::vector<TestResult>> parse_results_json(std::string_view text, const std::string& source);

}  // namespace deploylab::grading
