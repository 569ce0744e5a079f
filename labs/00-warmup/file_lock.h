// labs/00-warmup/file_lock.h: FileLock, the single owner of an exclusive lock on a file (lab 0).
//
// A daemon that manages a directory (a kubelet its pods, a container runtime its containers)
// must make sure it is the only instance doing so; two of them would start every container
// twice. The classic tool is a lock file ("pidfile"): the daemon opens /run/<name>.lock, takes an
// exclusive flock(2) on it and writes its PID into it, so that
//   - a second instance fails at once with a message naming the first one's PID;
//   - the kernel drops the lock when the holder exits, even on SIGKILL, so a crash never leaves
//     the directory locked for ever (the PID left in the file is stale but harmless).
//
// FileLock is the RAII owner of such a lock: holding a FileLock means holding the lock, and the
// lock goes away exactly when the FileLock does (or at release()). It is move-only, like the
// UniqueFd (common/unique_fd.h) inside it, and a moved-from FileLock holds nothing.
//
//   auto lock = FileLock::acquire("/run/deploylab/kubelet.lock");
//   if (!lock.ok()) return std::move(lock).error().with_context("starting the kubelet");
//   ... manage the pods: no other kubelet can ...
//   // the lock is released when `lock` goes out of scope
//
// Lab 0 asks for the bodies in file_lock.cpp; this header is the contract the tests check.
#pragma once

#include <sys/types.h>

#include <filesystem>

#include "common/result.h"
#include "common/unique_fd.h"

namespace deploylab::warmup {

// What acquire() does when another open file already holds the lock.
enum class LockWait {
  fail_fast,  // return the "busy" error at once (flock with LOCK_NB)
  block,      // wait until the holder lets go (flock without LOCK_NB)
};

class FileLock {
 public:
  // An empty FileLock holds nothing (held() is false); acquire() makes one that holds a lock.
  FileLock() = default;
  ~FileLock();  // releases the lock; never throws

  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  // Moving passes the lock on: `other` is left empty and its destructor releases nothing.
  FileLock(FileLock&& other) noexcept;
  // Releases the lock this FileLock held (if any), then takes over `other`'s.
  FileLock& operator=(FileLock&& other) noexcept;

  // Opens (creating it if needed, mode 0644, O_CLOEXEC) the file at `path`, takes an exclusive
  // flock(2) on it, then truncates it and writes "<this process's pid>\n".
  // Errors:
  //   - the lock is busy (fail_fast): code EWOULDBLOCK, the path in the message, and a hint that
  //     names the holder as "pid N" (read from the file) and says what to do, e.g.
  //     "another process (pid 1234) holds /run/x.lock; stop it or wait";
  //   - the file cannot be opened (missing directory, read-only place, a directory): the open
  //     error, with its errno and the path.
  // A failed attempt leaves the file as it was: the holder's PID stays readable.
  static Result<FileLock> acquire(const std::filesystem::path& path, LockWait wait = LockWait::fail_fast);

  // The PID of the process that holds the lock on `path` now, as written in the file. An error
  // when nobody holds it (the file may still name the last holder, which let go or died), when
  // the file cannot be opened, or when it holds no PID.
  static Result<pid_t> holder_pid(const std::filesystem::path& path);

  // Unlocks and closes the file now; afterwards held() is false. Releasing a FileLock that holds
  // nothing (released before, or moved from) succeeds and does nothing. The file is left in
  // place on purpose (see the handout: deleting a lock file races with the next holder).
  Result<void> release();

  bool held() const { return fd_.valid(); }
  // The lock file's path as given to acquire() (empty for an empty FileLock).
  const std::filesystem::path& path() const { return path_; }

 private:
  FileLock(UniqueFd fd, std::filesystem::path path) : fd_(std::move(fd)), path_(std::move(path)) {}

  UniqueFd fd_;                  // the open file the lock belongs to; invalid when nothing is held
  std::filesystem::path path_;
};

}  // namespace deploylab::warmup
