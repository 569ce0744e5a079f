// containers/runtime/run.cpp: `minictr run`: create, start, and stay with the container until
// its program ends, as `runc run` and `docker run` do in the foreground. minictr is the init's
// parent here, so it can wait for it and report its exit code, and whether the kernel's OOM
// killer ended it ("OOMKilled", as Kubernetes says). Signals sent to minictr go on to the init.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "common/log.h"
#include "containers/runtime/console.h"
#include "containers/runtime/creation.h"
#include "containers/runtime/exec_fifo.h"
#include "containers/runtime/hooks.h"

namespace deploylab::ctr {
namespace {

using namespace std::chrono_literals;

// While alive, the signals a user or a supervisor sends to stop a foreground program are
// blocked in minictr (and SIGCHLD with them), so wait_forwarding() can take them one by one:
// forward the others, stop at SIGCHLD. The init unblocks them for itself (init_process.cpp).
class ForwardedSignals {
 public:
  ForwardedSignals() {
    sigemptyset(&set_);
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGCHLD}) sigaddset(&set_, sig);
    ::sigprocmask(SIG_BLOCK, &set_, &saved_);
  }
  ~ForwardedSignals() { ::sigprocmask(SIG_SETMASK, &saved_, nullptr); }
  ForwardedSignals(const ForwardedSignals&) = delete;
  ForwardedSignals& operator=(const ForwardedSignals&) = delete;

  // Forwards signals to `init` until it ends; its exit status.
  Result<ExitStatus> wait_forwarding(InitProcess& init) {
    for (;;) {
      int raw = 0;
      pid_t done = ::waitpid(init.pid(), &raw, WNOHANG);
      if (done == init.pid()) {
        init.release();
        return ExitStatus::from_wait_status(raw);
      }
      if (done < 0 && errno != EINTR) return Error::os("waitpid", std::to_string(init.pid()), errno);
      siginfo_t info{};
      timespec tick{0, 200'000'000};  // a SIGCHLD for another child must not leave us waiting
      int sig = ::sigtimedwait(&set_, &info, &tick);
      if (sig > 0 && sig != SIGCHLD) ::kill(init.pid(), sig);
    }
  }

 private:
  sigset_t set_{};
  sigset_t saved_{};
};

int shell_exit_code(const ExitStatus& status) { return status.exited() ? status.code : 128 + status.signal; }

// The container has ended: record it (--keep) or remove every trace of it.
Result<void> finish(StateStore& store, Creation& c, const RunResult& result, RunMode mode) {
  c.state.status = Status::stopped;
  c.state.exit_code = result.exit_code;
  c.state.oom_killed = result.oom_killed;
  if (mode == RunMode::keep) {
    DL_TRY(store.save(c.state));
    c.release();
    return {};
  }
  DL_TRY(c.cgroup.destroy());
  c.cgroup.release();
  if (c.network) DL_TRY(c.network->disconnect());
  if (c.image_rootfs) {
    c.image_rootfs->mount.release();
    DL_TRY(remove_image_rootfs(c.state));
  }
  c.state_dir.release();
  DL_TRY(store.remove(c.state.id));
  auto ran = run_hooks(c.spec.hooks.poststop, oci_state_json(c.state), "poststop");
  if (!ran.ok()) spdlog::warn("{}", ran.error().message());
  return {};
}

}  // namespace

Result<RunResult> Runtime::run(const CreateRequest& request, RunMode mode) {
  ForwardedSignals signals;
  Creation c = DL_TRY(create_container(store_, request, TerminalTo::caller));
  DL_TRY(ExecFifo::release(store_.dir(request.id) / "exec.fifo", c.state.pid, 10s));
  c.state.status = Status::running;
  DL_TRY(store_.save(c.state));
  auto ran = run_hooks(c.spec.hooks.poststart, oci_state_json(c.state), "poststart");
  if (!ran.ok()) spdlog::warn("{}", ran.error().message());

  if (c.terminal.valid()) DL_TRY(proxy_terminal(c.terminal));
  ExitStatus status = DL_TRY(signals.wait_forwarding(c.init));
  RunResult result;
  result.exit_code = shell_exit_code(status);
  auto usage = c.cgroup.stats();
  result.oom_killed = usage.ok() && usage.value().oom_kills.value_or(0) > 0;
  DL_TRY(finish(store_, c, result, mode));
  return result;
}

}  // namespace deploylab::ctr
