// bench/isolation/seccomp_probe.cpp: one probe = one child with one extra filter (see
// syscall_census.cpp for why this tells reachable from blocked).
//
// The child is made with clone(CLONE_FILES): it shares our descriptor table, so the listener
// descriptor that seccomp() returns to it is ours too, and we supervise it from a process with no
// extra filter of its own (the child's filter would otherwise catch our own waitpid or poll when
// the probed number is theirs). The child reports the descriptor's number, a plain memory store in
// a MAP_SHARED page, because after its filter is in place every system call it makes could be the
// probed one. Its only system call after that is the probe itself.
#include "bench/isolation/seccomp_probe.h"

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <new>
#include <utility>

namespace deploylab::bench::isolation {

// The page a probe and its supervisor share.
struct SeccompProber::Slot {
  std::atomic<int> state{0};  // kWaiting, then kInstalled or kFailed
  int listener = -1;          // the listener's descriptor number, valid once kInstalled
  int step = 0;               // kFailed: which step (kStepNames)
  int error = 0;              // kFailed: its errno
};

namespace {

constexpr int kWaiting = 0;
constexpr int kInstalled = 1;
constexpr int kFailed = 2;

constexpr const char* kStepNames[] = {"prctl(PR_SET_NO_NEW_PRIVS)",
                                      "seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER)"};
constexpr int kStepNoNewPrivs = 0;
constexpr int kStepSeccomp = 1;

// The probe's exit codes besides an errno (errno values stay below 200).
constexpr int kExitNoNotice = 200;  // the call "succeeded" and no notification came: faked
constexpr int kExitTrapped = 201;   // SIGSYS reached the handler: SECCOMP_RET_TRAP

void on_sigsys(int) { ::_exit(kExitTrapped); }

[[noreturn]] void report_failure(SeccompProber::Slot* slot, int step, int error) {
  slot->step = step;
  slot->error = error;
  slot->state.store(kFailed, std::memory_order_release);
  ::_exit(kExitNoNotice);
}

// Runs in the child: one filter that sends `number` (on x86_64) to the listener and lets every
// other call go on to the filters already there, then the call itself with zero arguments.
[[noreturn]] void run_probe(int number, SeccompProber::Slot* slot) {
  struct sigaction trap {};
  trap.sa_handler = on_sigsys;
  ::sigaction(SIGSYS, &trap, nullptr);
  // A filter that kills with SIGSYS would leave a core file (or wake a core-dump helper) per
  // probe: a probe is never worth dumping.
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  // Without CAP_SYS_ADMIN a filter needs no_new_privs (so a setuid exec cannot inherit it).
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) report_failure(slot, kStepNoNewPrivs, errno);
  sock_filter code[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<unsigned>(number), 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  sock_fprog program{static_cast<unsigned short>(std::size(code)), code};
  long listener = ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &program);
  if (listener < 0) report_failure(slot, kStepSeccomp, errno);
  slot->listener = static_cast<int>(listener);
  slot->state.store(kInstalled, std::memory_order_release);
  long result = ::syscall(number, 0L, 0L, 0L, 0L, 0L, 0L);
  ::_exit(result < 0 ? (errno < kExitNoNotice ? errno : kExitNoNotice - 1) : kExitNoNotice);
}

std::string meaning_of(int step, int error) {
  if (step == kStepNoNewPrivs) return "prctl itself is refused here";
  switch (error) {
    case EINVAL: return "this kernel has no seccomp user notification (it needs Linux 5.0 or later)";
    case EBUSY: return "a filter with a notification listener is already installed (the kernel allows one)";
    case EACCES: return "no_new_privs did not take and CAP_SYS_ADMIN is missing";
    case EPERM: return "the seccomp filter in force refuses seccomp() itself, so nothing can be counted";
    case ENOSYS:
      return "the kernel has no seccomp filters (CONFIG_SECCOMP_FILTER off), or the filter in force refuses "
             "seccomp() itself";
    default: return "seccomp() refused the probe's filter";
  }
}

ProbeSetupError step_error(const SeccompProber::Slot& slot) {
  return {kStepNames[slot.step], slot.error, meaning_of(slot.step, slot.error)};
}

ProbeSetupError died_early(int wait_status) {
  std::string how = WIFSIGNALED(wait_status) ? "killed by signal " + std::to_string(WTERMSIG(wait_status))
                                             : "exited " + std::to_string(WEXITSTATUS(wait_status));
  return {"starting a probe", 0,
          "the probe " + how + " before its filter was in place: the filter in force kills prctl or seccomp"};
}

ProbeResult from_wait_status(int number, int status) {
  if (WIFSIGNALED(status)) return {number, Outcome::killed, WTERMSIG(status)};
  int code = WEXITSTATUS(status);
  if (code == kExitTrapped) return {number, Outcome::trapped, SIGSYS};
  if (code == kExitNoNotice) return {number, Outcome::refused, 0};
  return {number, Outcome::refused, code};
}

bool exited(pid_t pid, int& status) { return ::waitpid(pid, &status, WNOHANG) == pid; }

void kill_and_reap(pid_t pid) {
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
}

// A notification is waiting: the call reached the end of the filter chain. Answer it with an
// error so that, should the probe outlive our SIGKILL for a moment, the call still never runs.
void answer(int listener) {
  seccomp_notif request{};
  if (::ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &request) != 0) return;
  seccomp_notif_resp response{};
  response.id = request.id;
  response.error = -EPERM;
  ::ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &response);
}

}  // namespace

std::variant<SeccompProber, ProbeSetupError> SeccompProber::create() {
  void* page = ::mmap(nullptr, sizeof(Slot), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) return ProbeSetupError{"mmap(MAP_SHARED)", errno, "no memory for the shared page"};
  return SeccompProber(new (page) Slot);
}

SeccompProber::~SeccompProber() {
  if (slot_ != nullptr) ::munmap(slot_, sizeof(Slot));
}

SeccompProber::SeccompProber(SeccompProber&& other) noexcept : slot_(std::exchange(other.slot_, nullptr)) {}

std::variant<ProbeResult, ProbeSetupError> SeccompProber::probe(int number, std::chrono::milliseconds timeout) {
  slot_->state.store(kWaiting);
  slot_->listener = -1;
  auto deadline = Clock::now() + timeout;
  pid_t pid = static_cast<pid_t>(::syscall(SYS_clone, CLONE_FILES | SIGCHLD, nullptr, nullptr, nullptr, 0L));
  if (pid < 0) return ProbeSetupError{"clone(CLONE_FILES)", errno, "cannot start a probe process"};
  if (pid == 0) run_probe(number, slot_);
  Installed installed = wait_for_filter(pid, deadline);
  if (installed.filter == Filter::failed) return installed.error;
  if (installed.filter == Filter::timed_out) return ProbeResult{number, Outcome::no_answer, 0};
  ProbeResult result = installed.ended ? from_wait_status(number, *installed.ended)
                                       : await_verdict(number, pid, slot_->listener, deadline);
  ::close(slot_->listener);
  return result;
}

// Step 1: until the probe's filter is in place, or it failed, or the probe died trying.
SeccompProber::Installed SeccompProber::wait_for_filter(pid_t pid, Clock::time_point deadline) {
  int status = 0;
  int state = kWaiting;
  while ((state = slot_->state.load(std::memory_order_acquire)) == kWaiting) {
    if (exited(pid, status)) {
      // It may have installed its filter, made the call and exited between our two looks.
      state = slot_->state.load(std::memory_order_acquire);
      if (state == kInstalled) return {Filter::in_place, {}, status};
      if (state == kWaiting) return {Filter::failed, died_early(status), std::nullopt};
      return {Filter::failed, step_error(*slot_), std::nullopt};  // reaped already: no kill
    }
    if (Clock::now() > deadline) {
      kill_and_reap(pid);
      return {Filter::timed_out, {}, std::nullopt};
    }
    ::sched_yield();
  }
  if (state == kInstalled) return {Filter::in_place, {}, std::nullopt};
  kill_and_reap(pid);
  return {Filter::failed, step_error(*slot_), std::nullopt};
}

// Step 2: a notification (reachable) or the probe's end (blocked), whichever comes first.
ProbeResult SeccompProber::await_verdict(int number, pid_t pid, int listener, Clock::time_point deadline) {
  int status = 0;
  for (;;) {
    pollfd ready{listener, POLLIN, 0};
    if (::poll(&ready, 1, 1) > 0 && (ready.revents & POLLIN) != 0) {
      answer(listener);
      kill_and_reap(pid);
      return {number, Outcome::reachable, 0};
    }
    if (exited(pid, status)) return from_wait_status(number, status);
    if (Clock::now() > deadline) {
      kill_and_reap(pid);
      return {number, Outcome::no_answer, 0};
    }
  }
}

}  // namespace deploylab::bench::isolation
