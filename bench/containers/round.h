// bench/containers/round.h: one round of one row of the container benchmark: the commands, their
// times, and the checks that the container really ran (bench/containers/README.md).
//
//   run        RUNTIME run --bundle B ID, timed as one. In the foreground all three runtimes
//              delete the container themselves when its process exits; were the state still
//              there, the `delete` that removes it would be timed and added.
//   lifecycle  create --pid-file P, start, wait until the process in P has exited (a pidfd, no
//              polling of `state`), delete: each step timed, and the whole from create to delete.
//   command    one plain command (unshare ..., true), timed.
// Each round ends with no container left: a failed round force-deletes its container.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/containers/container_report.h"
#include "bench/containers/private_mount_ns.h"
#include "bench/containers/runtimes.h"
#include "bench/containers/timed_command.h"
#include "common/result.h"

namespace deploylab::bench {

// A runtime and how to reach it: crun on a hybrid cgroup layout runs in `mount_ns`.
struct Contestant {
  RuntimeCommand command;
  const PrivateMountNamespace* mount_ns = nullptr;
};

// What every round shares: the bundle, a directory for logs and pid files, the timeout per command.
struct RoundSetup {
  std::filesystem::path bundle;
  std::filesystem::path scratch;
  std::chrono::milliseconds timeout{60'000};
};

Result<RoundSample> measure_run(const RoundSetup& setup, const Contestant& who, const std::string& id);
Result<RoundSample> measure_lifecycle(const RoundSetup& setup, const Contestant& who, const std::string& id);
Result<RoundSample> measure_command(const RoundSetup& setup, const std::vector<std::string>& argv);

// `RUNTIME run` of the bundle as it is, untimed, for the memory search: how it ended. The caller
// writes the config.json with the limit first.
Result<TimedCommand> run_once(const RoundSetup& setup, const Contestant& who, const std::string& id);

// Force-deletes container `id` if its state is still there (after a failed round or attempt).
void remove_leftover(const RoundSetup& setup, const Contestant& who, const std::string& id);

}  // namespace deploylab::bench
