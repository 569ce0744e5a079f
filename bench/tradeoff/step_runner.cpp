// bench/tradeoff/step_runner.cpp: one step as a child process, with its log, the progress bar and
// Ctrl-C passed on (step_runner.h).
#include "bench/tradeoff/step_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <iostream>

#include "bench/tradeoff/interrupt.h"
#include "common/file_io.h"

namespace deploylab::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kGrace = std::chrono::seconds(90);  // vmhost needs a while to power its guests off

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Keeps the last complete, non-empty line of the output for the progress bar.
void remember_last_line(std::string& pending, std::string& last, const char* data, std::size_t n) {
  pending.append(data, n);
  std::size_t end;
  while ((end = pending.find_first_of("\r\n")) != std::string::npos) {
    std::string line = pending.substr(0, end);
    pending.erase(0, end + 1);
    if (line.find_first_not_of(" \t") != std::string::npos) last = line;
  }
  if (pending.size() > 4096) pending.clear();
}

void show(const ProgressState& state, Display display) {
  if (display == Display::bar) std::cerr << "\r" << render_progress(state) << "\x1b[K" << std::flush;
}

}  // namespace

Result<StepRun> run_step(const StepSpec& step, const std::filesystem::path& log, ProgressState progress, Display display) {
  UniqueFd log_fd = DL_TRY(open_file(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  SpawnOptions options;
  options.out = Stream::pipe;
  options.stderr_to_stdout = true;
  options.own_process_group = true;
  ChildProcess child = DL_TRY(ChildProcess::spawn(step.argv, options));
  const pid_t group = child.pid();
  StepRun run;
  Clock::time_point start = Clock::now(), stop_sent{};
  bool stop_asked = false, pipe_open = true;
  std::string pending;
  while (true) {
    auto ended = DL_TRY(child.try_wait());
    if (ended && !pipe_open) {
      run.status = *ended;
      break;
    }
    pollfd fds[2] = {{pipe_open ? child.stdout_fd().get() : -1, POLLIN, 0}, {interrupt_wake_fd(), POLLIN, 0}};
    ::poll(fds, 2, 250);
    if (fds[0].revents != 0) {
      char buf[8192];
      ssize_t n = ::read(child.stdout_fd().get(), buf, sizeof buf);
      if (n > 0) {
        [[maybe_unused]] auto w = ::write(log_fd.get(), buf, static_cast<std::size_t>(n));
        remember_last_line(pending, run.last_line, buf, static_cast<std::size_t>(n));
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        pipe_open = false;
      }
    }
    if (ended && pipe_open) pipe_open = false;  // a leftover grandchild holds the pipe: stop reading
    bool over_time = seconds_since(start) > static_cast<double>(step.timeout.count());
    if ((interrupted() || over_time) && !stop_asked) {
      run.interrupted = interrupted();
      run.timed_out = over_time && !run.interrupted;
      (void)child.kill(SIGINT);
      stop_asked = true;
      stop_sent = Clock::now();
    } else if (stop_asked && Clock::now() - stop_sent > kGrace) {
      (void)child.kill(SIGKILL);
    }
    progress.step_elapsed = seconds_since(start);
    progress.last_line = run.last_line;
    show(progress, display);
  }
  // The step's group outliving its leader means something it started is still running. A group id
  // is never handed out again while its group has members, so this signal can only reach them.
  if (::kill(-group, 0) == 0) {
    ::kill(-group, SIGKILL);
    run.last_line = "left processes behind, killed them (" + run.last_line + ")";
  }
  run.seconds = seconds_since(start);
  return run;
}

}  // namespace deploylab::bench
