// bench/containers/kernel_log.cpp: reading new /dev/kmsg records (kernel_log.h).
#include "bench/containers/kernel_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace deploylab::bench {

KernelLog KernelLog::open_at_end() {
  UniqueFd fd(::open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (fd && ::lseek(fd.get(), 0, SEEK_END) < 0) fd.reset();
  return KernelLog(std::move(fd));
}

std::string KernelLog::read_new() {
  std::string log;
  if (!fd_) return log;
  char record[8192];
  for (;;) {
    ssize_t n = ::read(fd_.get(), record, sizeof record);
    if (n > 0) {
      log.append(record, static_cast<std::size_t>(n));
      if (log.back() != '\n') log += '\n';
      continue;
    }
    // EPIPE: records were overwritten before we read them; the next read goes on from the oldest.
    if (n < 0 && (errno == EPIPE || errno == EINTR)) continue;
    return log;  // EAGAIN: nothing more for now
  }
}

}  // namespace deploylab::bench
