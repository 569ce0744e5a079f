// common/subprocess_test.cpp: run() captures output, feeds input, and enforces timeouts.
#include "common/subprocess.h"

#include <gtest/gtest.h>
#include <signal.h>

namespace deploylab {
namespace {

using namespace std::chrono_literals;

TEST(Run, CapturesStdoutAndStderrSeparately) {
  auto done = run({"sh", "-c", "echo out; echo err >&2; exit 4"}).value();
  EXPECT_EQ(done.out, "out\n");
  EXPECT_EQ(done.err, "err\n");
  EXPECT_EQ(done.status.code, 4);
  EXPECT_FALSE(done.timed_out);
}

TEST(Run, MergesStderrInOrder) {
  RunOptions options;
  options.merge_stderr = true;
  auto done = run({"sh", "-c", "echo one; echo two >&2; echo three"}, options).value();
  EXPECT_EQ(done.out, "one\ntwo\nthree\n");
}

TEST(Run, FeedsLargeInput) {
  RunOptions options;
  options.input = std::string(1 << 20, 'x');
  auto done = run({"wc", "-c"}, options).value();
  EXPECT_EQ(std::stoul(done.out), 1u << 20);
}

TEST(Run, TimeoutKillsTheCommandAndWhatItStarted) {
  RunOptions options;
  options.timeout = 300ms;
  auto done = run({"sh", "-c", "sleep 100 & echo started; wait"}, options).value();
  EXPECT_TRUE(done.timed_out);
  EXPECT_EQ(done.status.signal, SIGKILL);
  EXPECT_EQ(done.out, "started\n");
  EXPECT_LT(done.elapsed, 5s);  // the background sleep held stdout open: it must have died too
}

TEST(Run, OutputBeyondTheLimitIsDroppedAndFlagged) {
  RunOptions options;
  options.output_limit = 1000;
  auto done = run({"sh", "-c", "head -c 100000 /dev/zero"}, options).value();
  EXPECT_EQ(done.out.size(), 1000u);
  EXPECT_TRUE(done.truncated);
}

TEST(RunChecked, FailureNamesTheCommandStatusAndStderr) {
  auto out = run_checked({"sh", "-c", "echo bad thing >&2; exit 2"});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().message(), "sh -c 'echo bad thing >&2; exit 2' exited with code 2:\nbad thing");
  EXPECT_EQ(run_checked({"echo", "hi"}).value(), "hi\n");
}

TEST(ShellWords, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(shell_words({"cmake", "--build", "my dir", ""}), "cmake --build 'my dir' ''");
}

}  // namespace
}  // namespace deploylab
