// grading/gtest_report.h: what a GoogleTest binary says about its tests, parsed.
//
// The grader never scrapes gtest's console output to decide a score. It asks the test binary for
// two machine-readable things and parses them here, pure text in and structs out:
//   - `--gtest_list_tests`: which tests the binary has (to catch a lab.yaml naming a test that was
//     renamed or deleted before running anything);
//   - `--gtest_output=json:FILE`: what happened to each test that ran: its status, its result and,
//     for a failure, gtest's own message ("file:line\nExpected equality of these values: ...
//     Which is: 41"), which is exactly the "what was expected and what was seen" a student needs.
// A binary that crashed or called exit() writes no report at all; test_runner.cpp judges that.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace deploylab::grading {

// One test case as the JSON report describes it.
struct GtestCase {
  std::string name;                   // "Suite.Name"
  bool ran = false;                   // status RUN (not NOTRUN: filtered out or DISABLED_)
  bool skipped = false;               // result SKIPPED (GTEST_SKIP) or SUPPRESSED (disabled)
  double seconds = 0;                 // gtest's own timing of the test body
  std::vector<std::string> failures;  // one message per failed assertion, "file:line\n..."
};

struct GtestReport {
  std::vector<GtestCase> cases;
  // The case called `name` ("Suite.Name"), or nullptr.
  const GtestCase* find(std::string_view name) const;
};

// Parses the text of a `--gtest_output=json:` report; `source` names it in errors.
Result<GtestReport> parse_gtest_json(std::string_view json_text, const std::string& source);

// Parses `--gtest_list_tests` output into "Suite.Name" entries, in the binary's order. Lines gtest
// prints before the list ("Running main() from ...") and the "# GetParam() = ..." comments of
// parameterized tests are ignored.
std::vector<std::string> parse_gtest_list(std::string_view list_output);

}  // namespace deploylab::grading
