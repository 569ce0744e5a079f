// containers/net/file_lock.cpp: flock(2) held by an object (see file_lock.h).
#include "containers/net/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>
#include <system_error>

#include "common/error.h"
#include "common/file_io.h"

namespace deploylab::ctr {

Result<FileLock> FileLock::acquire(const std::filesystem::path& path) {
  std::error_code error;
  std::filesystem::create_directories(path.parent_path(), error);
  if (error) return Error::os("mkdir", path.parent_path().string(), error.value());
  UniqueFd fd = DL_TRY(open_file(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  while (::flock(fd.get(), LOCK_EX) != 0) {
    if (errno != EINTR) return Error::os("flock", path.string(), errno);
  }
  return FileLock(std::move(fd));
}

}  // namespace deploylab::ctr
