// grading/test_runner_test.cpp: the judging rules on made-up runs, then the real runner and
// sandbox against grader_fixture_tests (grading/testdata/fixture_test.cpp), one outcome each.
#include "grading/test_runner.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace deploylab::grading {
namespace {

using namespace std::chrono_literals;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// --- pure rules ---------------------------------------------------------------------------

TEST(GtestFilter, GlobsAlternativesAndExclusions) {
  EXPECT_TRUE(gtest_filter_matches("*", "FileLock.Released"));
  EXPECT_TRUE(gtest_filter_matches("FileLock.*", "FileLock.Released"));
  EXPECT_FALSE(gtest_filter_matches("FileLock.*", "ParseSize.Suffixes"));
  EXPECT_TRUE(gtest_filter_matches("Nope.*:ParseSize.Suffix?s", "ParseSize.Suffixes"));
  EXPECT_TRUE(gtest_filter_matches("*Size*", "ParseSize.Suffixes"));
  EXPECT_FALSE(gtest_filter_matches("*.Released", "FileLock.ReleasedTwice"));
  EXPECT_FALSE(gtest_filter_matches("*-*Slow*", "Store.SlowCompaction"));
  EXPECT_TRUE(gtest_filter_matches("-*Slow*", "Store.Put"));
  EXPECT_TRUE(gtest_filter_matches("a*b*c", "aXXbYYbc"));
}

TEST(SandboxNotes, MovedOutOfTheOutput) {
  std::string output = "grade sandbox: no PID namespace: EPERM\n[ RUN      ] A.B\ngrade sandbox: no network namespace: EPERM\nok\n";
  EXPECT_EQ(take_sandbox_notes(output), "sandbox: no PID namespace: EPERM\nsandbox: no network namespace: EPERM\n");
  EXPECT_EQ(output, "[ RUN      ] A.B\nok\n");
}

TEST(MissingTest, SaysWhatToCheck) {
  EXPECT_EQ(missing_test_message("FileLock.Gone", "lab00_tests"),
            "lab.yaml lists FileLock.Gone but lab00_tests has no such test: did a test get renamed?");
}

RunRecord record(ExitStatus status, std::optional<std::string> report, std::string output = "") {
  return RunRecord{"Fixture.Passes", 5, status, false, 0.25, std::move(output), std::move(report)};
}

const char* kPassReport = R"({"testsuites": [{"name": "Fixture", "testsuite": [
  {"name": "Passes", "status": "RUN", "result": "COMPLETED", "time": "0s"}]}]})";

TEST(JudgeRun, EachOutcome) {
  EXPECT_EQ(judge_run(record({0, 0}, kPassReport)).outcome, Outcome::pass);
  EXPECT_EQ(judge_run(record({0, 0}, kPassReport)).passed_runs, 1);

  Verdict crashed = judge_run(record({-1, SIGABRT}, std::nullopt, "[ RUN      ] Fixture.Passes\nboom\n"));
  EXPECT_EQ(crashed.outcome, Outcome::crash);
  EXPECT_EQ(crashed.output, "the test binary was killed by SIGABRT (Aborted)\nlast lines of its output:\n"
                            "[ RUN      ] Fixture.Passes\nboom");

  Verdict asan = judge_run(record({1, 0}, std::nullopt, "==2==ERROR: AddressSanitizer: heap-use-after-free\n"));
  EXPECT_EQ(asan.outcome, Outcome::crash);
  EXPECT_TRUE(contains(asan.output, "exited with code 1: AddressSanitizer found a bug")) << asan.output;

  Verdict exited = judge_run(record({0, 0}, std::nullopt));
  EXPECT_EQ(exited.outcome, Outcome::crash);
  EXPECT_TRUE(contains(exited.output, "exited with code 0 before GoogleTest wrote its report")) << exited.output;

  RunRecord hung = record({-1, SIGKILL}, std::nullopt, "waiting\n");
  hung.timed_out = true;
  hung.timeout_s = 1.5;
  EXPECT_EQ(judge_run(hung).output, "killed after 1.5 s: lab.yaml's timeout for this test (is something waiting "
                                    "forever?)\nlast lines of its output:\nwaiting");

  Verdict leaked = judge_run(record({3, 0}, kPassReport));
  EXPECT_EQ(leaked.outcome, Outcome::fail);
  EXPECT_TRUE(contains(leaked.output, "the test passed, but then the test binary exited with code 3"));
}

TEST(CombineRuns, PassOnlyIfEveryRunPasses) {
  Verdict pass{Outcome::pass, 0.1, "", 1, 1};
  Verdict fail{Outcome::fail, 0.3, "x.cpp:1\nExpected ...", 1, 0};
  Verdict all = combine_runs({pass, pass, pass});
  EXPECT_EQ(all.outcome, Outcome::pass);
  EXPECT_EQ(all.runs, 3);
  EXPECT_EQ(all.passed_runs, 3);

  Verdict flaky = combine_runs({pass, fail, pass});
  EXPECT_EQ(flaky.outcome, Outcome::fail);
  EXPECT_EQ(flaky.passed_runs, 2);
  EXPECT_DOUBLE_EQ(flaky.seconds, 0.3);
  EXPECT_EQ(flaky.output, "flaky: passed 2 of 3 runs\nx.cpp:1\nExpected ...");

  EXPECT_EQ(combine_runs({fail, fail}).output, "passed 0 of 2 runs\nx.cpp:1\nExpected ...");
  EXPECT_EQ(combine_runs({fail}).output, "x.cpp:1\nExpected ...");
}

// --- the real runner, against the fixture binary ----------------------------------------------

const std::filesystem::path kFixture = GRADER_FIXTURE;

Verdict run_fixture(const std::string& name, double timeout_s = 20, Network network = Network::none, int repeat = 1) {
  GradedTest test{"Fixture." + name, 1, timeout_s, Visibility::visible};
  RunSettings settings;
  settings.sandbox = SandboxPolicy{network};
  settings.repeat = repeat;
  return run_graded_test(kFixture, test, settings).value();
}

// PIDs of processes whose argv[0] is `name`, as seen from here.
std::vector<pid_t> processes_named(const std::string& name) {
  std::vector<pid_t> found;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::string pid = entry.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream cmdline(entry.path() / "cmdline");
    std::string argv0;
    if (std::getline(cmdline, argv0, '\0') && argv0 == name) found.push_back(std::stoi(pid));
  }
  return found;
}

TEST(Runner, ListsTheFixturesTests) {
  auto tests = list_tests(kFixture).value();
  EXPECT_EQ(tests.size(), 9u);
  EXPECT_EQ(tests.front(), "Fixture.Passes");
  EXPECT_FALSE(list_tests("/nonexistent/lab99_tests").ok());
}

TEST(Runner, Passes) {
  Verdict v = run_fixture("Passes");
  EXPECT_EQ(v.outcome, Outcome::pass) << v.output;
  EXPECT_EQ(v.runs, 1);
  EXPECT_LT(v.seconds, 5);
}

TEST(Runner, FailureShowsWhereWhatWasExpectedAndWhatWasSeen) {
  Verdict v = run_fixture("FailsWithExpectedAndSeen");
  EXPECT_EQ(v.outcome, Outcome::fail);
  EXPECT_TRUE(contains(v.output, "fixture_test.cpp:")) << v.output;
  EXPECT_TRUE(contains(v.output, "Expected equality of these values:\n  answer()\n    Which is: 41\n  42")) << v.output;
}

TEST(Runner, HangIsKilledAtTheTimeout) {
  auto start = std::chrono::steady_clock::now();
  Verdict v = run_fixture("Hangs", 1);
  EXPECT_EQ(v.outcome, Outcome::timeout) << v.output;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
  EXPECT_TRUE(contains(v.output, "killed after 1 s")) << v.output;
}

TEST(Runner, CrashNamesTheSignal) {
  Verdict v = run_fixture("Crashes");
  EXPECT_EQ(v.outcome, Outcome::crash);
  EXPECT_TRUE(contains(v.output, "killed by SIGSEGV")) << v.output;
  EXPECT_TRUE(contains(v.output, "[ RUN      ] Fixture.Crashes")) << v.output;
}

TEST(Runner, NotImplementedReachesTheOutput) {
  Verdict v = run_fixture("Throws");
  EXPECT_EQ(v.outcome, Outcome::fail);
  EXPECT_TRUE(contains(v.output, "not implemented: lab 9: do the thing")) << v.output;
}

TEST(Runner, SkippedTestIsNotRun) {
  Verdict v = run_fixture("Skipped");
  EXPECT_EQ(v.outcome, Outcome::not_run) << v.output;
}

TEST(Runner, ExitBeforeTheReportIsACrash) {
  Verdict v = run_fixture("ExitsEarly");
  EXPECT_EQ(v.outcome, Outcome::crash);
  EXPECT_TRUE(contains(v.output, "exited with code 0 before GoogleTest wrote its report")) << v.output;
}

TEST(Sandbox, LeftoverProcessDiesWithTheTest) {
  Verdict v = run_fixture("LeavesAChildRunning");
  EXPECT_EQ(v.outcome, Outcome::pass) << v.output;
  if (contains(v.output, "no subreaper either")) {
    for (pid_t pid : processes_named("deploylab-fixture-leftover")) ::kill(pid, SIGKILL);
    GTEST_SKIP() << "this machine gives neither a PID namespace nor a subreaper: " << v.output;
  }
  EXPECT_TRUE(processes_named("deploylab-fixture-leftover").empty())
      << "the `sleep 1000` the test started in its own session is still running";
}

TEST(Sandbox, NetworkNoneSeesOnlyLoopback) {
  Verdict v = run_fixture("SeesNoNetwork", 20, Network::none);
  if (contains(v.output, "no network namespace")) GTEST_SKIP() << v.output;
  EXPECT_EQ(v.outcome, Outcome::pass) << v.output;
}

TEST(Sandbox, NetworkHostSeesTheHostsInterfaces) {
  size_t interfaces = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/sys/class/net")) ++interfaces;
  if (interfaces <= 1) GTEST_SKIP() << "this machine has no interface but lo";
  Verdict v = run_fixture("SeesNoNetwork", 20, Network::host);
  EXPECT_EQ(v.outcome, Outcome::fail) << v.output;
}

TEST(Repeat, EveryRunMustPass) {
  Verdict passes = run_fixture("Passes", 20, Network::none, 3);
  EXPECT_EQ(passes.outcome, Outcome::pass);
  EXPECT_EQ(passes.runs, 3);
  EXPECT_EQ(passes.passed_runs, 3);

  Verdict fails = run_fixture("FailsWithExpectedAndSeen", 20, Network::none, 2);
  EXPECT_EQ(fails.outcome, Outcome::fail);
  EXPECT_EQ(fails.runs, 2);
  EXPECT_TRUE(contains(fails.output, "passed 0 of 2 runs\n")) << fails.output;
}

TEST(Repeat, ATimeoutEndsTheRepeats) {
  Verdict v = run_fixture("Hangs", 0.5, Network::none, 3);
  EXPECT_EQ(v.outcome, Outcome::timeout);
  EXPECT_EQ(v.runs, 1);
}

}  // namespace
}  // namespace deploylab::grading
