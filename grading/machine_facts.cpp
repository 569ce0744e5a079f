// grading/machine_facts.cpp: reading MachineFacts off the running machine (see machine_facts.h).
// Trials that change kernel state (unshare, an overlay mount) run in a forked child, so the
// doctor itself never changes namespaces and leaves no mount behind.
#include "grading/machine_facts.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

#include "common/file_io.h"
#include "common/temp_dir.h"
#include "common/unique_fd.h"

namespace deploylab::grading {
namespace {

std::uint64_t effective_capabilities() {
  std::istringstream status(read_file_or_empty("/proc/self/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("CapEff:", 0) == 0) return std::stoull(line.substr(7), nullptr, 16);
  }
  return 0;
}

// Runs `trial` in a forked child; returns 0 if it succeeded, else the errno it reported.
template <class Trial>
int in_child(Trial trial) {
  pid_t pid = ::fork();
  if (pid < 0) return errno;
  if (pid == 0) ::_exit(trial());
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : EFAULT;
}

std::map<std::string, int> namespace_trials() {
  const std::pair<const char*, int> kinds[] = {{"mount", CLONE_NEWNS}, {"uts", CLONE_NEWUTS},   {"ipc", CLONE_NEWIPC},
                                               {"pid", CLONE_NEWPID},  {"net", CLONE_NEWNET},   {"user", CLONE_NEWUSER},
                                               {"cgroup", CLONE_NEWCGROUP}};
  std::map<std::string, int> out;
  for (auto [name, flag] : kinds) out[name] = in_child([flag] { return ::unshare(flag) == 0 ? 0 : errno; });
  return out;
}

// Mounts a tiny overlay in a private mount namespace of a child: the real test of overlayfs.
int overlay_trial() {
  auto dir = TempDir::create("deploylab-doctor-");
  if (!dir.ok()) return dir.error().code;
  for (const char* sub : {"lower", "upper", "work", "merged"}) std::filesystem::create_directory(dir.value() / sub);
  std::string options = "lowerdir=" + (dir.value() / "lower").string() + ",upperdir=" + (dir.value() / "upper").string() +
                        ",workdir=" + (dir.value() / "work").string();
  std::string target = (dir.value() / "merged").string();
  return in_child([&] {
    if (::unshare(CLONE_NEWNS) != 0) return errno;
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return errno;
    return ::mount("overlay", target.c_str(), "overlay", 0, options.c_str()) == 0 ? 0 : errno;
  });
}

bool on_path(const std::string& program) {
  std::istringstream path(std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin");
  for (std::string dir; std::getline(path, dir, ':');) {
    if (::access((std::filesystem::path(dir) / program).c_str(), X_OK) == 0) return true;
  }
  return false;
}

}  // namespace

MachineFacts gather_machine_facts(const std::filesystem::path& build_dir) {
  MachineFacts facts;
  utsname uts{};
  ::uname(&uts);
  facts.arch = uts.machine;
  facts.kernel_release = uts.release;
  facts.is_root = ::geteuid() == 0;
  facts.cap_effective = effective_capabilities();
  facts.virt = vmhost::gather_virt_facts();
  facts.mounts = read_file_or_empty("/proc/self/mounts");
  facts.namespaces = namespace_trials();
  facts.overlay_listed = read_file_or_empty("/proc/filesystems").find("\toverlay\n") != std::string::npos;
  facts.overlay_mount_errno = overlay_trial();
  facts.seccomp_filter = read_file_or_empty("/proc/self/status").find("Seccomp_filters:") != std::string::npos;
  for (const char* tool : {"cmake", "g++", "ninja", "qemu-system-x86_64", "runc", "crun", "etcd", "busybox", "ip"}) {
    facts.tools[tool] = on_path(tool);
  }
  for (const char* asset : {"assets/kernel/vmlinuz", "assets/initramfs.cpio.gz", "assets/vmhost-initramfs.cpio.gz",
                            "assets/rootfs/bin/busybox", "tools/bin/kubectl"}) {
    facts.assets[asset] = std::filesystem::exists(build_dir / asset);
  }
  return facts;
}

}  // namespace deploylab::grading
