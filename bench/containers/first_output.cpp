// bench/containers/first_output.cpp: launch to first output, for containers and the host
// (first_output.h).
#include "bench/containers/first_output.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <functional>
#include <iostream>

#include "bench/tradeoff/interrupt.h"
#include "bench/containers/row_cells.h"
#include "bench/containers/timed_command.h"
#include "common/child_process.h"
#include "common/subprocess.h"

namespace deploylab::bench {
namespace {

using Clock = std::chrono::steady_clock;

// What a command wrote, and when the first byte of its stdout arrived.
struct Captured {
  std::string out, err;
  std::optional<Clock::time_point> first_byte;
};

int ms_left(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::max<std::int64_t>(left, 0));
}

// Reads stdout and stderr until both are closed (every holder, the container included, exited).
Result<Captured> capture(ChildProcess& child, Clock::time_point deadline) {
  Captured got;
  struct pollfd fds[2] = {{child.stdout_fd().get(), POLLIN, 0}, {child.stderr_fd().get(), POLLIN, 0}};
  std::string* sinks[2] = {&got.out, &got.err};
  int open_count = 2;
  while (open_count > 0) {
    int ready = ::poll(fds, 2, ms_left(deadline));
    if (ready == 0) return Error::invalid("no end of output within the timeout", "");
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return Error::os("poll", "the command's output", errno);
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[4096];
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0 && i == 0 && !got.first_byte) got.first_byte = Clock::now();
      if (n > 0) sinks[i]->append(buffer, static_cast<std::size_t>(n));
      if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) fds[i].fd = -1, --open_count;
    }
  }
  return got;
}

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

}  // namespace

Result<double> time_to_first_output(const std::vector<std::string>& argv, const PrivateMountNamespace* mount_ns,
                                    std::chrono::milliseconds timeout) {
  SpawnOptions options;
  options.out = Stream::pipe;
  options.err = Stream::pipe;
  if (mount_ns != nullptr) options.before_exec = [mount_ns]() { return mount_ns->enter(); };
  auto start = Clock::now();
  ChildProcess child = DL_TRY(ChildProcess::spawn(argv, std::move(options)));
  Captured got = DL_TRY(capture(child, start + timeout).context(shell_words(argv)));
  UniqueFd pidfd = DL_TRY(open_pidfd(child.pid()));
  if (!DL_TRY(wait_for_exit(pidfd, std::chrono::milliseconds(ms_left(start + timeout))))) {
    return Error::invalid("still running after its output ended, killed", shell_words(argv));
  }
  ExitStatus status = DL_TRY(child.wait());
  std::string said = got.out + got.err;
  if (!status.success()) return Error::invalid(status.describe() + ": " + said.substr(0, 400), shell_words(argv));
  if (!got.first_byte || got.out != "ready\n") {
    return Error::invalid("expected \"ready\" on stdout, saw \"" + said.substr(0, 200) + "\"", shell_words(argv));
  }
  return ms_between(start, *got.first_byte);
}

namespace {

// One contender of the row: its name and how to take one sample.
struct Entry {
  std::string name;
  std::function<Result<double>()> sample;
  bool failed = false;
};

std::vector<Entry> startup_entries(Workspace& ws, const std::filesystem::path& bundle) {
  std::vector<Entry> entries;
  auto timeout = ws.options().timeout;
  std::vector<std::string> echo{(ws.rootfs() / "bin/echo").string(), "ready"};
  entries.push_back({kHost, [echo, timeout] { return time_to_first_output(echo, nullptr, timeout); }});
  for (const RuntimeContender& rt : ws.runtimes()) {
    if (!rt.missing.empty()) continue;
    entries.push_back({rt.name, [&ws, &rt, bundle, timeout]() -> Result<double> {
                         std::string id = ws.next_id(rt);
                         auto ms = time_to_first_output(run_argv(rt.who.command, bundle, id), rt.who.mount_ns, timeout);
                         remove_leftover(ws.setup_for(bundle), rt.who, id);
                         return ms;
                       }});
  }
  return entries;
}

void take(Entry& entry, Recorder& recorder, bool record) {
  if (entry.failed) return;
  auto ms = entry.sample();
  reap_exited_children();
  if (!ms) {
    entry.failed = true;
    recorder.fail(Row::startup, entry.name, "failed: " + ms.error().message());
    std::cerr << "container-rows: startup, " << entry.name << " failed: " << ms.error().message() << "\n";
    return;
  }
  if (record) recorder.add(Row::startup, "first_output", entry.name, ms.value());
}

}  // namespace

void measure_startup_row(Workspace& ws, Recorder& recorder) {
  auto bundle = ws.write_bundle("echo", ws.config({"echo", "ready"}));
  if (!bundle) {
    for (const RuntimeContender& rt : ws.runtimes()) recorder.fail(Row::startup, rt.name, bundle.error().message());
    return;
  }
  std::vector<Entry> entries = startup_entries(ws, bundle.value());
  for (Entry& entry : entries) take(entry, recorder, false);  // warm-up, not counted
  int rounds = ws.options().sizes.startup_rounds;
  for (int round = 0; round < rounds && !interrupted(); ++round) {
    for (std::size_t i : round_order(entries.size(), round)) {
      if (interrupted()) break;
      take(entries[i], recorder, true);
    }
    recorder.save();
  }
}

}  // namespace deploylab::bench
