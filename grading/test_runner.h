// grading/test_runner.h: run one graded test of a lab's test binary, sandboxed, and judge it.
//
// Each graded test runs alone, in a process of its own, so a crash or a hang costs only that
// test's points:
//
//   BUILD/bin/lab00_tests --gtest_filter=FileLock.ReleasedWhenDestroyed
//                         --gtest_output=json:/tmp/grade-XXXXXX/report.json
//
// in a fresh scratch directory (its cwd), inside the sandbox (sandbox.h), killed at lab.yaml's
// timeout, its output capped at 64 KiB. The verdict comes from the exit status plus gtest's JSON
// report (gtest_report.h), never from scraping the console:
//   PASS     the report lists the test with no failure, and the binary exited 0;
//   FAIL     the report lists failures: gtest's "file:line / Expected ... Which is: ..." text;
//   TIMEOUT  we killed it at the timeout;
//   CRASH    killed by a signal, or exited without writing a report (a stray exit());
//   NOT RUN  gtest skipped it (GTEST_SKIP, DISABLED_): no points.
// judge_run() and combine_runs() are pure, so each rule is unit-tested on made-up runs.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/child_process.h"
#include "common/result.h"
#include "grading/lab_spec.h"
#include "grading/results.h"
#include "grading/sandbox.h"

namespace deploylab::grading {

// Everything one run of one test left behind, for judge_run().
struct RunRecord {
  std::string name;                   // "Suite.Name"
  double timeout_s = 0;
  ExitStatus status;
  bool timed_out = false;
  double seconds = 0;
  std::string output;                 // stdout and stderr, merged in order
  std::optional<std::string> report;  // the JSON report's text, if the binary wrote one
};

// The verdict of a single run (runs = 1).
Verdict judge_run(const RunRecord& run);
// The verdict over repeated runs: PASS only if every run passed; otherwise the first bad run's
// verdict, saying "flaky: passed 2 of 3 runs" when some passed.
Verdict combine_runs(const std::vector<Verdict>& runs);

// Does `name` ("Suite.Name") match a gtest-style filter: `*` and `?` globs, alternatives joined
// by `:`, and optionally `-` followed by patterns to exclude ("FileLock.*:ParseSize.*-*Slow")?
bool gtest_filter_matches(std::string_view filter, std::string_view name);

// Moves the sandbox's note lines (sandbox.h) out of `output` and returns them as "sandbox: ..."
// lines, so they lead the test's output instead of hiding in it.
std::string take_sandbox_notes(std::string& output);

// "lab.yaml lists X but lab00_tests has no such test: did a test get renamed?"
std::string missing_test_message(const std::string& test, const std::string& binary_name);

// The tests `binary` has, from `--gtest_list_tests`.
Result<std::vector<std::string>> list_tests(const std::filesystem::path& binary);

struct RunSettings {
  SandboxPolicy sandbox;
  int repeat = 1;                             // runs per test; a TIMEOUT ends the repeats
  std::size_t output_limit = 64 * 1024;       // bytes of output kept per run
};

// Runs `test` from `binary` settings.repeat times and judges it. An error means the grader could
// not run it at all (no scratch directory, no such binary), not that the test failed.
Result<Verdict> run_graded_test(const std::filesystem::path& binary, const GradedTest& test,
                                const RunSettings& settings);

}  // namespace deploylab::grading
