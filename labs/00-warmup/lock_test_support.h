// labs/00-warmup/lock_test_support.h: the other processes the FileLock tests need (lab 0).
//
// A lock only means something between processes, so the tests start some:
//   - lock_state_from_another_process(): a child that tries the lock with a plain flock(2), so
//     the verdict does not depend on your FileLock;
//   - LockHolder: a child that holds the lock (plain flock(2), its PID written in the file) until
//     it is stopped or killed;
//   - acquire_in_child(): a child that runs YOUR FileLock::acquire() and reports what it got.
// Each child is fork()ed and ends with _exit(): it must not run the test framework's exit
// handlers, nor the destructors of the objects it inherited from the test (a copy of a FileLock
// destroyed in the child would unlock the parent's lock, which shares the same open file).
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <ostream>
#include <string>
#include <utility>

#include "common/file_io.h"
#include "common/result.h"
#include "labs/00-warmup/file_lock.h"

namespace deploylab::warmup::test_support {

enum class LockState { free, held, unknown };

// So that GoogleTest prints "held" rather than a number in a failed EXPECT_EQ.
inline void PrintTo(LockState state, std::ostream* os) {
  *os << (state == LockState::free ? "free" : state == LockState::held ? "held" : "unknown (the probe failed)");
}

// Waits for a child, retrying EINTR; the raw wait status, or -1.
inline int reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return status;
}

// Whether another process could take the lock on `path` right now. A missing file is free.
inline LockState lock_state_from_another_process(const std::filesystem::path& path) {
  pid_t pid = ::fork();
  if (pid < 0) return LockState::unknown;
  if (pid == 0) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) ::_exit(errno == ENOENT ? 0 : 2);
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) ::_exit(0);
    ::_exit(errno == EWOULDBLOCK ? 1 : 2);
  }
  int status = reap(pid);
  if (status == -1 || !WIFEXITED(status)) return LockState::unknown;
  if (WEXITSTATUS(status) == 0) return LockState::free;
  return WEXITSTATUS(status) == 1 ? LockState::held : LockState::unknown;
}

// What FileLock::acquire() did in another process.
struct ChildAttempt {
  bool acquired = false;
  int code = 0;         // the error's errno, when not acquired
  std::string message;  // the error's message, or what went wrong in the child
};

// Runs FileLock::acquire(path) in a forked child (which releases what it got before it exits).
inline ChildAttempt acquire_in_child(const std::filesystem::path& path) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return {false, errno, "test setup: pipe2 failed"};
  pid_t pid = ::fork();
  if (pid < 0) return {false, errno, "test setup: fork failed"};
  if (pid == 0) {
    ::close(fds[0]);
    std::string report;
    try {
      auto lock = FileLock::acquire(path);
      report = lock.ok() ? "acquired" : std::to_string(lock.error().code) + " " + lock.error().message();
    } catch (const std::exception& e) {
      report = "0 acquire() threw in the child process: " + std::string(e.what());
    }
    (void)write_all(fds[1], report, "report pipe");
    ::_exit(0);
  }
  ::close(fds[1]);
  UniqueFd read_end(fds[0]);
  std::string report = read_all(read_end.get(), "report pipe").value_or("");
  reap(pid);
  if (report == "acquired") return {true, 0, ""};
  if (report.empty()) return {false, 0, "the child process died before it could report (did acquire() crash?)"};
  std::size_t space = report.find(' ');
  return {false, std::stoi(report.substr(0, space)), report.substr(space + 1)};
}

// A child process that holds the lock on `path`, its PID written in the file as FileLock does,
// until stop() or kill(), or for at most `hold_for`.
class LockHolder {
 public:
  static Result<LockHolder> start(const std::filesystem::path& path,
                                  std::chrono::milliseconds hold_for = std::chrono::seconds(10)) {
    int ready[2], stop[2];
    if (::pipe2(ready, O_CLOEXEC) != 0 || ::pipe2(stop, O_CLOEXEC) != 0) return Error::os("pipe2", "test pipes", errno);
    pid_t pid = ::fork();
    if (pid < 0) return Error::os("fork", "lock holder", errno);
    if (pid == 0) {
      ::close(ready[0]);
      ::close(stop[1]);  // or the child's own copy would keep the stop pipe open for ever
      hold(path, ready[1], stop[0], hold_for);  // never returns
    }
    ::close(ready[1]);
    ::close(stop[0]);
    LockHolder holder;
    holder.pid_ = pid;
    holder.stop_ = UniqueFd(stop[1]);
    UniqueFd ready_read(ready[0]);
    char byte = 0;
    if (::read(ready_read.get(), &byte, 1) != 1) {
      holder.kill();
      return Error::invalid("the lock holder process could not take the lock", path.string(),
                            "is it held already? (a FileLock from this test still alive?)");
    }
    return holder;
  }

  LockHolder() = default;
  LockHolder(LockHolder&& other) noexcept : pid_(std::exchange(other.pid_, -1)), stop_(std::move(other.stop_)) {}
  LockHolder& operator=(LockHolder&&) = delete;
  ~LockHolder() { kill(); }

  pid_t pid() const { return pid_; }

  // Lets the child exit normally, which releases its lock, and reaps it.
  void stop() {
    stop_.reset();
    if (pid_ > 0) reap(std::exchange(pid_, -1));
  }
  // SIGKILL, as a crash would: the kernel releases the lock of a dead process.
  void kill() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      reap(std::exchange(pid_, -1));
    }
    stop_.reset();
  }

 private:
  [[noreturn]] static void hold(const std::filesystem::path& path, int ready, int stop,
                                std::chrono::milliseconds hold_for) {
    close_inherited_fds(ready, stop);
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 || ::flock(fd, LOCK_EX | LOCK_NB) != 0) ::_exit(3);
    std::string pid_line = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) != 0 || ::write(fd, pid_line.data(), pid_line.size()) < 0) ::_exit(4);
    if (::write(ready, "R", 1) != 1) ::_exit(5);
    pollfd wait_for_stop{stop, POLLIN, 0};
    ::poll(&wait_for_stop, 1, static_cast<int>(hold_for.count()));
    ::_exit(0);
  }

  // Closes every fd above stderr but `a` and `b`: a copy of a FileLock's fd kept open in this
  // long-lived child would keep that lock's open file alive, and confuse the tests.
  static void close_inherited_fds(int a, int b) {
    if (a > b) std::swap(a, b);
    ::close_range(3, a - 1, 0);
    ::close_range(a + 1, b - 1, 0);
    ::close_range(b + 1, ~0U, 0);
  }

  pid_t pid_ = -1;
  UniqueFd stop_;  // closing it tells the child to exit
};

// How many file descriptors this process has open.
inline int count_open_fds() {
  int count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) ++count;
  return count;
}

// The whole file as text, or a note saying it could not be read (for assertion messages).
inline std::string contents_of(const std::filesystem::path& path) {
  return read_file(path).value_or("<the file could not be read>");
}

}  // namespace deploylab::warmup::test_support
