// bench/containers/round.cpp: the commands of one round and their times (round.h).
#include "bench/containers/round.h"

#include <sys/wait.h>

#include <cerrno>
#include <string>

#include "common/file_io.h"
#include "common/subprocess.h"

namespace deploylab::bench {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

CommandSetup command_setup(const RoundSetup& setup, const Contestant* who, const std::string& step) {
  return {setup.scratch / (step + ".log"), who == nullptr ? nullptr : who->mount_ns, setup.timeout};
}

// Runs one step and returns its time; a step that does not exit 0 is an error saying how it
// ended and what it printed.
Result<double> timed_step(const RoundSetup& setup, const Contestant* who, const std::string& step,
                          const std::vector<std::string>& argv) {
  TimedCommand done = DL_TRY(run_timed(argv, command_setup(setup, who, step)));
  if (!done.status.success()) {
    std::string output = done.output.substr(0, 600);
    return Error::invalid(step + " " + done.status.describe() + (output.empty() ? "" : ": " + output), shell_words(argv));
  }
  return done.ms;
}

// The container's process as a pidfd, taken between create and start: the pid in the pid file
// cannot be reused by another process while we hold it.
Result<std::pair<pid_t, UniqueFd>> container_process(const std::filesystem::path& pid_file) {
  std::string text = DL_TRY(read_file(pid_file));
  pid_t pid = 0;
  try {
    pid = static_cast<pid_t>(std::stoi(text));
  } catch (const std::exception&) {
    return Error::invalid("no pid in the runtime's pid file", pid_file.string());
  }
  UniqueFd pidfd = DL_TRY(open_pidfd(pid));
  return std::pair{pid, std::move(pidfd)};
}

// Waits for the container's process to exit and checks that /bin/true exited 0. We are a child
// subreaper, so the process became our child when `create` exited and we reap it here; should a
// runtime keep a monitor process as its parent (ECHILD), the exit is all we can see.
Result<void> wait_for_container(const RoundSetup& setup, pid_t pid, const UniqueFd& pidfd) {
  bool exited = DL_TRY(wait_for_exit(pidfd, setup.timeout));
  if (!exited) return Error::invalid("the container's process did not exit", std::to_string(pid));
  int status = 0;
  if (::waitpid(pid, &status, 0) < 0) {
    if (errno == ECHILD) return {};
    return Error::os("waitpid", std::to_string(pid), errno);
  }
  ExitStatus how = ExitStatus::from_wait_status(status);
  if (!how.success()) return Error::invalid("/bin/true in the container " + how.describe(), std::to_string(pid));
  return {};
}

// The steps of the lifecycle row; `sample` gets each step's time as it completes.
Result<void> lifecycle_steps(const RoundSetup& setup, const Contestant& who, const std::string& id, RoundSample& sample) {
  auto pid_file = setup.scratch / (id + ".pid");
  const RuntimeCommand& rt = who.command;
  sample.create_ms = DL_TRY(timed_step(setup, &who, "create", create_argv(rt, setup.bundle, id, pid_file)));
  auto [pid, pidfd] = DL_TRY(container_process(pid_file));
  sample.start_ms = DL_TRY(timed_step(setup, &who, "start", start_argv(rt, id)));
  auto waited = Clock::now();
  DL_TRY(wait_for_container(setup, pid, pidfd));
  sample.wait_ms = ms_since(waited);
  sample.delete_ms = DL_TRY(timed_step(setup, &who, "delete", delete_argv(rt, id, DeleteMode::normal)));
  return {};
}

bool state_left(const Contestant& who, const std::string& id) {
  return std::filesystem::exists(who.command.state_root / id);
}

}  // namespace

Result<RoundSample> measure_run(const RoundSetup& setup, const Contestant& who, const std::string& id) {
  auto ran = timed_step(setup, &who, "run", run_argv(who.command, setup.bundle, id));
  if (!ran) {
    remove_leftover(setup, who, id);
    return ran.error();
  }
  RoundSample sample{ran.value()};
  if (!state_left(who, id)) return sample;
  sample.total_ms += DL_TRY(timed_step(setup, &who, "delete", delete_argv(who.command, id, DeleteMode::normal)));
  return sample;
}

Result<RoundSample> measure_lifecycle(const RoundSetup& setup, const Contestant& who, const std::string& id) {
  RoundSample sample{0};
  auto start = Clock::now();
  auto steps = lifecycle_steps(setup, who, id, sample);
  sample.total_ms = ms_since(start);
  if (!steps) {
    remove_leftover(setup, who, id);
    return steps.error();
  }
  return sample;
}

Result<RoundSample> measure_command(const RoundSetup& setup, const std::vector<std::string>& argv) {
  return RoundSample{DL_TRY(timed_step(setup, nullptr, argv.front(), argv))};
}

Result<TimedCommand> run_once(const RoundSetup& setup, const Contestant& who, const std::string& id) {
  auto done = run_timed(run_argv(who.command, setup.bundle, id), command_setup(setup, &who, "memory"));
  remove_leftover(setup, who, id);
  return done;
}

void remove_leftover(const RoundSetup& setup, const Contestant& who, const std::string& id) {
  if (!state_left(who, id)) return;
  (void)run_timed(delete_argv(who.command, id, DeleteMode::force), command_setup(setup, &who, "cleanup"));
}

}  // namespace deploylab::bench
