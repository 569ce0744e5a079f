// bench/containers/timed_command.h: run one command of the container benchmark and time it, from
// just before fork to its exit (bench/containers/README.md).
//
// Why not common/subprocess.h's run(): it reads the command's stdout and stderr through pipes
// until they close, and a container made by `create` inherits the runtime's stdout and stderr and
// holds them open until it exits, which is after `start`. So the output goes to a log file
// instead, read back once the command has exited. Waiting uses a pidfd (pidfd_open(2)), which
// turns readable when a process exits, so a hung runtime times out instead of hanging the
// benchmark, and the same wait serves a container's process, which is not our child.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/containers/private_mount_ns.h"
#include "common/child_process.h"
#include "common/result.h"
#include "common/unique_fd.h"

namespace deploylab::bench {

struct CommandSetup {
  std::filesystem::path log;                     // stdout and stderr go here (truncated first)
  const PrivateMountNamespace* mount_ns = nullptr;  // run inside it (crun on hybrid cgroups)
  std::chrono::milliseconds timeout{60'000};
};

struct TimedCommand {
  double ms = 0;        // wall-clock time, fork to exit
  ExitStatus status;
  std::string output;   // stdout and stderr, interleaved as written
};

// Runs argv to completion and times it. An error: it could not start, or it outlived the timeout
// (then it and its process group are killed).
Result<TimedCommand> run_timed(const std::vector<std::string>& argv, const CommandSetup& setup);

// pidfd_open(2): a handle on process `pid` that stays valid, and never names another process,
// after the process exits.
Result<UniqueFd> open_pidfd(pid_t pid);
// Waits until the process behind `pidfd` has exited; false when `timeout` passed first.
Result<bool> wait_for_exit(const UniqueFd& pidfd, std::chrono::milliseconds timeout);

// Reaps every child that has already exited. The benchmark is a child subreaper
// (PR_SET_CHILD_SUBREAPER), so containers whose runtime exited become its children.
void reap_exited_children();

}  // namespace deploylab::bench
