// containers/runtime/lifecycle.cpp: `start`, `state`, `kill`, `delete`, `list`, `ps` and
// `stats` on a container that `create` made (see runtime.h). Each reads the container's record,
// looks at the init as it is now (observed_status), acts, and records the result.
#include <signal.h>

#include <cerrno>

#include "common/log.h"
#include "containers/cgroups/cgroup.h"
#include "containers/cgroups/layout.h"
#include "containers/net/attach.h"
#include "containers/oci/spec.h"
#include "containers/runtime/creation.h"
#include "containers/runtime/exec_fifo.h"
#include "containers/runtime/hooks.h"
#include "containers/runtime/runtime.h"

namespace deploylab::ctr {
namespace {

using namespace std::chrono_literals;

// The record with its status brought up to date: a dead or recycled init means stopped.
ContainerState observe(ContainerState state) {
  bool alive = state.pid > 0 && process_alive(state.pid);
  auto start_time = alive ? process_start_time(state.pid) : Result<std::uint64_t>(0);
  bool same = start_time.ok() && start_time.value() == state.pid_start_time;
  state.status = observed_status(state.status, alive, same);
  return state;
}

Error wrong_status(const ContainerState& state, std::string_view wanted, std::string_view hint) {
  return Error::invalid("container \"" + state.id + "\" is " + std::string(to_string(state.status)) + ", not " +
                        std::string(wanted), "", std::string(hint));
}

Result<Cgroup> cgroup_of(const ContainerState& state, CgroupOwnership ownership) {
  CgroupLayout layout = DL_TRY(discover_layout());
  return Cgroup::open(layout, state.cgroup_path, ownership);
}

// The poststop hooks come from the bundle's config.json, which may be gone by now: then there
// is nothing to run.
void run_poststop_hooks(const ContainerState& state) {
  auto spec = load_spec(state.bundle);
  if (!spec.ok()) return;
  auto ran = run_hooks(spec.value().hooks.poststop, oci_state_json(state), "poststop");
  if (!ran.ok()) spdlog::warn("{}", ran.error().message());
}

}  // namespace

Result<void> Runtime::start(std::string_view id) {
  StateLock lock = DL_TRY(store_.lock(id));
  ContainerState state = observe(DL_TRY(store_.load(id)));
  if (state.status != Status::created) {
    return wrong_status(state, "created", "start runs a created container once; make a new one with create or run");
  }
  DL_TRY(ExecFifo::release(store_.dir(id) / "exec.fifo", state.pid, 10s));
  state.status = Status::running;
  DL_TRY(store_.save(state));
  auto spec = load_spec(state.bundle);
  if (spec.ok()) {
    auto ran = run_hooks(spec.value().hooks.poststart, oci_state_json(state), "poststart");
    if (!ran.ok()) spdlog::warn("{}", ran.error().message());
  }
  return {};
}

// A container that stopped on its own may have been OOM-killed: its cgroup (there until
// delete) keeps the count, so `state` can say so even when nobody waited for the process.
Result<ContainerState> Runtime::state(std::string_view id) {
  ContainerState state = observe(DL_TRY(store_.load(id)));
  if (state.status == Status::stopped && !state.oom_killed) {
    auto cgroup = cgroup_of(state, CgroupOwnership::borrowed);
    auto usage = cgroup.ok() ? cgroup.value().stats() : Result<CgroupStats>(Error::invalid("no cgroup"));
    state.oom_killed = usage.ok() && usage.value().oom_kills.value_or(0) > 0;
  }
  return state;
}

Result<void> Runtime::kill(std::string_view id, int signal, KillScope scope) {
  ContainerState state = observe(DL_TRY(store_.load(id)));
  if (state.status == Status::stopped) return wrong_status(state, "running", "there is nothing left to signal; delete it");
  if (scope == KillScope::every_process) {
    Cgroup cgroup = DL_TRY(cgroup_of(state, CgroupOwnership::borrowed));
    return cgroup.kill_all(signal);
  }
  if (::kill(state.pid, signal) != 0) return Error::os("kill", "pid " + std::to_string(state.pid), errno);
  return {};
}

Result<void> Runtime::remove(std::string_view id, DeleteMode mode) {
  StateLock lock = DL_TRY(store_.lock(id));
  ContainerState state = observe(DL_TRY(store_.load(id)));
  if (state.status == Status::running && mode != DeleteMode::force) {
    return wrong_status(state, "stopped", "stop it first (minictr kill " + state.id + " KILL), or use delete --force");
  }
  // A created container never ran its program: deleting it kills the waiting init, as runc does.
  auto cgroup = cgroup_of(state, CgroupOwnership::owned);
  if (cgroup.ok()) {
    if (state.status != Status::stopped) DL_TRY(cgroup.value().kill_all(SIGKILL));
    DL_TRY(cgroup.value().destroy());
  } else if (state.status != Status::stopped) {
    ::kill(state.pid, SIGKILL);
  }
  DL_TRY(remove_image_rootfs(state));
  if (state.network) {
    DL_TRY(disconnect_container(NetworkStore(store_.root()), state.network->name, id).context("disconnecting from network \"" + state.network->name + "\""));
  }
  state.status = Status::stopped;
  DL_TRY(store_.remove(id));
  run_poststop_hooks(state);
  return {};
}

Result<std::vector<ContainerState>> Runtime::list() {
  std::vector<ContainerState> all = DL_TRY(store_.list());
  for (ContainerState& state : all) state = observe(std::move(state));
  return all;
}

Result<std::vector<int>> Runtime::processes(std::string_view id) {
  ContainerState state = DL_TRY(store_.load(id));
  Cgroup cgroup = DL_TRY(cgroup_of(state, CgroupOwnership::borrowed));
  std::vector<pid_t> pids = DL_TRY(cgroup.processes());
  return std::vector<int>(pids.begin(), pids.end());
}

Result<CgroupStats> Runtime::stats(std::string_view id) {
  ContainerState state = DL_TRY(store_.load(id));
  Cgroup cgroup = DL_TRY(cgroup_of(state, CgroupOwnership::borrowed));
  return cgroup.stats();
}

}  // namespace deploylab::ctr
