// containers/runtime/launcher.h: the parent's side of making a container's init.
//
// launch_init() clones the init into its namespaces and takes its turn in the conversation of
// init_channel.h: write the uid/gid maps, put the init into its cgroup, connect its network
// (before_go), run the createRuntime hooks, say "go", and wait for "ready". What comes back is the init, waiting on its exec fifo
// (or, without one, already on its way to exec). Any failure kills it again.
#pragma once

#include <sys/types.h>

#include <functional>
#include <vector>

#include "common/child_process.h"
#include "common/result.h"
#include "common/unique_fd.h"
#include "containers/cgroups/cgroup.h"
#include "containers/oci/state.h"
#include "containers/runtime/init_plan.h"

namespace deploylab::ctr {

// The container's init as its parent holds it: killed and reaped on destruction unless
// released (a created container outlives `minictr create`).
class InitProcess {
 public:
  InitProcess() = default;
  explicit InitProcess(pid_t pid) : pid_(pid) {}
  InitProcess(InitProcess&& other) noexcept : pid_(std::exchange(other.pid_, 0)) {}
  InitProcess& operator=(InitProcess&& other) noexcept;
  InitProcess(const InitProcess&) = delete;
  InitProcess& operator=(const InitProcess&) = delete;
  ~InitProcess();

  pid_t pid() const { return pid_; }
  // Waits for it to end (only its parent can), after which nothing is left to kill.
  Result<ExitStatus> wait();
  void release() { pid_ = 0; }

 private:
  pid_t pid_ = 0;
};

struct LaunchRequest {
  const InitPlan* plan = nullptr;
  Cgroup* cgroup = nullptr;
  ContainerState* state = nullptr;          // pid and pid_start_time are filled in
  const std::vector<Hook>* create_runtime_hooks = nullptr;
  int console_fd = -1;                      // where the terminal's master goes (plan.terminal)
  // Runs once the init is in its namespaces and cgroup, before the createRuntime hooks and "go":
  // the network is connected here (create.cpp). May be empty.
  std::function<Result<void>(pid_t)> before_go;
};

Result<InitProcess> launch_init(const LaunchRequest& request);

}  // namespace deploylab::ctr
