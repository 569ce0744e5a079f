// bench/vm/density_run.cpp: idle instances in one memory cgroup until one fails (density_run.h).
#include "bench/vm/density_run.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <iostream>
#include <memory>

#include "bench/boot/console_scanner.h"
#include "bench/vm/memory_cgroup.h"
#include "common/child_process.h"

namespace deploylab::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kPollMs = 50;

struct Instance {
  explicit Instance(const std::string& marker) : console(marker) {}
  ChildProcess process;
  ConsoleScanner console;
  std::string errors;
  InstanceRecord record;
};

// Reads what a non-blocking fd has now into `sink` (at most 64 KiB kept).
void drain(UniqueFd& fd, std::string* sink) {
  char buffer[4096];
  while (fd.valid()) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) fd.reset();
    if (n <= 0) return;
    if (sink != nullptr && sink->size() < 65536) sink->append(buffer, static_cast<std::size_t>(n));
  }
}

void set_nonblocking(const UniqueFd& fd) {
  if (fd.valid()) ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) | O_NONBLOCK);
}

// Between fork and exec: the child writes "0" (itself) into the cgroup's procs files.
std::function<Result<void>()> join_cgroup(std::vector<std::string> procs_files) {
  return [files = std::move(procs_files)]() -> Result<void> {
    for (const std::string& file : files) {
      int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
      if (fd < 0 || ::write(fd, "0\n", 2) != 2) return Error::os("joining the cgroup", file, errno);
      ::close(fd);
    }
    return {};
  };
}

Result<std::unique_ptr<Instance>> spawn_instance(const DensityRun& run, int index, const MemoryCgroup& cgroup) {
  auto instance = std::make_unique<Instance>(run.shell_marker);
  SpawnOptions options;
  options.out = Stream::pipe;
  options.err = Stream::pipe;
  options.before_exec = join_cgroup(cgroup.procs_files());
  instance->process = DL_TRY(ChildProcess::spawn(run.argv(index), std::move(options)));
  set_nonblocking(instance->process.stdout_fd());
  set_nonblocking(instance->process.stderr_fd());
  return instance;
}

// How a VMM that is gone ended, in the record.
void note_exit(Instance& instance, const ExitStatus& status) {
  bool oom = status.signal == SIGKILL;
  if (instance.record.end != InstanceEnd::booted) instance.record.end = oom ? InstanceEnd::killed : InstanceEnd::exited;
  instance.record.still_running = false;
  instance.record.detail = oom ? "SIGKILL (the cgroup's OOM killer)" : status.describe();
  if (!oom && !instance.errors.empty()) instance.record.detail += ": " + first_error_line(instance.errors);
}

// Checks that an instance still runs; false (and the record updated) when it has ended.
bool still_running(Instance& instance) {
  drain(instance.process.stdout_fd(), nullptr);
  drain(instance.process.stderr_fd(), &instance.errors);
  if (!instance.process.running()) return false;
  auto status = instance.process.try_wait();
  if (!status || !status.value()) return true;
  note_exit(instance, *status.value());
  return false;
}

// Watches the newest instance until its shell marker, its end, the timeout or an interrupt.
void wait_for_shell(const DensityRun& run, Instance& instance) {
  auto deadline = Clock::now() + run.boot_timeout;
  while (true) {
    pollfd fd{instance.process.stdout_fd().get(), POLLIN, 0};
    ::poll(&fd, 1, kPollMs);
    std::string chunk;
    drain(instance.process.stdout_fd(), &chunk);
    if (instance.console.feed(chunk)) {
      instance.record = {InstanceEnd::booted, true, ""};
      return;
    }
    if (!still_running(instance)) return;
    if (run.interrupted != nullptr && run.interrupted->load()) {
      instance.record = {InstanceEnd::interrupted, false, ""};
      return;
    }
    if (Clock::now() > deadline) {
      instance.record = {InstanceEnd::timed_out, false, "last console lines: " + instance.console.last_lines()};
      return;
    }
  }
}

std::vector<InstanceRecord> records_of(const std::vector<std::unique_ptr<Instance>>& instances) {
  std::vector<InstanceRecord> records;
  for (const auto& instance : instances) records.push_back(instance->record);
  return records;
}

}  // namespace

Result<DensityOutcome> run_density(const DensityRun& run) {
  MemoryCgroup cgroup = DL_TRY(MemoryCgroup::create(run.plan.budget_mib << 20, run.scratch));
  std::vector<std::unique_ptr<Instance>> instances;
  for (int i = 0; i < run.plan.max_attempts; ++i) {
    if (run.interrupted != nullptr && run.interrupted->load()) break;
    instances.push_back(DL_TRY(spawn_instance(run, i, cgroup)));
    wait_for_shell(run, *instances.back());
    // The OOM killer may pick an older (bigger) instance instead: that ends the run too, or every
    // new instance would just replace the one before it.
    bool lost_one = false;
    for (std::size_t k = 0; k + 1 < instances.size(); ++k) {
      Instance& older = *instances[k];
      if (!older.record.still_running) continue;
      older.record.still_running = still_running(older);
      lost_one = lost_one || !older.record.still_running;
    }
    const InstanceRecord& newest = instances.back()->record;
    std::cerr << "vm-rows: density: instance " << i + 1 << ": "
              << (newest.end == InstanceEnd::booted ? "at its shell" : newest.detail) << ", "
              << density_count(records_of(instances)) << " running\n";
    if (newest.end != InstanceEnd::booted || lost_one) break;
  }
  DensityOutcome outcome{records_of(instances), cgroup.description()};
  instances.clear();  // kills every VMM (ChildProcess), before the cgroup goes
  return outcome;
}

}  // namespace deploylab::bench
