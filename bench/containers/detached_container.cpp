// bench/containers/detached_container.cpp: create + start, and deleting in batches
// (detached_container.h).
#include "bench/containers/detached_container.h"

#include <deque>

#include "bench/containers/timed_command.h"
#include "common/child_process.h"
#include "common/file_io.h"

namespace deploylab::bench {
namespace {

// Runs one runtime command to its end; an error unless it exited 0.
Result<void> step(const RoundSetup& setup, const Contestant& who, const std::string& name,
                  const std::vector<std::string>& argv) {
  CommandSetup command{setup.scratch / (name + ".log"), who.mount_ns, setup.timeout};
  TimedCommand done = DL_TRY(run_timed(argv, command));
  if (done.status.success()) return {};
  std::string output = done.output.substr(0, 400);
  return Error::invalid(name + " " + done.status.describe() + (output.empty() ? "" : ": " + output),
                        who.command.binary.string());
}

Result<pid_t> read_pid(const std::filesystem::path& pid_file) {
  std::string text = DL_TRY(read_file(pid_file));
  try {
    return static_cast<pid_t>(std::stoi(text));
  } catch (const std::exception&) {
    return Error::invalid("no pid in the runtime's pid file", pid_file.string());
  }
}

Result<pid_t> create_and_start(const RoundSetup& setup, const Contestant& who, const std::string& id) {
  auto pid_file = setup.scratch / (id + ".pid");
  DL_TRY(step(setup, who, "create", create_argv(who.command, setup.bundle, id, pid_file)));
  pid_t pid = DL_TRY(read_pid(pid_file));
  std::error_code ignored;
  std::filesystem::remove(pid_file, ignored);
  DL_TRY(step(setup, who, "start", start_argv(who.command, id)));
  return pid;
}

Result<ChildProcess> spawn_delete(const Contestant& who, const std::string& id) {
  SpawnOptions options;
  options.out = Stream::null;
  options.err = Stream::null;
  const PrivateMountNamespace* ns = who.mount_ns;
  if (ns != nullptr) options.before_exec = [ns]() { return ns->enter(); };
  return ChildProcess::spawn(delete_argv(who.command, id, DeleteMode::force), std::move(options));
}

}  // namespace

Result<pid_t> start_detached(const RoundSetup& setup, const Contestant& who, const std::string& id) {
  auto pid = create_and_start(setup, who, id);
  if (!pid) remove_leftover(setup, who, id);
  return pid;
}

void delete_all(const Contestant& who, const std::vector<std::string>& ids, int parallel) {
  std::deque<ChildProcess> running;
  for (const std::string& id : ids) {
    if (static_cast<int>(running.size()) >= parallel) {
      (void)running.front().wait();
      running.pop_front();
    }
    auto child = spawn_delete(who, id);
    if (child) running.push_back(std::move(child).value());
  }
  for (ChildProcess& child : running) (void)child.wait();
  reap_exited_children();
}

}  // namespace deploylab::bench
