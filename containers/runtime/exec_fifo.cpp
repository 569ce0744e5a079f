// containers/runtime/exec_fifo.cpp: the create/start handshake (see exec_fifo.h).
#include "containers/runtime/exec_fifo.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace deploylab::ctr {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

Result<void> ExecFifo::make(const fs::path& path) {
  // Writable by anyone: the init reopens it after becoming the container's user, who may not be
  // root. Only a process that already holds the O_PATH handle gets there (the state directory
  // is root's alone), and all it can do is write a byte.
  if (::mkfifo(path.c_str(), 0622) != 0) return Error::os("mkfifo", path.string(), errno);
  if (::chmod(path.c_str(), 0622) != 0) return Error::os("chmod", path.string(), errno);  // past the umask
  return {};
}

Result<UniqueFd> ExecFifo::open_handle(const fs::path& path) {
  UniqueFd fd(::open(path.c_str(), O_PATH | O_CLOEXEC));
  if (!fd.valid()) return Error::os("open(O_PATH)", path.string(), errno, "the state directory must exist before the init starts");
  return fd;
}

Result<void> ExecFifo::wait_for_start(const UniqueFd& handle) {
  std::string self = "/proc/self/fd/" + std::to_string(handle.get());
  UniqueFd writer(::open(self.c_str(), O_WRONLY | O_CLOEXEC));  // blocks until `start` reads
  if (!writer.valid()) return Error::os("open(O_WRONLY)", "the exec fifo", errno, "is /proc mounted in the container?");
  char go = '0';
  if (::write(writer.get(), &go, 1) != 1) return Error::os("write", "the exec fifo", errno);
  return {};
}

Result<void> ExecFifo::release(const fs::path& path, int init_pid, std::chrono::milliseconds timeout) {
  // Non-blocking open: it succeeds at once even when no writer is there (a dead init), and the
  // poll below then times out instead of hanging forever.
  UniqueFd reader(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!reader.valid()) {
    return Error::os("open", path.string(), errno, "only a created container can be started, and only once");
  }
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    pollfd fd{reader.get(), POLLIN, 0};
    int ready = ::poll(&fd, 1, 100);
    if (ready < 0 && errno != EINTR) return Error::os("poll", path.string(), errno);
    char byte = 0;
    if (ready > 0 && ::read(reader.get(), &byte, 1) == 1) {
      ::unlink(path.c_str());
      return {};
    }
    if (::kill(init_pid, 0) != 0 && errno == ESRCH) {
      return Error::invalid("the container's init (pid " + std::to_string(init_pid) + ") died before it was started", "",
                            "see what it printed when it was created; minictr delete removes what is left");
    }
  }
  return Error::invalid("the container's init did not take the start signal within " +
                        std::to_string(timeout.count()) + " ms", path.string(), "is it stopped or traced?");
}

}  // namespace deploylab::ctr
