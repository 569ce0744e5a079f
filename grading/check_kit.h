// grading/check_kit.h: the judgements of `grade check-kit` (check_kit_command.cpp runs the steps).
//
// check-kit proves three things about the student kit, from the results.json files that
// `grade run` writes (Gradescope schema, see grading/results.h):
//   - on the kit, every visible graded test fails: a test that passes without the solution
//     grades nothing;
//   - on the kit plus the hidden test files, every hidden test fails too;
//   - on the reference tree, every test passes: full marks.
// A test that did not run (it is missing from the results, or its outcome is NOT_RUN, MISSING,
// BUILD_FAILED) proves nothing either way, so it is a problem too. All of this is pure (parsed
// JSON and lab specs in, verdicts out), so it is unit-tested in kit_test.cpp.
#pragma once


#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "grading/lab_spec.h"
#include "grading/results.h"

namespace deploylab::grading {

enum class TestSet { visible, hidden, all };
enum class Expectation { every_test_fails, full_marks };

// What one run said about one lab, against the expectation.
struct LabVerdict {
  int lab = 0;
  int tests = 0;        // graded tests of the lab in the chosen set
  int as_expected = 0;  // of those, how many failed (every_test_fails) or scored full (full_marks)
  double score = 0;
  double max_score = 0;
  std::vector<std::string> problems;  // one line per test that did not, saying why and what to do
  std::vector<std::string> not_run_here;  // "lab N: Test": skipped where this machine cannot run it
  bool ok() const { return problems.empty(); }
};

// Graded tests that GoogleTest skipped (GTEST_SKIP: the test found that this machine cannot run
// it, e.g. user namespaces in a chroot), as {lab, name}: what the reference's results say.
using SkipSet = std::set<std::pair<int, std::string>>;
SkipSet skipped_tests(const std::vector<TestResult>& results);

// Judges `results` for each lab of `labs`, over the tests of `set` that lab.yaml lists. A test in
// `cannot_run_here` that did not run either proves nothing here, and is listed in not_run_here
// instead of problems: the machine that allows it (CI, a student's laptop) judges it.
std::vector<LabVerdict> judge_results(const std::vector<TestResult>& results, const std::vector<LabSpec>& labs,
                                      TestSet set, Expectation expectation, const SkipSet& cannot_run_here = {});

// The three judgements of one check-kit run, for the report. A judgement left empty was not
// reached (an earlier step failed) and shows as "-".
struct KitCheckReport {
  std::vector<LabSpec> labs;
  std::vector<LabVerdict> kit;        // visible tests on the kit
  std::vector<LabVerdict> hidden;     // hidden tests on the kit plus the hidden files
  std::vector<LabVerdict> reference;  // every test on the reference tree
  bool finished = false;              // every step ran (false: one stopped the check)
};

// The per-lab table and the list of problems, ending in a PASSED or FAILED line.
std::string format_report(const KitCheckReport& report);
// True when every step ran and every lab passed all three judgements.
bool report_passed(const KitCheckReport& report);


}  // namespace deploylab::grading
