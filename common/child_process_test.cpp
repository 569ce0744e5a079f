// common/child_process_test.cpp: spawning, exit statuses, and the kill-and-reap guarantee.
#include "common/child_process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include "common/file_io.h"

namespace deploylab {
namespace {

bool process_exists(pid_t pid) { return ::kill(pid, 0) == 0; }

TEST(ChildProcess, ReportsTheExitCode) {
  auto child = ChildProcess::spawn({"sh", "-c", "exit 3"}).value();
  ExitStatus status = child.wait().value();
  EXPECT_EQ(status.code, 3);
  EXPECT_FALSE(status.success());
  EXPECT_EQ(status.describe(), "exited with code 3");
}

TEST(ChildProcess, ReportsTheKillingSignal) {
  auto child = ChildProcess::spawn({"sh", "-c", "kill -SEGV $$"}).value();
  ExitStatus status = child.wait().value();
  EXPECT_EQ(status.signal, SIGSEGV);
  EXPECT_EQ(status.describe(), "killed by SIGSEGV (Segmentation fault)");
}

TEST(ChildProcess, MissingProgramIsAnErrorInTheParent) {
  auto child = ChildProcess::spawn({"deploylab-no-such-program"});
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.error().code, ENOENT);
  EXPECT_NE(child.error().message().find("execvp `deploylab-no-such-program`"), std::string::npos)
      << child.error().message();
  EXPECT_NE(child.error().hint.find("make deps"), std::string::npos);
}

TEST(ChildProcess, BadWorkingDirectoryIsAnError) {
  SpawnOptions options;
  options.cwd = "/nonexistent/dir";
  auto child = ChildProcess::spawn({"true"}, options);
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.error().code, ENOENT);
  EXPECT_NE(child.error().message().find("/nonexistent/dir"), std::string::npos);
}

TEST(ChildProcess, BeforeExecErrorsAreReported) {
  SpawnOptions options;
  options.before_exec = []() -> Result<void> { return Error::os("unshare", "network namespace", EPERM); };
  auto child = ChildProcess::spawn({"true"}, options);
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.error().code, EPERM);
  EXPECT_NE(child.error().message().find("unshare `network namespace`"), std::string::npos);
}

TEST(ChildProcess, DestructorKillsAndReapsTheWholeGroup) {
  pid_t leader, grandchild;
  {
    SpawnOptions options;
    options.out = Stream::pipe;
    auto child = ChildProcess::spawn({"sh", "-c", "sleep 300 & echo $!; wait"}, options).value();
    leader = child.pid();
    char buf[32] = {};
    ASSERT_GT(::read(child.stdout_fd().get(), buf, sizeof(buf) - 1), 0);
    grandchild = std::stoi(buf);
    ASSERT_TRUE(process_exists(grandchild));
  }
  // The leader was reaped by the destructor, so it is gone entirely (no zombie).
  EXPECT_EQ(::waitpid(leader, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
  // The grandchild was in the leader's group and was killed with it (init reaps it).
  for (int i = 0; i < 200 && process_exists(grandchild); ++i) ::usleep(10000);
  EXPECT_FALSE(process_exists(grandchild));
}

TEST(ChildProcess, EnvironmentAndWorkingDirectory) {
  SpawnOptions options;
  options.out = Stream::pipe;
  options.cwd = "/usr";
  options.env = {"DEPLOYLAB_TEST_VAR=hello"};
  auto child = ChildProcess::spawn({"sh", "-c", "echo $DEPLOYLAB_TEST_VAR $(pwd)"}, options).value();
  auto out = read_all(child.stdout_fd().get(), "child stdout").value();
  EXPECT_EQ(out, "hello /usr\n");
  EXPECT_TRUE(child.wait().value().success());
}

TEST(ChildProcess, TryWaitDoesNotBlock) {
  auto child = ChildProcess::spawn({"sleep", "5"}).value();
  EXPECT_FALSE(child.try_wait().value().has_value());
  ASSERT_TRUE(child.kill(SIGTERM).ok());
  EXPECT_EQ(child.wait().value().signal, SIGTERM);
}

}  // namespace
}  // namespace deploylab
