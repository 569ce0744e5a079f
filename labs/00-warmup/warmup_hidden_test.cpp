// labs/00-warmup/warmup_hidden_test.cpp: lab 0's hidden tests (instructor only; the student kit
// leaves this file out). Edge cases the handout mentions but the visible tests do not pin down:
// unusual but valid numbers, the int64 limits, and the kernel facts behind FileLock (O_CLOEXEC,
// no O_TRUNC before the lock, locks that die with their process, LOCK_UN and forked children).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "common/child_process.h"
#include "common/temp_dir.h"
#include "labs/00-warmup/file_lock.h"
#include "labs/00-warmup/lock_test_support.h"
#include "labs/00-warmup/quantity.h"
#include "labs/00-warmup/quantity_test_support.h"

namespace deploylab::warmup {
namespace {

using namespace std::chrono_literals;
using test_support::contents_of;
using test_support::lock_state_from_another_process;
using test_support::LockHolder;
using test_support::LockState;
using test_support::parses_to;
using test_support::rejection;
using ::testing::HasSubstr;

TempDir scratch_dir() { return TempDir::create("lab00-hidden-").value(); }
std::string our_pid_line() { return std::to_string(::getpid()) + "\n"; }

// ---- quantities ----

TEST(QuantityHidden, ZeroPlusSignAndLeadingZeros) {
  EXPECT_TRUE(parses_to("0", 0)) << "zero is a valid quantity";
  EXPECT_TRUE(parses_to("0Ki", 0)) << "zero with any suffix is zero";
  EXPECT_TRUE(parses_to("0.000", 0));
  EXPECT_TRUE(parses_to("0e99", 0)) << "zero times a huge power of ten is still zero, not an overflow";
  EXPECT_TRUE(parses_to("+1", 1000)) << "a leading + is allowed";
  EXPECT_TRUE(parses_to("+0.5", 500));
  EXPECT_TRUE(parses_to("000123m", 123)) << "leading zeros change nothing";
  EXPECT_EQ(format_quantity({0}, QuantityKind::cpu), "0");
  EXPECT_EQ(format_quantity({0}, QuantityKind::memory), "0") << "zero memory prints as 0, not 0Ei";
}

TEST(QuantityHidden, LimitsOfInt64MilliUnits) {
  constexpr std::int64_t kPi = std::int64_t{1} << 50;
  EXPECT_TRUE(parses_to("8Pi", 8 * kPi * 1000)) << "8Pi is 9007199254740992000m: just fits in an int64";
  EXPECT_EQ(format_quantity({8 * kPi * 1000}, QuantityKind::memory), "8Pi");
  EXPECT_TRUE(parses_to("8192Ti", 8 * kPi * 1000)) << "8192Ti is 8Pi";
  EXPECT_THAT(rejection("9Pi").message(), HasSubstr("too large")) << "9Pi is more than 2^63-1 milli-units";
  EXPECT_TRUE(parses_to("8388Ti", 8388 * (kPi / 1024) * 1000)) << "2^63-1 milli-units are 8388.6Ti";
  EXPECT_THAT(rejection("8389Ti").message(), HasSubstr("too large")) << "2^63-1 milli-units are 8388.6Ti";
  EXPECT_THAT(rejection("1Ei").message(), HasSubstr("too large")) << "1Ei is 2^60 * 1000 milli-units";
  EXPECT_TRUE(parses_to("9223372036854775807m", INT64_MAX)) << "2^63-1 milli-units is the largest quantity";
  EXPECT_TRUE(parses_to("9223372036854775.807", INT64_MAX)) << "the same, in units";
  EXPECT_THAT(rejection("9223372036854775.808").message(), HasSubstr("too large"));
  EXPECT_THAT(rejection("99999999999999999999999").message(), HasSubstr("too large"))
      << "23 digits: too large, whatever the parser does with so many digits";
  EXPECT_THAT(rejection("1e1000000000").message(), HasSubstr("too large")) << "a huge exponent must not wrap around";
  EXPECT_TRUE(parses_to("2E3", 2000000)) << "E followed by digits is an exponent, not exa";
}

TEST(QuantityHidden, MalformedNumbers) {
  EXPECT_THAT(rejection(".").message(), HasSubstr("number")) << "a lone point has no digits";
  EXPECT_THAT(rejection("+").message(), HasSubstr("number"));
  EXPECT_THAT(rejection("Mi").message(), HasSubstr("number")) << "a suffix without a number";
  EXPECT_FALSE(rejection("1.2.3").message().empty()) << "a second decimal point";
  EXPECT_FALSE(rejection("1e").message().empty()) << "an exponent without digits";
  EXPECT_FALSE(rejection("1e3Mi").message().empty()) << "an exponent and a suffix together";
  EXPECT_FALSE(rejection("0x10").message().empty()) << "no hexadecimal";
  EXPECT_FALSE(rejection("1_000").message().empty()) << "no digit separators";
}

// ---- FileLock ----

TEST(FileLockHidden, LockInAPlaceThatCannotHoldItFails) {
  // sysfs lets nobody, not even root, create files; without sysfs, procfs does the same job.
  struct statfs fs {};
  bool sysfs = ::statfs("/sys", &fs) == 0 && fs.f_type == 0x62656572;  // SYSFS_MAGIC
  std::filesystem::path read_only = sysfs ? "/sys/deploylab-lab0.lock" : "/proc/deploylab-lab0.lock";
  auto lock = FileLock::acquire(read_only);
  ASSERT_FALSE(lock.ok()) << "acquire(" << read_only << ") cannot create a file there, yet it succeeded";
  EXPECT_NE(lock.error().code, 0) << "keep open()'s errno in the error: " << lock.error().message();
  EXPECT_THAT(lock.error().message(), HasSubstr(read_only.string())) << "name the path in the error";

  TempDir dir = scratch_dir();
  auto on_directory = FileLock::acquire(dir.path());
  ASSERT_FALSE(on_directory.ok()) << "a directory cannot be opened for writing as a lock file";
  EXPECT_EQ(on_directory.error().code, EISDIR) << on_directory.error().message();
}

TEST(FileLockHidden, ExecedChildDoesNotInheritTheLockFd) {
  TempDir dir = scratch_dir();
  auto path = dir / "daemon.lock";
  auto lock = FileLock::acquire(path);
  ASSERT_TRUE(lock.ok()) << lock.error().message();
  auto child = ChildProcess::spawn({"sleep", "30"});
  ASSERT_TRUE(child.ok()) << "test setup: " << child.error().message();
  std::filesystem::path proc = "/proc/" + std::to_string(child.value().pid());
  // The comm name changes late in execve(), after close-on-exec fds are closed.
  for (int i = 0; i < 200 && contents_of(proc / "comm") != "sleep\n"; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(contents_of(proc / "comm"), "sleep\n") << "test setup: the child did not exec sleep";

  std::string lock_file = std::filesystem::weakly_canonical(path).string();
  std::error_code ec;
  for (const auto& fd : std::filesystem::directory_iterator(proc / "fd", ec)) {
    std::string target = std::filesystem::read_symlink(fd.path(), ec).string();
    EXPECT_NE(target, lock_file) << "the program this process exec'd inherited the lock file as fd "
                            << fd.path().filename() << ": open it with O_CLOEXEC, or every child a daemon "
                               "starts keeps its lock open (and alive) for as long as the child runs";
  }
  ASSERT_FALSE(ec) << "test setup: cannot list " << proc / "fd" << ": " << ec.message();
  ASSERT_TRUE(lock.value().release().ok());
  EXPECT_EQ(lock_state_from_another_process(path), LockState::free)
      << "the lock must be free after release(), even while a child this process started still runs";
}

TEST(FileLockHidden, FailedAttemptKeepsTheHoldersPid) {
  TempDir dir = scratch_dir();
  auto path = dir / "daemon.lock";
  auto holder = LockHolder::start(path);
  ASSERT_TRUE(holder.ok()) << "test setup: " << holder.error().message();
  std::string holder_line = std::to_string(holder.value().pid()) + "\n";
  ASSERT_EQ(contents_of(path), holder_line) << "test setup";

  auto attempt = FileLock::acquire(path);
  ASSERT_FALSE(attempt.ok()) << "acquire() must fail while pid " << holder.value().pid() << " holds the lock";
  EXPECT_EQ(contents_of(path), holder_line)
      << "a failed acquire() changed the lock file: open it without O_TRUNC and truncate only after flock() "
         "succeeded, or the holder's PID is lost";
  auto pid = FileLock::holder_pid(path);
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  EXPECT_EQ(pid.value(), holder.value().pid());
}

TEST(FileLockHidden, KilledHolderDoesNotBlock) {
  TempDir dir = scratch_dir();
  auto path = dir / "daemon.lock";
  auto holder = LockHolder::start(path);
  ASSERT_TRUE(holder.ok()) << "test setup: " << holder.error().message();
  pid_t dead = holder.value().pid();
  holder.value().kill();  // SIGKILL: no chance to clean up; the file keeps naming it
  ASSERT_EQ(contents_of(path), std::to_string(dead) + "\n") << "test setup";

  auto who = FileLock::holder_pid(path);
  EXPECT_FALSE(who.ok()) << "pid " << dead << " was killed, so nobody holds the lock, yet holder_pid() returned "
                         << who.value() << ": the file outlives its holder; ask the kernel whether the lock is held";
  auto lock = FileLock::acquire(path);
  ASSERT_TRUE(lock.ok()) << "the lock file of a killed process must not block: the kernel dropped its lock when it "
                            "died. Do not treat an existing file, or a PID in it, as a held lock: "
                         << lock.error().message();
  EXPECT_EQ(contents_of(path), our_pid_line());
}

TEST(FileLockHidden, DestructorUnlocksEvenIfAForkedChildSharesTheFd) {
  TempDir dir = scratch_dir();
  auto path = dir / "daemon.lock";
  int stop[2];
  ASSERT_EQ(::pipe2(stop, O_CLOEXEC), 0);
  UniqueFd stop_read(stop[0]), stop_write(stop[1]);
  pid_t child = -1;
  {
    auto lock = FileLock::acquire(path);
    ASSERT_TRUE(lock.ok()) << lock.error().message();
    child = ::fork();
    ASSERT_GE(child, 0) << "test setup: fork failed";
    if (child == 0) {  // a worker forked without exec: it shares the lock's open file
      stop_write.reset();
      char byte;
      [[maybe_unused]] auto n = ::read(stop_read.get(), &byte, 1);
      ::_exit(0);
    }
  }
  LockState after = lock_state_from_another_process(path);
  stop_write.reset();
  test_support::reap(child);
  EXPECT_EQ(after, LockState::free)
      << "~FileLock() must unlock with flock(LOCK_UN) before closing: a child forked without exec shares the open "
         "file, and closing only this process's fd leaves the lock held through the child's copy";
}

}  // namespace
}  // namespace deploylab::warmup
