// common/subprocess.cpp: the poll loop behind run() (see subprocess.h).
#include "common/subprocess.h"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

namespace deploylab {
namespace {

using Clock = std::chrono::steady_clock;

// Reads what is available on `fd` into `sink`; closes `fd` at end of file.
void drain(UniqueFd& fd, std::string& sink, std::size_t limit, bool& truncated) {
  char buffer[16384];
  ssize_t n = ::read(fd.get(), buffer, sizeof(buffer));
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (n <= 0) {
    fd.reset();
    return;
  }
  std::size_t room = sink.size() < limit ? limit - sink.size() : 0;
  if (static_cast<std::size_t>(n) > room) truncated = true;
  sink.append(buffer, std::min<std::size_t>(room, static_cast<std::size_t>(n)));
}

// Writes the next piece of `input` to the child's stdin; closes it when all is written.
void feed(UniqueFd& fd, const std::string& input, std::size_t& written) {
  ssize_t n = ::write(fd.get(), input.data() + written, input.size() - written);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (n < 0) {  // EPIPE: the child closed stdin early; that is its right
    fd.reset();
    return;
  }
  written += static_cast<std::size_t>(n);
  if (written == input.size()) fd.reset();
}

int poll_timeout_ms(Clock::time_point deadline, bool has_deadline) {
  if (!has_deadline) return -1;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

}  // namespace

Result<Completed> run(const std::vector<std::string>& argv, RunOptions options) {
  // Writing to a child that exited must be an EPIPE error, not a signal that kills us.
  ::signal(SIGPIPE, SIG_IGN);
  SpawnOptions spawn = std::move(options.spawn);
  spawn.in = options.input.empty() ? Stream::null : Stream::pipe;
  spawn.out = Stream::pipe;
  spawn.err = Stream::pipe;
  spawn.stderr_to_stdout = options.merge_stderr;
  auto start = Clock::now();
  ChildProcess child = DL_TRY(ChildProcess::spawn(argv, std::move(spawn)));

  Completed done;
  bool has_deadline = options.timeout.count() > 0;
  auto deadline = start + options.timeout;
  std::size_t written = 0;
  UniqueFd& in = child.stdin_fd();
  UniqueFd& out = child.stdout_fd();
  UniqueFd& err = child.stderr_fd();
  while (out.valid() || err.valid() || in.valid()) {
    pollfd fds[3];
    int count = 0;
    if (out.valid()) fds[count++] = {out.get(), POLLIN, 0};
    if (err.valid()) fds[count++] = {err.get(), POLLIN, 0};
    if (in.valid()) fds[count++] = {in.get(), POLLOUT, 0};
    int ready = ::poll(fds, count, poll_timeout_ms(deadline, has_deadline));
    if (ready < 0 && errno != EINTR) return Error::os("poll", "output of " + shell_words(argv), errno);
    if (ready == 0 && !done.timed_out) {
      // Timed out: kill the whole group, then keep reading what it wrote until the pipes close.
      done.timed_out = true;
      DL_TRY(child.kill(SIGKILL));
      has_deadline = true;
      deadline = Clock::now() + std::chrono::seconds(2);
      continue;
    }
    if (ready == 0) break;  // killed, but something still holds the pipes open: stop reading
    for (int i = 0; i < count; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == out.get()) drain(out, done.out, options.output_limit, done.truncated);
      else if (fds[i].fd == err.get()) drain(err, done.err, options.output_limit, done.truncated);
      else if (fds[i].fd == in.get()) feed(in, options.input, written);
    }
  }
  done.status = DL_TRY(child.wait());
  done.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  return done;
}

Result<std::string> run_checked(const std::vector<std::string>& argv, RunOptions options) {
  Completed done = DL_TRY(run(argv, std::move(options)));
  if (done.status.success() && !done.timed_out) return std::move(done.out);
  std::string tail = done.err.size() > 2000 ? done.err.substr(done.err.size() - 2000) : done.err;
  while (!tail.empty() && tail.back() == '\n') tail.pop_back();
  std::string what = done.timed_out ? "timed out" : done.status.describe();
  return Error::invalid(shell_words(argv) + " " + what + (tail.empty() ? "" : ":\n" + tail));
}

std::string shell_words(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& word : argv) {
    if (!out.empty()) out += ' ';
    bool plain = !word.empty() && word.find_first_of(" \t\n'\"$\\") == std::string::npos;
    out += plain ? word : "'" + word + "'";
  }
  return out;
}

}  // namespace deploylab
