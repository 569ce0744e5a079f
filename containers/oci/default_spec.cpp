// containers/oci/default_spec.cpp: default_spec_json() (see default_spec.h), built with
// nlohmann::ordered_json so the members come out in the order the runtime-spec documents them.
#include "containers/oci/default_spec.h"

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace deploylab::ctr {

// Docker's historical default minus everything else: enough to kill processes in the container,
// bind ports below 1024 and write audit records (login programs do), nothing that reaches the host.
std::vector<std::string> default_capabilities() { return {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"}; }

namespace {

using Doc = nlohmann::ordered_json;

// runc spec fills four sets with them, and leaves inheritable empty (CVE-2022-29162).
Doc capability_sets() {
  Doc set = default_capabilities();
  return Doc{{"bounding", set}, {"effective", set}, {"permitted", set}, {"ambient", set}};
}

Doc default_process() {
  return Doc{
      {"terminal", true},
      {"user", {{"uid", 0}, {"gid", 0}}},
      {"args", Doc::array({"sh"})},
      {"env", Doc::array({"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"})},
      {"cwd", "/"},
      {"capabilities", capability_sets()},
      {"rlimits", Doc::array({{{"type", "RLIMIT_NOFILE"}, {"hard", 1024}, {"soft", 1024}}})},
      {"noNewPrivileges", true},
  };
}

Doc mount(const char* destination, const char* type, const char* source, const std::vector<std::string>& options) {
  Doc entry{{"destination", destination}, {"type", type}, {"source", source}};
  if (!options.empty()) entry["options"] = options;
  return entry;
}

// The file systems every Linux program expects: /proc for this pid namespace, a private /dev on
// tmpfs with its own pty instance, POSIX shared memory and message queues, and a read-only /sys.
Doc default_mounts() {
  return Doc::array({
      mount("/proc", "proc", "proc", {}),
      mount("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}),
      mount("/dev/pts", "devpts", "devpts", {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}),
      mount("/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}),
      mount("/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}),
      mount("/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}),
      mount("/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "relatime", "ro"}),
  });
}

Doc default_namespaces() {
  Doc list = Doc::array();
  for (const char* type : {"pid", "network", "ipc", "uts", "mount", "cgroup"}) list.push_back({{"type", type}});
  return list;
}

Doc default_linux() {
  return Doc{
      // Deny every device in the devices cgroup; the runtime adds back /dev/null, /dev/zero & co.
      {"resources", {{"devices", Doc::array({{{"allow", false}, {"access", "rwm"}}})}}},
      {"namespaces", default_namespaces()},
      // Host information (kernel memory, keys, timers, hardware) a container has no business reading.
      {"maskedPaths", Doc::array({"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                                  "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
                                  "/proc/scsi"})},
      // Kernel knobs that are global, not per namespace: readable, but not writable.
      {"readonlyPaths", Doc::array({"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"})},
  };
}

}  // namespace

std::string default_spec_json() { return default_spec_json(nullptr); }

std::string default_spec_json(const nlohmann::ordered_json& seccomp) {
  Doc spec{
      {"ociVersion", "1.0.2"},
      {"process", default_process()},
      {"root", {{"path", "rootfs"}, {"readonly", true}}},
      {"hostname", "minictr"},
      {"mounts", default_mounts()},
      {"linux", default_linux()},
  };
  if (!seccomp.is_null()) spec["linux"]["seccomp"] = seccomp;
  return spec.dump(1, '\t') + "\n";
}

}  // namespace deploylab::ctr
