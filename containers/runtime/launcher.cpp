// containers/runtime/launcher.cpp: cloning the init and seeing it ready (see launcher.h).
#include "containers/runtime/launcher.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "common/error.h"
#include "common/file_io.h"
#include "containers/runtime/clone_process.h"
#include "containers/runtime/exec_fifo.h"
#include "containers/runtime/hooks.h"
#include "containers/runtime/init_channel.h"
#include "containers/runtime/init_process.h"

namespace deploylab::ctr {
namespace {

using namespace std::chrono_literals;

// A pid namespace cannot be entered by the process itself, only by its future children: the
// parent points its pid_for_children at the target for the one clone, then back.
class PidNamespaceForChildren {
 public:
  static Result<PidNamespaceForChildren> enter(const InitPlan& plan) {
    PidNamespaceForChildren scope;
    for (const NamespaceJoin& join : plan.joins) {
      if (join.type != NamespaceType::pid) continue;
      scope.saved_ = DL_TRY(open_file("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC));
      UniqueFd target = DL_TRY(open_file(join.path, O_RDONLY | O_CLOEXEC));
      if (::setns(target.get(), CLONE_NEWPID) != 0) return Error::os("setns", join.path.string(), errno, "is it a pid namespace?");
    }
    return scope;
  }
  ~PidNamespaceForChildren() {
    if (saved_.valid()) (void)::setns(saved_.get(), CLONE_NEWPID);
  }
  PidNamespaceForChildren(PidNamespaceForChildren&&) = default;

 private:
  PidNamespaceForChildren() = default;
  UniqueFd saved_;
};

Result<void> write_proc_file(pid_t pid, const char* name, const std::string& text) {
  std::string path = "/proc/" + std::to_string(pid) + "/" + name;
  UniqueFd fd = DL_TRY(open_file(path, O_WRONLY | O_CLOEXEC));
  return write_all(fd.get(), text, path).context("linux.uidMappings/gidMappings");
}

// The init's turn has come: maps, cgroup, network, createRuntime hooks, "go", then its answer.
Result<void> bring_up(const LaunchRequest& r, InitProcess& init, InitChannel& channel) {
  if (!r.plan->uid_map.empty()) {
    // BEGIN SOLUTION lab 5: write the init's uid_map and gid_map (only a process outside its user namespace may)
    DL_TRY(write_proc_file(init.pid(), "uid_map", r.plan->uid_map));
    DL_TRY(write_proc_file(init.pid(), "gid_map", r.plan->gid_map));
    // END SOLUTION
  }
  DL_TRY(r.cgroup->add_process(init.pid()));
  r.state->pid = init.pid();
  r.state->pid_start_time = DL_TRY(process_start_time(init.pid()));
  if (r.before_go) DL_TRY(r.before_go(init.pid()));
  std::string state_json = oci_state_json(*r.state);
  if (r.create_runtime_hooks) DL_TRY(run_hooks(*r.create_runtime_hooks, state_json, "createRuntime"));
  DL_TRY(channel.send("go\n" + state_json));
  std::string answer = DL_TRY(channel.receive(120s));
  if (answer == "ready") return {};
  if (auto failure = parse_init_error(answer)) return Error::invalid("the container's init failed: " + *failure);
  ExitStatus status = DL_TRY(init.wait());
  return Error::invalid("the container's init " + status.describe() + " before it was ready", "",
                        "look at what it printed just above");
}

}  // namespace

InitProcess& InitProcess::operator=(InitProcess&& other) noexcept {
  if (this != &other) {
    InitProcess dying(std::exchange(pid_, std::exchange(other.pid_, 0)));
  }
  return *this;
}

InitProcess::~InitProcess() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
}

Result<ExitStatus> InitProcess::wait() {
  int raw = 0;
  pid_t done = 0;
  do {
    done = ::waitpid(pid_, &raw, 0);
  } while (done < 0 && errno == EINTR);
  if (done < 0) return Error::os("waitpid", std::to_string(pid_), errno);
  pid_ = 0;
  return ExitStatus::from_wait_status(raw);
}

Result<InitProcess> launch_init(const LaunchRequest& r) {
  auto [parent_end, child_end] = DL_TRY(InitChannel::make_pair());
  UniqueFd fifo;
  if (!r.plan->exec_fifo.empty()) fifo = DL_TRY(ExecFifo::open_handle(r.plan->exec_fifo));
  pid_t pid = 0;
  {
    auto pid_scope = DL_TRY(PidNamespaceForChildren::enter(*r.plan));
    pid = DL_TRY(clone_into_namespaces(r.plan->clone_flags));
  }
  if (pid == 0) {
    parent_end.close();
    run_container_init(*r.plan, std::move(child_end), UniqueFd(r.console_fd >= 0 ? ::dup(r.console_fd) : -1), std::move(fifo));
  }
  child_end.close();
  InitProcess init(pid);
  DL_TRY(bring_up(r, init, parent_end));
  return init;
}

}  // namespace deploylab::ctr
