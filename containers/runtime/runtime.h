// containers/runtime/runtime.h: the OCI runtime's operations (runtime-spec runtime.md), the
// library behind `minictr`'s commands and, later, the kubelet.
//
//   create   set the container up and leave its init waiting on the exec fifo   -> created
//   start    release the init: it execs the configured program                  -> running
//   state    the OCI state, with the status as it is now (a dead init is stopped)
//   kill     send a signal to the init (or to every process of its cgroup)
//   remove   `delete`: kill what is left, disconnect it from its network, remove the cgroup,
//            mounts and state
//   run      create + start + wait in the foreground; the program's exit code comes back
//
// Every container lives in StateStore's ROOT/ID (the --root flag). A failed create leaves the
// host as it was: no state, no cgroup, no process.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "containers/cgroups/stats.h"
#include "containers/net/port_mapping.h"
#include "containers/oci/state.h"
#include "containers/oci/state_store.h"

namespace deploylab::ctr {

struct CreateRequest {
  std::string id;
  std::filesystem::path bundle;             // holds config.json
  std::filesystem::path pid_file;           // empty: none; else the init's pid is written there
  std::string console_socket;               // a unix socket that receives the terminal's master
  std::string image;                        // non-empty: the root is this image's layers plus a
                                            // writable layer (overlayfs), not config.json's root.path
  std::filesystem::path image_root;         // the image store (containers/rootfs/image_store.h)
  // The network (lab 08). Empty: as config.json's linux.namespaces says. "host": share the
  // host's network namespace. "none": a new one with only lo. Anything else: a new one, connected
  // to that minictr network (containers/net) before the init is told to go on.
  std::string net;
  std::vector<PortMapping> publish;         // only with a network NAME
};

enum class KillScope { init_only, every_process };  // `kill --all`: the whole cgroup
enum class DeleteMode { only_stopped, force };      // `delete --force` kills a running container
enum class RunMode { wait_and_delete, keep };       // `run --keep`: the state stays after exit

struct RunResult {
  int exit_code = 0;             // the program's, or 128 + signal, as a shell reports it
  bool oom_killed = false;       // its cgroup recorded an OOM kill
};

class Runtime {
 public:
  explicit Runtime(StateStore store) : store_(std::move(store)) {}

  Result<ContainerState> create(const CreateRequest& request);
  Result<void> start(std::string_view id);
  Result<ContainerState> state(std::string_view id);
  Result<void> kill(std::string_view id, int signal, KillScope scope);
  Result<void> remove(std::string_view id, DeleteMode mode);
  Result<RunResult> run(const CreateRequest& request, RunMode mode);
  Result<std::vector<ContainerState>> list();
  Result<std::vector<int>> processes(std::string_view id);
  Result<CgroupStats> stats(std::string_view id);
  // `exec`: runs argv inside a running container's namespaces and cgroup; its exit code.
  Result<int> exec(std::string_view id, const std::vector<std::string>& argv, const std::vector<std::string>& env);

  StateStore& store() { return store_; }

 private:
  StateStore store_;
};

}  // namespace deploylab::ctr
