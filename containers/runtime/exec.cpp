// containers/runtime/exec.cpp: `minictr exec ID -- CMD`: one more process inside a running
// container, as `docker exec` does. The container is a set of namespaces and a cgroup, so
// joining it means: enter the cgroup, setns() into each of the init's namespaces that differ
// from ours (/proc/PID/ns/*), then fork, because a new pid namespace only applies to children.
// Entering the mount namespace also moves us to the container's root. The new process then gets
// what the container's own process got (as runc's exec does): process.user, the capabilities,
// no_new_privs and the seccomp filter (containers/security/process_security.h).
#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/child_process.h"
#include "common/file_io.h"
#include "containers/cgroups/cgroup.h"
#include "containers/cgroups/layout.h"
#include "containers/oci/namespace_type.h"
#include "containers/oci/spec.h"
#include "containers/runtime/runtime.h"
#include "containers/security/process_security.h"

namespace deploylab::ctr {
namespace {

// The user namespace first (it grants the rights for the others), the mount namespace last
// (after it, /proc/PID paths would be the container's).
constexpr NamespaceType kJoinOrder[] = {NamespaceType::user, NamespaceType::ipc,    NamespaceType::uts,
                                        NamespaceType::network, NamespaceType::pid, NamespaceType::cgroup,
                                        NamespaceType::mount};

bool same_namespace(const std::string& a, const std::string& b) {
  struct stat sa {}, sb {};
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev;
}

// Opens every namespace of `pid` that differs from ours, before joining any.
Result<std::vector<std::pair<NamespaceType, UniqueFd>>> open_namespaces(int pid) {
  std::vector<std::pair<NamespaceType, UniqueFd>> fds;
  for (NamespaceType type : kJoinOrder) {
    std::string theirs = "/proc/" + std::to_string(pid) + "/ns/" + std::string(proc_ns_name(type));
    std::string ours = "/proc/self/ns/" + std::string(proc_ns_name(type));
    if (same_namespace(theirs, ours)) continue;
    fds.emplace_back(type, DL_TRY(open_file(theirs, O_RDONLY | O_CLOEXEC)));
  }
  return fds;
}

// In the command's own process: the container's user and security settings, then execve.
[[noreturn]] void exec_inside(const std::vector<std::string>& argv, const std::vector<std::string>& env, const Spec& spec,
                              const ProcessSecurity& security) {
  auto confined = [&]() -> Result<void> {
    DL_TRY(drop_privileges(security, [&] { return switch_to_user(spec.process.user); }));
    if (::chdir(spec.process.cwd.c_str()) != 0) (void)::chdir("/");
    return load_seccomp_before_exec(security);
  }();
  if (!confined.ok()) {
    std::fprintf(stderr, "minictr exec: %s\n", confined.error().message().c_str());
    ::_exit(125);
  }
  ::clearenv();
  for (const std::string& entry : env) ::putenv(const_cast<char*>(entry.c_str()));
  std::vector<char*> args;
  for (const std::string& word : argv) args.push_back(const_cast<char*>(word.c_str()));
  args.push_back(nullptr);
  ::execvp(args[0], args.data());
  std::fprintf(stderr, "minictr exec: %s: %s\n", argv[0].c_str(), std::strerror(errno));
  ::_exit(errno == ENOENT ? 127 : 126);
}

int wait_for(pid_t pid) {
  int raw = 0;
  while (::waitpid(pid, &raw, 0) < 0 && errno == EINTR) {
  }
  ExitStatus status = ExitStatus::from_wait_status(raw);
  return status.exited() ? status.code : 128 + status.signal;
}

// In the forked helper: into the cgroup and the namespaces, then fork the command itself.
[[noreturn]] void join_and_run(const ContainerState& state, const Spec& spec, const ProcessSecurity& security,
                               const std::vector<std::string>& argv, std::vector<std::string> env) {
  auto joined = [&]() -> Result<void> {
    CgroupLayout layout = DL_TRY(discover_layout());
    Cgroup cgroup = DL_TRY(Cgroup::open(layout, state.cgroup_path, CgroupOwnership::borrowed));
    DL_TRY(cgroup.add_process(::getpid()));
    auto namespaces = DL_TRY(open_namespaces(state.pid));
    // The init's root, opened before the mount namespace changes under us: after pivot_root it
    // is that namespace's root anyway, but a container made by the chroot fallback
    // (containers/rootfs/mounts.cpp) is only reached through it.
    UniqueFd root = DL_TRY(open_file("/proc/" + std::to_string(state.pid) + "/root", O_PATH | O_DIRECTORY | O_CLOEXEC));
    for (auto& [type, fd] : namespaces) {
      if (::setns(fd.get(), clone_flag(type)) != 0) return Error::os("setns", std::string(oci_name(type)), errno);
    }
    if (::fchdir(root.get()) != 0 || ::chroot(".") != 0) return Error::os("chroot", "the container's root", errno);
    return {};
  }();
  if (!joined.ok()) {
    std::fprintf(stderr, "minictr exec: %s\n", joined.error().message().c_str());
    ::_exit(125);
  }
  for (const std::string& entry : spec.process.env) env.insert(env.begin(), entry);  // ours win
  pid_t child = ::fork();
  if (child == 0) exec_inside(argv, env, spec, security);
  ::_exit(child < 0 ? 125 : wait_for(child));
}

}  // namespace

Result<int> Runtime::exec(std::string_view id, const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  if (argv.empty()) return Error::invalid("exec needs a command", "", "write it after --, e.g. minictr exec web -- ps");
  ContainerState state = DL_TRY(this->state(id));
  if (state.status != Status::running && state.status != Status::created) {
    return Error::invalid("container \"" + state.id + "\" is " + std::string(to_string(state.status)) + ": nothing to exec into");
  }
  Spec spec = DL_TRY(load_spec(state.bundle));
  ProcessSecurity security = DL_TRY(plan_process_security(spec.process, spec.linux_spec.seccomp));
  std::fflush(nullptr);
  pid_t helper = ::fork();
  if (helper < 0) return Error::os("fork", "minictr exec", errno);
  if (helper == 0) join_and_run(state, spec, security, argv, env);
  return wait_for(helper);
}

}  // namespace deploylab::ctr
