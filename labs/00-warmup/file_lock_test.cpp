// labs/00-warmup/file_lock_test.cpp: lab 0's graded tests of FileLock (file_lock.h).
//
// Each test checks what the kernel sees, from another process where that matters (the helpers
// in lock_test_support.h fork the other processes). Every test works in its own temporary
// directory, removed at the end. When a test fails, its message says what was expected and
// which part of file_lock.cpp to look at.
#include "labs/00-warmup/file_lock.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>

#include "common/file_io.h"
#include "common/temp_dir.h"
#include "labs/00-warmup/lock_test_support.h"

namespace deploylab::warmup {
namespace {

using namespace std::chrono_literals;
using test_support::acquire_in_child;
using test_support::contents_of;
using test_support::count_open_fds;
using test_support::lock_state_from_another_process;
using test_support::LockHolder;
using test_support::LockState;

TempDir scratch_dir() { return TempDir::create("lab00-lock-").value(); }

// What a lock file holds while this process holds the lock.
std::string our_pid_line() { return std::to_string(::getpid()) + "\n"; }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(FileLock, AcquireWritesThePidFile) {
  TempDir dir = scratch_dir();
  auto fresh = FileLock::acquire(dir / "fresh.lock");
  ASSERT_TRUE(fresh.ok()) << "acquiring a lock nobody holds must succeed, creating the file: "
                          << fresh.error().message();
  EXPECT_TRUE(fresh.value().held()) << "a FileLock returned by acquire() must be held()";
  EXPECT_EQ(fresh.value().path().string(), (dir / "fresh.lock").string()) << "path() must return the path given to acquire()";
  EXPECT_EQ(contents_of(dir / "fresh.lock"), our_pid_line())
      << "the lock file must hold the holder's PID and a newline, so others can tell who holds it";
  EXPECT_EQ(lock_state_from_another_process(dir / "fresh.lock"), LockState::held)
      << "another process could take the lock: acquire() must flock(fd, LOCK_EX | LOCK_NB) the file";

  ASSERT_TRUE(write_file_atomic(dir / "old.lock", "4194304 left over from an older run\n").ok());
  auto reused = FileLock::acquire(dir / "old.lock");
  ASSERT_TRUE(reused.ok()) << "a lock file that exists but is not locked must be reusable: " << reused.error().message();
  EXPECT_EQ(contents_of(dir / "old.lock"), our_pid_line())
      << "acquire() must replace the old contents entirely: ftruncate() the file once you hold the lock";
}

TEST(FileLock, AnotherProcessCannotAcquireWhileHeld) {
  TempDir dir = scratch_dir();
  auto path = dir / "daemon.lock";
  {
    auto lock = FileLock::acquire(path);
    ASSERT_TRUE(lock.ok()) << lock.error().message();
    EXPECT_EQ(lock_state_from_another_process(path), LockState::held)
        << "while a FileLock is alive, flock(LOCK_EX | LOCK_NB) in another process must fail";
    test_support::ChildAttempt other = acquire_in_child(path);
    EXPECT_FALSE(other.acquired) << "FileLock::acquire() in another process succeeded while this one held the lock";
    EXPECT_EQ(other.code, EWOULDBLOCK) << "a busy lock fails with EWOULDBLOCK, as flock(LOCK_NB) reports it; "
                                       << "the other process said: " << other.message;
  }
  test_support::ChildAttempt after = acquire_in_child(path);
  EXPECT_TRUE(after.acquired) << "once the first FileLock was destroyed, another process must get the lock; it said: "
                              << after.message;
}

TEST(FileLock, BusyErrorNamesTheHolder) {
  TempDir dir = scratch_dir();
  auto path = dir / "daemon.lock";
  auto holder = LockHolder::start(path);
  ASSERT_TRUE(holder.ok()) << "test setup: " << holder.error().message();
  std::string holder_pid = std::to_string(holder.value().pid());

  auto attempt = FileLock::acquire(path);
  ASSERT_FALSE(attempt.ok()) << "acquire() must fail while another process (pid " << holder_pid << ") holds the lock";
  const Error& error = attempt.error();
  std::string message = error.message();
  EXPECT_EQ(error.code, EWOULDBLOCK) << "the busy error carries the errno flock(LOCK_NB) gave, EWOULDBLOCK; got "
                                     << errno_name(error.code) << " in: " << message;
  EXPECT_TRUE(contains(message, "pid " + holder_pid))
      << "the error must name the holder as \"pid " << holder_pid << "\" (read it from the lock file); got: " << message;
  EXPECT_TRUE(contains(message, path.string())) << "the error must name the lock file; got: " << message;
  EXPECT_FALSE(error.hint.empty()) << "the error must say what to do, in its hint (\"stop it or wait\"); got: " << message;
}

TEST(FileLock, SecondOpenInTheSameProcessAlsoConflicts) {
  TempDir dir = scratch_dir();
  auto path = dir / "daemon.lock";
  auto first = FileLock::acquire(path);
  ASSERT_TRUE(first.ok()) << first.error().message();
  auto second = FileLock::acquire(path);
  ASSERT_FALSE(second.ok())
      << "a second acquire() of the same file from THIS process got the lock too. flock() locks belong to an "
         "open file (one per open() call), so a second open() must conflict with the first. fcntl(F_SETLK) and "
         "lockf() locks belong to the process instead, and would let this through: use flock(2)";
  EXPECT_EQ(second.error().code, EWOULDBLOCK) << second.error().message();
  EXPECT_TRUE(first.value().held()) << "a failed second attempt must leave the first FileLock alone";
  EXPECT_EQ(contents_of(path), our_pid_line()) << "a failed attempt must leave the file alone";
}

TEST(FileLock, DestroyingReleasesTheLockAndClosesTheFd) {
  TempDir dir = scratch_dir();
  auto path = dir / "daemon.lock";
  int before = count_open_fds();
  {
    auto lock = FileLock::acquire(path);
    ASSERT_TRUE(lock.ok()) << lock.error().message();
    EXPECT_EQ(count_open_fds(), before + 1)
        << "a held FileLock keeps exactly one fd open, the one its lock belongs to: does acquire() leak another?";
  }
  EXPECT_EQ(count_open_fds(), before) << "~FileLock() must close the lock file's fd";
  EXPECT_EQ(lock_state_from_another_process(path), LockState::free)
      << "the lock must be released when the FileLock is destroyed: does ~FileLock() call release()?";
}

TEST(FileLock, ReleaseUnlocksAndClosesTheFd) {
  TempDir dir = scratch_dir();
  auto path = dir / "daemon.lock";
  int before = count_open_fds();
  auto acquired = FileLock::acquire(path);
  ASSERT_TRUE(acquired.ok()) << acquired.error().message();
  FileLock& lock = acquired.value();

  auto released = lock.release();
  ASSERT_TRUE(released.ok()) << "release() of a held lock must succeed: " << released.error().message();
  EXPECT_FALSE(lock.held()) << "after release(), held() must be false";
  EXPECT_EQ(count_open_fds(), before) << "release() must close the lock file's fd";
  EXPECT_EQ(lock_state_from_another_process(path), LockState::free)
      << "after release(), another process must be able to take the lock";
  EXPECT_TRUE(lock.release().ok()) << "releasing twice must be harmless: the second release() has nothing to do";
}

TEST(FileLock, MoveTransfersTheLock) {
  TempDir dir = scratch_dir();
  auto a_path = dir / "a.lock";
  auto b_path = dir / "b.lock";
  auto acquired_a = FileLock::acquire(a_path);
  ASSERT_TRUE(acquired_a.ok()) << acquired_a.error().message();
  FileLock a = std::move(acquired_a).value();

  FileLock b(std::move(a));
  EXPECT_FALSE(a.held()) << "a moved-from FileLock must hold nothing";  // NOLINT(bugprone-use-after-move)
  EXPECT_TRUE(b.held()) << "the move constructor must hand the lock over";
  { FileLock emptied = std::move(a); }  // NOLINT(bugprone-use-after-move): destroys an empty FileLock
  EXPECT_EQ(lock_state_from_another_process(a_path), LockState::held)
      << "destroying a moved-from FileLock released the lock that had been moved out of it";

  auto acquired_b = FileLock::acquire(b_path);
  ASSERT_TRUE(acquired_b.ok()) << acquired_b.error().message();
  FileLock c = std::move(acquired_b).value();
  b = std::move(c);
  EXPECT_EQ(b.path().string(), b_path.string()) << "after `b = std::move(c)`, b must hold c's lock: does operator=(FileLock&&) "
                                 "take over other's fd and path?";
  EXPECT_FALSE(c.held()) << "after `b = std::move(c)`, c must hold nothing";  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(lock_state_from_another_process(a_path), LockState::free)
      << "move assignment must first release the lock the target held (a.lock), or nobody owns it any more";
  EXPECT_EQ(lock_state_from_another_process(b_path), LockState::held) << "b.lock must still be held, now by b";

  FileLock& same = b;
  b = std::move(same);
  EXPECT_TRUE(b.held()) << "self-move assignment (`lock = std::move(lock)`) must keep the lock";
  EXPECT_EQ(lock_state_from_another_process(b_path), LockState::held)
      << "self-move assignment (`lock = std::move(lock)`) released the lock: check for this == &other";
}

TEST(FileLock, MissingDirectoryIsAnOpenErrorWithThePath) {
  TempDir dir = scratch_dir();
  auto path = dir / "no-such-dir" / "daemon.lock";
  auto lock = FileLock::acquire(path);
  ASSERT_FALSE(lock.ok()) << "acquire() of a file in a directory that does not exist must fail";
  std::string message = lock.error().message();
  EXPECT_EQ(lock.error().code, ENOENT) << "open() fails with ENOENT here; keep that errno in the Error "
                                          "(Error::os, or open_file() from common/file_io.h); got: " << message;
  EXPECT_TRUE(contains(message, path.string())) << "the error must name the path it could not open; got: " << message;
}

TEST(FileLock, HolderPidNamesTheHolder) {
  TempDir dir = scratch_dir();
  auto path = dir / "daemon.lock";
  auto missing = FileLock::holder_pid(path);
  EXPECT_FALSE(missing.ok()) << "holder_pid() of a lock file that does not exist must fail";
  {
    auto holder = LockHolder::start(path);
    ASSERT_TRUE(holder.ok()) << "test setup: " << holder.error().message();
    auto pid = FileLock::holder_pid(path);
    ASSERT_TRUE(pid.ok()) << "holder_pid() failed while pid " << holder.value().pid()
                          << " holds the lock: " << pid.error().message();
    EXPECT_EQ(pid.value(), holder.value().pid()) << "holder_pid() must return the PID written in the lock file";
    holder.value().stop();
  }
  auto lock = FileLock::acquire(path);
  ASSERT_TRUE(lock.ok()) << lock.error().message();
  auto ours = FileLock::holder_pid(path);
  ASSERT_TRUE(ours.ok()) << "holder_pid() failed while this process holds the lock: " << ours.error().message();
  EXPECT_EQ(ours.value(), ::getpid()) << "holder_pid() must name this process while it holds the lock";

  ASSERT_TRUE(lock.value().release().ok());
  auto nobody = FileLock::holder_pid(path);
  EXPECT_FALSE(nobody.ok()) << "after release() nobody holds the lock, yet holder_pid() returned " << nobody.value()
                            << ". The file still names the last holder: ask the kernel whether the lock is held "
                               "(try a flock(LOCK_SH | LOCK_NB) of your own) before believing the file";
}

TEST(FileLock, BlockingAcquireWaitsForTheHolder) {
  TempDir dir = scratch_dir();
  auto path = dir / "daemon.lock";
  auto holder = LockHolder::start(path, 300ms);  // lets go by itself after 300 ms
  ASSERT_TRUE(holder.ok()) << "test setup: " << holder.error().message();

  auto fast = FileLock::acquire(path, LockWait::fail_fast);
  ASSERT_FALSE(fast.ok()) << "LockWait::fail_fast must not wait for the holder (flock with LOCK_NB)";

  auto start = std::chrono::steady_clock::now();
  auto waited = FileLock::acquire(path, LockWait::block);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(waited.ok()) << "LockWait::block must wait until the holder lets go (flock without LOCK_NB), "
                              "then succeed; got: " << waited.error().message();
  EXPECT_GE(elapsed, 100ms) << "acquire(path, LockWait::block) returned before the holder let go of the lock";
  EXPECT_EQ(contents_of(path), our_pid_line()) << "after waiting, the new holder's PID must be in the file";
}

}  // namespace
}  // namespace deploylab::warmup
