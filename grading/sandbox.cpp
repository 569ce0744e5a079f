// grading/sandbox.cpp: the before_exec hook that boxes a graded test (see sandbox.h for the
// process tree and the reasons). Everything above sandbox_hook() runs in a freshly forked child,
// so it uses syscalls only: no allocation, no stdio, no exceptions (the one exception is the
// Error returned when a fork fails, which ends this child anyway).
#include "grading/sandbox.h"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace deploylab::grading {
namespace {

constexpr rlim_t kMaxFileSize = rlim_t{1} << 30;  // a runaway test fills 1 GiB, not the disk

void write_raw(const char* text, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(STDERR_FILENO, text, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    text += n;
    size -= static_cast<size_t>(n);
  }
}

// Writes "grade sandbox: <what>: <ERRNO>" as one line to stderr, for the runner to pick up.
void note(const char* what, int error) {
  char line[256];
  size_t used = 0;
  auto append = [&](const char* text, size_t size) {
    size_t room = sizeof(line) - 1 - used;
    size = size < room ? size : room;
    std::memcpy(line + used, text, size);
    used += size;
  };
  append(kSandboxNotePrefix.data(), kSandboxNotePrefix.size());
  append(what, std::strlen(what));
  const char* name = error != 0 ? strerrorname_np(error) : nullptr;
  if (name != nullptr) {
    append(": ", 2);
    append(name, std::strlen(name));
  }
  line[used++] = '\n';
  write_raw(line, used);
}

// Writes `value` in decimal at `out`, NUL-terminated (snprintf is not safe after fork); its length.
size_t format_decimal(long value, char* out) {
  char digits[24];
  size_t n = 0;
  do digits[n++] = static_cast<char>('0' + value % 10);
  while ((value /= 10) > 0);
  for (size_t i = 0; i < n; ++i) out[i] = digits[n - 1 - i];
  out[n] = '\0';
  return n;
}

void limit_resources() {
  rlimit no_core{0, 0};
  if (::setrlimit(RLIMIT_CORE, &no_core) != 0) note("could not disable core dumps", errno);
  rlimit file_size{kMaxFileSize, kMaxFileSize};
  if (::setrlimit(RLIMIT_FSIZE, &file_size) != 0) note("could not limit file sizes to 1 GiB", errno);
}

// The keeper dies with the grader (the thread that forked it), so a killed grader leaves no tests.
void die_with_parent(pid_t parent) {
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) note("could not tie the test's life to the grader's", errno);
  if (::getppid() != parent) ::_exit(128 + SIGKILL);  // the grader died before prctl took effect
}

// The fifth space-separated field of `line`, NUL-terminated in place; nullptr if there is none.
char* fifth_field(char* line) {
  char* field = line;
  for (int i = 0; i < 4; ++i) {
    field = std::strchr(field, ' ');
    if (field == nullptr) return nullptr;
    ++field;
  }
  if (char* end = std::strchr(field, ' ')) *end = '\0';
  return field;
}

// For a "/" that is not a mount point: makes every mount point under it private (each is a mount
// root, so that works where "/" did not). True if /proc and /sys were among them. Reads
// /proc/self/mountinfo into a static buffer: no allocation after fork.
bool make_mount_points_private() {
  static char table[1 << 18];
  int fd = ::open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  size_t used = 0;
  for (ssize_t n; used < sizeof(table) - 1 && (n = ::read(fd, table + used, sizeof(table) - 1 - used)) > 0;) used += static_cast<size_t>(n);
  ::close(fd);
  table[used] = '\0';
  bool proc = false, sys = false;
  for (char* line = table; *line != '\0';) {
    char* end = std::strchr(line, '\n');
    if (end != nullptr) *end = '\0';
    char* mount_point = fifth_field(line);  // id parent major:minor root MOUNT-POINT ...
    if (mount_point != nullptr && ::mount(nullptr, mount_point, nullptr, MS_REC | MS_PRIVATE, nullptr) == 0) {
      proc |= std::strcmp(mount_point, "/proc") == 0;
      sys |= std::strcmp(mount_point, "/sys") == 0;
    }
    if (end == nullptr) break;
    line = end + 1;
  }
  return proc && sys;
}

// A private copy of the mount table: mounts made from here on are invisible outside and go away
// with the namespace. rprivate matters: copies of shared mounts would propagate back to the host.
bool make_mount_namespace() {
  if (::unshare(CLONE_NEWNS) != 0) {
    note("no mount namespace: mounts the test makes stay after it", errno);
    return false;
  }
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0) return true;
  if (errno != EINVAL) {
    note("could not make / private: the sandbox mounts nothing", errno);
    return false;
  }
  // EINVAL: "/" is not a mount point, as in a chroot. Its mount cannot be named from in here, so
  // it stays shared and anything mounted on a plain directory would show up outside. Mounting
  // over /proc and /sys is still safe when they are mount points of their own, made private.
  if (make_mount_points_private()) return true;
  note("/ is not a mount point (a chroot?) and /proc or /sys is not one either: the sandbox mounts nothing", 0);
  return false;
}

// `ip link set lo up`, without a subprocess: set IFF_UP in lo's flags through any socket.
void bring_up_loopback() {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    note("no socket to bring up lo", errno);
    return;
  }
  ifreq request{};
  std::memcpy(request.ifr_name, "lo", 3);
  if (::ioctl(fd, SIOCGIFFLAGS, &request) != 0 ||
      (request.ifr_flags |= IFF_UP, ::ioctl(fd, SIOCSIFFLAGS, &request) != 0)) {
    note("could not bring up lo: 127.0.0.1 is unreachable", errno);
  }
  ::close(fd);
}

// /sys/class/net lists the interfaces of the network namespace that mounted sysfs, so a new
// namespace needs a new sysfs (as `ip netns exec` does). The fresh sysfs hides the cgroup mounts
// under /sys/fs/cgroup; they are bound back from a handle taken before, for the cgroup labs.
void remount_sysfs() {
  int cgroup = ::open("/sys/fs/cgroup", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (::mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) {
    note("could not remount /sys: /sys/class/net shows the host's interfaces", errno);
  } else if (cgroup >= 0) {
    char source[64] = "/proc/self/fd/";
    format_decimal(cgroup, source + std::strlen(source));
    if (::mount(source, "/sys/fs/cgroup", nullptr, MS_BIND | MS_REC, nullptr) != 0) {
      note("could not bind /sys/fs/cgroup back after remounting /sys", errno);
    }
  }
  if (cgroup >= 0) ::close(cgroup);
}

void make_network_namespace(bool own_mounts) {
  if (::unshare(CLONE_NEWNET) != 0) {
    note("no network namespace: the test sees the host's network", errno);
    return;
  }
  bring_up_loopback();
  if (own_mounts) remount_sysfs();
}

// Closes every descriptor above stderr except `keep`: the keeper and init must not hold the
// pipes ChildProcess uses to learn whether exec worked, or spawn() would wait for the whole test.
// (keep = -1: close them all.)
void close_all_but(int keep) {
  if (keep < 3) {
    ::close_range(3, ~0U, 0);
    return;
  }
  if (keep > 3) ::close_range(3, static_cast<unsigned>(keep) - 1, 0);
  ::close_range(static_cast<unsigned>(keep) + 1, ~0U, 0);
}

// Ends this process the way `status` says the test ended: same exit code, or same signal.
[[noreturn]] void end_like(int status) {
  if (WIFEXITED(status)) ::_exit(WEXITSTATUS(status));
  int sig = WIFSIGNALED(status) ? WTERMSIG(status) : SIGKILL;
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  ::sigaction(sig, &dfl, nullptr);
  sigset_t only;
  sigemptyset(&only);
  sigaddset(&only, sig);
  ::sigprocmask(SIG_UNBLOCK, &only, nullptr);
  ::kill(::getpid(), sig);
  ::_exit(128 + sig);
}

// Reaps children (the test and the orphans reparented to us) until `test` ends; its wait status.
int reap_until(pid_t test) {
  for (;;) {
    int status = 0;
    pid_t reaped = ::waitpid(-1, &status, 0);
    if (reaped == test) return status;
    if (reaped < 0 && errno != EINTR) return 127 << 8;  // cannot happen: `test` is our child
  }
}

// Reads our children's pids from /proc/self/task/<pid>/children into `pids`; how many.
size_t list_children(pid_t* pids, size_t max) {
  char path[64] = "/proc/self/task/";
  size_t at = std::strlen(path);
  at += format_decimal(::getpid(), path + at);
  std::memcpy(path + at, "/children", 10);
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char text[4096];
  ssize_t n = ::read(fd, text, sizeof(text) - 1);
  ::close(fd);
  size_t count = 0;
  pid_t value = 0;
  for (ssize_t i = 0; i < n && count < max; ++i) {
    if (text[i] >= '0' && text[i] <= '9') {
      value = value * 10 + (text[i] - '0');
    } else if (value != 0) {
      pids[count++] = value;
      value = 0;
    }
  }
  return count;
}

// SIGKILLs and reaps every child, round after round: killing one reparents its own children to
// us (we are a subreaper), so the next round finds them.
void kill_remaining_children() {
  for (int round = 0; round < 64; ++round) {
    pid_t pids[256];
    size_t count = list_children(pids, 256);
    if (count == 0) return;
    for (size_t i = 0; i < count; ++i) ::kill(pids[i], SIGKILL);
    for (size_t i = 0; i < count; ++i) ::waitpid(pids[i], nullptr, 0);
  }
}

// PID 1 of the namespace: reaps everything until the test ends, reports its status, exits. Its
// exit SIGKILLs whatever the test left running. Returns only in the test process.
void be_init(int status_fd, bool own_mounts) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // the keeper was killed: take the namespace down too
  if (own_mounts && ::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) {
    note("could not mount /proc for the PID namespace: it shows the host's processes", errno);
  }
  pid_t test = ::fork();
  if (test < 0) {
    note("could not fork the test inside its PID namespace", errno);
    ::_exit(127);
  }
  if (test == 0) {
    ::close(status_fd);
    return;
  }
  close_all_but(status_fd);
  int status = reap_until(test);
  while (::write(status_fd, &status, sizeof(status)) < 0 && errno == EINTR) {}
  ::_exit(0);
}

// The keeper: waits for init, then ends like the test did.
[[noreturn]] void be_keeper(pid_t init, int status_fd) {
  close_all_but(status_fd);
  int status = 0;
  ssize_t got;
  do got = ::read(status_fd, &status, sizeof(status));
  while (got < 0 && errno == EINTR);
  int init_status = 0;
  while (::waitpid(init, &init_status, 0) < 0 && errno == EINTR) {}
  end_like(got == sizeof(status) ? status : init_status);
}

// Forks init into the PID namespace unshared before; returns only in the test process.
Result<void> run_under_init(bool own_mounts) {
  int status_pipe[2];
  if (::pipe2(status_pipe, O_CLOEXEC) != 0) return Error::os("pipe2", "sandbox status pipe", errno);
  pid_t init = ::fork();
  if (init < 0) return Error::os("fork", "sandbox init", errno, "too many processes? check `ulimit -u`");
  if (init > 0) {
    ::close(status_pipe[1]);
    be_keeper(init, status_pipe[0]);
  }
  ::close(status_pipe[0]);
  be_init(status_pipe[1], own_mounts);
  return {};
}

// Without a PID namespace: the keeper becomes a subreaper (orphans of the test are reparented to
// it instead of to the host's init), forks the test, and when the test ends kills whatever is left.
// Weaker than a namespace (the test sees the host's processes, and one that forks as fast as we
// kill could outlast the rounds), but it catches the usual daemon that double-forks or calls
// setsid(). Returns only in the test process.
Result<void> run_under_subreaper() {
  if (::prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
    note("no subreaper either: processes the test leaves running may outlive it", errno);
    return {};
  }
  pid_t test = ::fork();
  if (test < 0) return Error::os("fork", "sandboxed test", errno, "too many processes? check `ulimit -u`");
  if (test == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    return {};
  }
  close_all_but(-1);
  int status = reap_until(test);
  kill_remaining_children();
  end_like(status);
}

Result<void> enter_sandbox(SandboxPolicy policy, pid_t parent) {
  limit_resources();
  die_with_parent(parent);
  bool own_mounts = make_mount_namespace();
  if (policy.network == Network::none) make_network_namespace(own_mounts);
  // A PID namespace needs its own /proc, or /proc/<pid> would name other processes than the
  // test's getpid() and fork() do; without a mount namespace the subreaper does the cleaning.
  if (!own_mounts) {
    note("no PID namespace either (no private /proc for it): a subreaper cleans up what the test leaves running", 0);
    return run_under_subreaper();
  }
  if (::unshare(CLONE_NEWPID) != 0) {
    note("no PID namespace: a subreaper cleans up what the test leaves running instead", errno);
    return run_under_subreaper();
  }
  return run_under_init(own_mounts);
}

}  // namespace

std::function<Result<void>()> sandbox_hook(SandboxPolicy policy) {
  pid_t parent = ::getpid();
  return [policy, parent]() { return enter_sandbox(policy, parent); };
}

}  // namespace deploylab::grading
