// containers/net/file_lock.h: an exclusive flock(2) on a file, held for the life of the object.
//
// Two minictr processes may allocate an address or publish a port at the same moment; each
// takes the lock first, so one reads-decides-writes after the other. The kernel drops a flock when
// its holder dies, so a killed minictr never leaves the network locked.
#pragma once

#include <filesystem>

#include "common/result.h"
#include "common/unique_fd.h"

namespace deploylab::ctr {

class FileLock {
 public:
  // Creates `path` (and its directory) if needed and blocks until the lock is ours.
  static Result<FileLock> acquire(const std::filesystem::path& path);
  bool held() const { return fd_.valid(); }

 private:
  explicit FileLock(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace deploylab::ctr
