// grading/testdata/fixture_test.cpp: a GoogleTest binary that misbehaves on purpose, one way per
// test, so the grader's own tests (grading/test_runner_test.cpp) can watch the real test runner
// meet every outcome a student's code can produce: a pass, a failed expectation, a hang, a crash,
// a stub that throws NotImplemented, a leftover process, a skip, an early exit, and a peek at the
// network it was given. It is built as `grader_fixture_tests` and is never registered with CTest:
// most of its tests are meant to fail.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "common/error.h"

// Under `make asan` AddressSanitizer would catch Fixture.Crashes' deliberate SIGSEGV, print a
// report and exit 1. This fixture exists to crash for real, so it keeps the kernel's behaviour.
extern "C" const char* __asan_default_options() { return "handle_segv=0"; }

namespace {

int answer() { return 41; }

TEST(Fixture, Passes) { EXPECT_EQ(2 + 2, 4); }

TEST(Fixture, FailsWithExpectedAndSeen) { EXPECT_EQ(answer(), 42) << "the answer is off by one"; }

TEST(Fixture, Hangs) { std::this_thread::sleep_for(std::chrono::hours(1)); }

TEST(Fixture, Crashes) { ::raise(SIGSEGV); }

TEST(Fixture, Throws) { throw deploylab::NotImplemented("lab 9: do the thing"); }

// Starts `sleep 1000` in a session of its own (out of the test's process group, as a daemon
// would) and passes. Only a PID namespace around the test reliably kills it afterwards. The
// leftover is renamed (argv[0]) so test_runner_test can look for it in /proc.
TEST(Fixture, LeavesAChildRunning) {
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::setsid();
    ::execl("/bin/sleep", "deploylab-fixture-leftover", "1000", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  SUCCEED();
}

TEST(Fixture, Skipped) { GTEST_SKIP() << "nothing to see here"; }

// Passes only in an empty network namespace: the loopback interface and nothing else.
TEST(Fixture, SeesNoNetwork) {
  std::vector<std::string> interfaces;
  for (const auto& entry : std::filesystem::directory_iterator("/sys/class/net")) {
    interfaces.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(interfaces, std::vector<std::string>{"lo"});
}

// Leaves before GoogleTest writes its report, as a stray exit() in student code would.
TEST(Fixture, ExitsEarly) { ::_exit(0); }

}  // namespace
