// grading/gtest_report_test.cpp: parsing real GoogleTest 1.12 output. The samples were produced
// by grader_fixture_tests (grading/testdata/fixture_test.cpp) and trimmed of unused fields.
#include "grading/gtest_report.h"

#include <gtest/gtest.h>

namespace deploylab::grading {
namespace {

// `grader_fixture_tests --gtest_filter=Fixture.FailsWithExpectedAndSeen --gtest_output=json:...`
const char* kFailedReport = R"({
  "tests": 1, "failures": 1, "disabled": 0, "errors": 0, "time": "0s", "name": "AllTests",
  "testsuites": [
    {
      "name": "Fixture", "tests": 1, "failures": 1, "disabled": 0, "errors": 0, "time": "0s",
      "testsuite": [
        {
          "name": "FailsWithExpectedAndSeen",
          "file": "\/work\/main\/grading\/testdata\/fixture_test.cpp",
          "line": 23, "status": "RUN", "result": "COMPLETED", "time": "0.012s", "classname": "Fixture",
          "failures": [
            {
              "failure": "\/work\/main\/grading\/testdata\/fixture_test.cpp:23\nExpected equality of these values:\n  answer()\n    Which is: 41\n  42\nthe answer is off by one",
              "type": ""
            }
          ]
        }
      ]
    }
  ]
})";

// Fixture.Skipped (GTEST_SKIP) and Fixture.Throws in one report.
const char* kSkippedAndThrown = R"({
  "tests": 2, "name": "AllTests",
  "testsuites": [
    {
      "name": "Fixture",
      "testsuite": [
        {"name": "Skipped", "status": "RUN", "result": "SKIPPED", "time": "0s", "classname": "Fixture"},
        {"name": "Throws", "status": "RUN", "result": "COMPLETED", "time": "0s", "classname": "Fixture",
         "failures": [{"failure": "unknown file\nC++ exception with description \"not implemented: lab 9: do the thing\" thrown in the test body.", "type": ""}]}
      ]
    }
  ]
})";

// A DISABLED_ test named in --gtest_filter: listed, but not run.
const char* kDisabled = R"({"testsuites": [{"name": "Fixture", "testsuite": [
  {"name": "DISABLED_Later", "status": "NOTRUN", "result": "SUPPRESSED", "time": "0s", "classname": "Fixture"}]}]})";

TEST(ParseGtestJson, FailureKeepsExpectedAndSeen) {
  auto report = parse_gtest_json(kFailedReport, "report.json").value();
  ASSERT_EQ(report.cases.size(), 1u);
  const GtestCase* c = report.find("Fixture.FailsWithExpectedAndSeen");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->ran);
  EXPECT_FALSE(c->skipped);
  EXPECT_DOUBLE_EQ(c->seconds, 0.012);
  ASSERT_EQ(c->failures.size(), 1u);
  EXPECT_EQ(c->failures[0],
            "/work/main/grading/testdata/fixture_test.cpp:23\nExpected equality of these values:\n  answer()\n"
            "    Which is: 41\n  42\nthe answer is off by one");
}

TEST(ParseGtestJson, SkippedAndExceptionCases) {
  auto report = parse_gtest_json(kSkippedAndThrown, "report.json").value();
  ASSERT_EQ(report.cases.size(), 2u);
  EXPECT_TRUE(report.find("Fixture.Skipped")->skipped);
  EXPECT_TRUE(report.find("Fixture.Skipped")->failures.empty());
  ASSERT_EQ(report.find("Fixture.Throws")->failures.size(), 1u);
  EXPECT_NE(report.find("Fixture.Throws")->failures[0].find("not implemented: lab 9: do the thing"), std::string::npos);
  EXPECT_EQ(report.find("Fixture.Missing"), nullptr);
}

TEST(ParseGtestJson, DisabledTestDidNotRun) {
  auto report = parse_gtest_json(kDisabled, "report.json").value();
  const GtestCase* c = report.find("Fixture.DISABLED_Later");
  ASSERT_NE(c, nullptr);
  EXPECT_FALSE(c->ran);
  EXPECT_TRUE(c->skipped);
}

TEST(ParseGtestJson, TruncatedReportIsAnErrorNamingTheFile) {
  std::string half = std::string(kFailedReport).substr(0, 200);
  auto report = parse_gtest_json(half, "/tmp/x/report.json");
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().message(),
            "GoogleTest report is not valid JSON `/tmp/x/report.json` (hint: the test binary probably died while "
            "writing it)");
  EXPECT_FALSE(parse_gtest_json("[1, 2]", "r.json").ok());
}

TEST(ParseGtestList, SuitesTestsAndParameterComments) {
  // Real `--gtest_list_tests` output, plus a typed and a value-parameterized suite.
  const char* listing =
      "Running main() from ./googletest/src/gtest_main.cc\n"
      "Fixture.\n"
      "  Passes\n"
      "  FailsWithExpectedAndSeen\n"
      "Sizes/ParseSize.  # TypeParam = int\n"
      "  Suffix/0  # GetParam() = (\"1k\", 1024)\n"
      "  Suffix/1  # GetParam() = (\"2M\", 2097152)\n";
  std::vector<std::string> expected = {"Fixture.Passes", "Fixture.FailsWithExpectedAndSeen",
                                       "Sizes/ParseSize.Suffix/0", "Sizes/ParseSize.Suffix/1"};
  EXPECT_EQ(parse_gtest_list(listing), expected);
  EXPECT_TRUE(parse_gtest_list("").empty());
}

}  // namespace
}  // namespace deploylab::grading
