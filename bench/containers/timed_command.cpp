// bench/containers/timed_command.cpp: timing one command, and waiting on pidfds (timed_command.h).
#include "bench/containers/timed_command.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "common/file_io.h"
#include "common/subprocess.h"

namespace deploylab::bench {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Runs in the forked child: join the mount namespace if asked, then point stdout and stderr at
// the log file (dup2 clears O_CLOEXEC on the copies, so they survive the exec).
Result<void> prepare_child(const CommandSetup& setup, int log_fd) {
  if (setup.mount_ns != nullptr) DL_TRY(setup.mount_ns->enter());
  if (::dup2(log_fd, STDOUT_FILENO) < 0 || ::dup2(log_fd, STDERR_FILENO) < 0) {
    return Error::os("dup2", "the command's log", errno);
  }
  return {};
}

}  // namespace

// Debian 12's glibc 2.36 declares pidfd_open() in <sys/pidfd.h> without extern "C", so C++ cannot
// link it: the system call itself is the portable way.
Result<UniqueFd> open_pidfd(pid_t pid) {
  int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) return Error::os("pidfd_open", std::to_string(pid), errno, "needs Linux 5.3 or later");
  return UniqueFd(fd);
}

Result<bool> wait_for_exit(const UniqueFd& pidfd, std::chrono::milliseconds timeout) {
  struct pollfd p{pidfd.get(), POLLIN, 0};
  auto deadline = Clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    int ready = ::poll(&p, 1, static_cast<int>(std::max<std::int64_t>(left.count(), 0)));
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) return Error::os("poll", "pidfd", errno);
  }
}

Result<TimedCommand> run_timed(const std::vector<std::string>& argv, const CommandSetup& setup) {
  UniqueFd log = DL_TRY(open_file(setup.log, O_WRONLY | O_CREAT | O_TRUNC));
  SpawnOptions options;
  int log_fd = log.get();
  options.before_exec = [&setup, log_fd]() { return prepare_child(setup, log_fd); };

  auto start = Clock::now();
  ChildProcess child = DL_TRY(ChildProcess::spawn(argv, std::move(options)));
  UniqueFd pidfd = DL_TRY(open_pidfd(child.pid()));
  bool exited = DL_TRY(wait_for_exit(pidfd, setup.timeout));
  if (!exited) {
    return Error::invalid("still running after " + std::to_string(setup.timeout.count() / 1000) + " s, killed",
                          shell_words(argv));
  }
  ExitStatus status = DL_TRY(child.wait());
  double elapsed = ms_since(start);
  return TimedCommand{elapsed, status, read_file(setup.log).value_or("")};
}

void reap_exited_children() {
  int status = 0;
  while (::waitpid(-1, &status, WNOHANG) > 0) {
  }
}

}  // namespace deploylab::bench
