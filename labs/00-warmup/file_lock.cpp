// labs/00-warmup/file_lock.cpp: FileLock on flock(2) (the contract is in file_lock.h).
//
// The order of the steps in acquire() is the lesson of this file:
//   1. open the file WITHOUT O_TRUNC: it may belong to a running holder, whose PID we must not
//      wipe just because we looked;
//   2. flock(): the kernel picks exactly one winner among everyone who opened the file;
//   3. only the winner truncates the file and writes its own PID.
// The file is never deleted: a process blocked in flock() on the old file would then win a lock
// on a file nobody can open any more, while a newcomer creates and locks a fresh one.
#include "labs/00-warmup/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <optional>
#include <string>
#include <utility>

#include "common/file_io.h"

namespace deploylab::warmup {
namespace {

// BEGIN SOLUTION lab 0: helpers for acquire(), holder_pid() and release()
// flock(2), retried when a signal interrupts a blocking wait. Returns 0 or the errno.
int flock_retrying(int fd, int operation) {
  while (::flock(fd, operation) != 0) {
    if (errno != EINTR) return errno;
  }
  return 0;
}

// The PID written at the start of the lock file ("1234\n"), if there is one.
std::optional<pid_t> recorded_pid(int fd) {
  char buffer[32];
  ssize_t n = ::pread(fd, buffer, sizeof(buffer), 0);  // pread: the file offset stays where it is
  if (n <= 0) return std::nullopt;
  pid_t pid = 0;
  auto [end, ec] = std::from_chars(buffer, buffer + n, pid);
  if (ec != std::errc{} || pid <= 0) return std::nullopt;
  return pid;
}

// The error for a lock that someone else holds: who it is (if the file says) and what to do.
Error busy_error(int fd, const std::filesystem::path& path) {
  std::optional<pid_t> holder = recorded_pid(fd);
  if (holder && *holder == ::getpid()) {
    return Error::os("flock", path.string(), EWOULDBLOCK,
                     "this very process (pid " + std::to_string(*holder) + ") holds " + path.string() +
                         " through another open(): flock locks belong to an open file, not to a process; "
                         "use the FileLock you already have");
  }
  std::string who = holder ? "another process (pid " + std::to_string(*holder) + ")" : "another process";
  return Error::os("flock", path.string(), EWOULDBLOCK, who + " holds " + path.string() + "; stop it or wait");
}

// Replaces the file's contents by "<our pid>\n". Only ever called while we hold the lock.
Result<void> write_our_pid(int fd, const std::filesystem::path& path) {
  if (::ftruncate(fd, 0) != 0) return Error::os("ftruncate", path.string(), errno);
  return write_all(fd, std::to_string(::getpid()) + "\n", path.string());
}
// STUB:
// // Helpers for the functions below go here, for example:
// //   std::optional<pid_t> recorded_pid(int fd);   // pread(2) the file and parse "1234\n"
// //   Result<void> write_our_pid(int fd, const std::filesystem::path& path);
// END SOLUTION

}  // namespace

Result<FileLock> FileLock::acquire(const std::filesystem::path& path, LockWait wait) {
  // BEGIN SOLUTION lab 0: open the lock file, take the flock, then write our PID into it
  // 1. Until we hold the lock the contents are not ours: no O_TRUNC here.
  UniqueFd fd = DL_TRY(open_file(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644,
                                 "is the directory there and writable? daemons keep lock files in /run"));
  // 2. The kernel picks one winner among everyone who opened the file.
  int operation = wait == LockWait::block ? LOCK_EX : LOCK_EX | LOCK_NB;
  if (int err = flock_retrying(fd.get(), operation); err != 0) {
    if (err == EWOULDBLOCK) return busy_error(fd.get(), path);
    return Error::os("flock", path.string(), err);
  }
  // 3. The file is ours now: say who holds it. (On an error, `fd` closes and the lock goes too.)
  DL_TRY(write_our_pid(fd.get(), path));
  return FileLock(std::move(fd), path);
  // END SOLUTION
}

Result<pid_t> FileLock::holder_pid(const std::filesystem::path& path) {
  // BEGIN SOLUTION lab 0: ask the kernel whether the lock is held, then read the holder's PID
  UniqueFd fd = DL_TRY(open_file(path, O_RDONLY | O_CLOEXEC));
  // The file alone cannot tell: after a crash it still names the dead holder. So ask the kernel
  // by trying a shared lock of our own, which no exclusive holder allows. (For that instant a
  // fail-fast acquire() elsewhere would find the lock busy; closing `fd` drops the probe.)
  int err = flock_retrying(fd.get(), LOCK_SH | LOCK_NB);
  std::optional<pid_t> pid = recorded_pid(fd.get());
  if (err == 0) {
    std::string last = pid ? "the file still names pid " + std::to_string(*pid) + ", which released it or exited" : "";
    return Error::invalid("no process holds the lock", path.string(), last);
  }
  if (err != EWOULDBLOCK) return Error::os("flock", path.string(), err);
  if (!pid) {
    return Error::invalid("the lock is held but the file names no pid", path.string(),
                          "the holder may be writing it just now; try again");
  }
  return *pid;
  // END SOLUTION
}

Result<void> FileLock::release() {
  // BEGIN SOLUTION lab 0: unlock and close the lock file
  if (!fd_.valid()) return {};  // released before, or moved from: nothing to do
  // LOCK_UN before close: a child forked without exec shares this open file, and closing only
  // our descriptor would leave the lock held through the child's copy.
  int err = ::flock(fd_.get(), LOCK_UN) == 0 ? 0 : errno;
  fd_.reset();
  if (err != 0) return Error::os("flock(LOCK_UN)", path_.string(), err, "the file was closed anyway");
  return {};
  // END SOLUTION
}

FileLock::~FileLock() {
  // BEGIN SOLUTION lab 0: release the lock, without throwing
  // A destructor has nobody to report to, and one that throws during stack unwinding ends the
  // program: the error is dropped here. Call release() yourself when you care about it.
  (void)release();
  // STUB:
  // // Release the lock here. A destructor must not throw: ignore release()'s error.
  // END SOLUTION
}

// UniqueFd's move leaves other.fd_ empty, so the moved-from FileLock holds nothing.
FileLock::FileLock(FileLock&& other) noexcept : fd_(std::move(other.fd_)), path_(std::exchange(other.path_, {})) {}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  // BEGIN SOLUTION lab 0: give up the lock this FileLock holds, then take over other's
  if (this != &other) {
    (void)release();
    fd_ = std::move(other.fd_);
    path_ = std::exchange(other.path_, {});
  }
  // STUB:
  // // Release the lock this FileLock holds (if any), then take over other's fd and path,
  // // leaving other empty. Mind `lock = std::move(lock);`.
  // END SOLUTION
  return *this;
}

}  // namespace deploylab::warmup
