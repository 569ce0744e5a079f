// common/unique_fd.cpp: closing for UniqueFd (see unique_fd.h).
#include "common/unique_fd.h"

#include <unistd.h>

namespace deploylab {

void UniqueFd::reset(int fd) {
  // close() is not retried on EINTR: on Linux the fd is released even when close reports EINTR,
  // and a retry could close a descriptor another thread has just been given.
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

}  // namespace deploylab
