// containers/runtime/init_process.cpp: the container's init (see init_process.h).
#include "containers/runtime/init_process.h"

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <linux/close_range.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>

#include "common/file_io.h"
#include "containers/net/loopback.h"
#include "containers/rootfs/mounts.h"
#include "containers/runtime/console.h"
#include "containers/runtime/exec_fifo.h"
#include "containers/runtime/hooks.h"
#include "containers/security/process_security.h"

namespace deploylab::ctr {
namespace {

using namespace std::chrono_literals;

// Before anything: the init was forked from minictr and holds copies of all its descriptors,
// the state lock among them (a flock lives as long as any copy of its descriptor), so every
// descriptor but stdio and the two the init needs is closed. Otherwise `start` and `delete`
// would wait for the lock until the program execs, which it only does after `start`.
void close_inherited_fds(std::vector<int> keep) {
  std::sort(keep.begin(), keep.end());
  unsigned int from = 3;
  for (int fd : keep) {
    if (fd < static_cast<int>(from)) continue;
    if (static_cast<unsigned int>(fd) > from) ::close_range(from, static_cast<unsigned int>(fd) - 1, 0);
    from = static_cast<unsigned int>(fd) + 1;
  }
  ::close_range(from, ~0u, 0);
}

// Step 1: setns into each namespace given by path (a user namespace first: init_plan.cpp).
Result<void> join_namespaces(const InitPlan& plan) {
  // BEGIN SOLUTION lab 5: open each namespace file and setns() into it (the pid one is the parent's job)
  for (const NamespaceJoin& join : plan.joins) {
    if (join.type == NamespaceType::pid) continue;  // the parent joined it before clone (pid_for_children)
    UniqueFd fd(::open(join.path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return Error::os("open", join.path.string(), errno, "linux.namespaces[].path must name a namespace file");
    if (::setns(fd.get(), clone_flag(join.type)) != 0) {
      return Error::os("setns", join.path.string(), errno, "is it a " + std::string(oci_name(join.type)) + " namespace?");
    }
  }
  // END SOLUTION
  return {};
}

// Step 2: the parent's "go" carries the container's state JSON, for the hooks.
Result<std::string> wait_for_go(InitChannel& channel) {
  std::string message = DL_TRY(channel.receive(120s));
  if (!message.starts_with("go")) return Error::invalid("the parent went away before the container was set up");
  return message.substr(message.find('\n') == std::string::npos ? message.size() : message.find('\n') + 1);
}

// Step 3. In a new user namespace the init is still the host's root (uid and gid 0), which
// the namespace's maps do not cover: files it makes would have an owner the namespace cannot
// name (EOVERFLOW). Becoming the namespace's own root, now that the parent wrote the maps,
// gives it ids that map (0 inside is hostID outside) and every capability inside.
Result<void> enter_identity(const InitPlan& plan) {
  if (!plan.uid_map.empty()) {
    if (::setgroups(0, nullptr) != 0) return Error::os("setgroups", "in the new user namespace", errno);
    if (::setresgid(0, 0, 0) != 0) return Error::os("setresgid(0)", "in the new user namespace", errno, "does gidMappings map gid 0?");
    if (::setresuid(0, 0, 0) != 0) return Error::os("setresuid(0)", "in the new user namespace", errno, "does uidMappings map uid 0?");
  }
  // BEGIN SOLUTION lab 5: set the hostname and the domain name
  if (!plan.hostname.empty() && ::sethostname(plan.hostname.data(), plan.hostname.size()) != 0) {
    return Error::os("sethostname", plan.hostname, errno, "a hostname needs a uts namespace");
  }
  if (!plan.domainname.empty() && ::setdomainname(plan.domainname.data(), plan.domainname.size()) != 0) {
    return Error::os("setdomainname", plan.domainname, errno);
  }
  // END SOLUTION
  return {};
}

// Step 5b: the cgroup namespace, rooted at the cgroup the parent put the init in. It waits until
// the root filesystem is built: the container's /sys/fs/cgroup is made from the init's cgroup
// paths as the host sees them (containers/rootfs/cgroup_mount.h), and inside the namespace
// /proc/self/cgroup would only say "/".
Result<void> enter_cgroup_namespace(const InitPlan& plan) {
  if (!plan.new_cgroup_namespace) return {};
  // BEGIN SOLUTION lab 5: make the cgroup namespace
  if (::unshare(CLONE_NEWCGROUP) != 0) return Error::os("unshare(CLONE_NEWCGROUP)", "", errno, "cgroup namespaces need Linux 4.6");
  // END SOLUTION
  return {};
}

// Step 6: sysctls are files under /proc/sys ("net.ipv4.ip_forward" -> net/ipv4/ip_forward).
Result<void> apply_sysctls(const InitPlan& plan) {
  for (const auto& [key, value] : plan.sysctl) {
    std::string path = "/proc/sys/" + key;
    for (char& c : path) c = c == '.' ? '/' : c;
    auto fd = DL_TRY(open_file(path, O_WRONLY | O_CLOEXEC));
    DL_TRY(write_all(fd.get(), value, path).context("linux.sysctl " + key));
  }
  return {};
}

Result<void> apply_limits(const InitPlan& plan) {
  for (const Rlimit& r : plan.rlimits) {
    rlimit limit{static_cast<rlim_t>(r.soft), static_cast<rlim_t>(r.hard)};
    if (::setrlimit(r.resource, &limit) != 0) return Error::os("setrlimit", r.type, errno, "soft must not exceed hard");
  }
  if (plan.oom_score_adj) {
    auto fd = DL_TRY(open_file("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC));
    DL_TRY(write_all(fd.get(), std::to_string(*plan.oom_score_adj), "/proc/self/oom_score_adj"));
  }
  return {};
}

// Step 7: become the configured user with exactly the configured capabilities, no_new_privs
// and (without no_new_privs) the seccomp filter, in runc's order: containers/security/
// process_security.h. The user change (groups, gid, uid) happens in the middle, with the
// capabilities kept across it.
Result<void> become_user(const InitPlan& plan) {
  const User& u = plan.user;
  DL_TRY(drop_privileges(plan.security, [&] { return switch_to_user(u); }));
  if (u.umask) ::umask(static_cast<mode_t>(*u.umask));
  if (::chdir(plan.cwd.c_str()) != 0) return Error::os("chdir", plan.cwd, errno, "process.cwd must exist in the container's root");
  return {};
}

// Steps 1-7.
Result<void> set_up(const InitPlan& plan, InitChannel& channel, const UniqueFd& console, std::string& state_json) {
  DL_TRY(join_namespaces(plan).context("joining namespaces"));
  state_json = DL_TRY(wait_for_go(channel));
  DL_TRY(enter_identity(plan));
  // A network namespace of its own starts with `lo` down; runc brings it up, and so do we.
  if ((plan.clone_flags & CLONE_NEWNET) != 0) DL_TRY(bring_up_loopback());
  DL_TRY(run_hooks(plan.create_container_hooks, state_json, "createContainer"));
  DL_TRY(prepare_rootfs(plan.rootfs).context("preparing the root filesystem"));
  DL_TRY(enter_cgroup_namespace(plan));
  DL_TRY(apply_sysctls(plan));
  if (plan.terminal) {
    UniqueFd master = DL_TRY(make_container_terminal());
    DL_TRY(send_fd(console.get(), master.get(), "console"));
  }
  DL_TRY(apply_limits(plan));
  DL_TRY(become_user(plan));
  return {};
}

// Step 9's exec: args[0] is looked up on the container's PATH, so the environment goes first.
// With no_new_privs the seccomp filter goes in here, as the last step before execve, so it has
// to allow none of the init's own calls (process_security.h).
[[noreturn]] void exec_program(const InitPlan& plan) {
  auto filtered = load_seccomp_before_exec(plan.security);
  if (!filtered.ok()) {
    std::fprintf(stderr, "minictr: %s\n", filtered.error().message().c_str());
    ::_exit(1);
  }
  ::clearenv();
  for (const std::string& entry : plan.env) ::putenv(const_cast<char*>(entry.c_str()));
  std::vector<char*> argv;
  for (const std::string& word : plan.args) argv.push_back(const_cast<char*>(word.c_str()));
  argv.push_back(nullptr);
  ::execvp(argv[0], argv.data());
  int code = errno;
  std::fprintf(stderr, "minictr: exec %s in the container: %s%s\n", plan.args[0].c_str(), std::strerror(code),
               code == ENOENT ? " (is it in the container's root, and on its PATH?)" : "");
  ::_exit(code == ENOENT ? 127 : 126);
}

}  // namespace

void run_container_init(const InitPlan& plan, InitChannel channel, UniqueFd console, UniqueFd fifo) {
  // `minictr run` blocks signals to forward them; the container's program starts with none
  // blocked and every disposition at its default, as after a plain fork and exec.
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD}) ::signal(sig, SIG_DFL);
  close_inherited_fds({channel.fd(), console.get(), fifo.get()});
  std::string state_json;
  Result<void> ready = Error::invalid("the init did not set up");
  try {
    ready = set_up(plan, channel, console, state_json);
  } catch (const std::exception& e) {  // a lab's stub (NotImplemented) reaches the parent as text
    ready = Error::invalid(e.what());
  }
  if (!ready.ok()) {
    (void)channel.send(init_error_message(ready.error()));
    ::_exit(1);
  }
  console.reset();
  if (!channel.send("ready").ok()) ::_exit(1);
  channel.close();
  if (fifo.valid()) {
    auto started = ExecFifo::wait_for_start(fifo);
    if (!started.ok()) {
      std::fprintf(stderr, "minictr: %s\n", started.error().message().c_str());
      ::_exit(1);
    }
  }
  auto hooks = run_hooks(plan.start_container_hooks, state_json, "startContainer");
  if (!hooks.ok()) {
    std::fprintf(stderr, "minictr: %s\n", hooks.error().message().c_str());
    ::_exit(1);
  }
  exec_program(plan);
}

}  // namespace deploylab::ctr
