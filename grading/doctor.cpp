// grading/doctor.cpp: the judgement behind `grade doctor` (see doctor.h). No I/O here.
#include "grading/doctor.h"

#include <cstdlib>
#include <sstream>

#include "common/error.h"

namespace deploylab::grading {
namespace {

constexpr int kCapNetAdmin = 12;
constexpr int kCapSysAdmin = 21;

bool has_cap(const MachineFacts& f, int cap) { return (f.cap_effective >> cap) & 1; }

Check architecture_check(const MachineFacts& f) {
  if (f.arch == "x86_64") return {"architecture", Verdict::ok, "x86_64, kernel " + f.kernel_release, ""};
  return {"architecture", Verdict::fail, f.arch + ": the hypervisor labs build x86 guests",
          "use an x86_64 machine (the container and orchestrator labs also assume x86_64 binaries)"};
}

Check privilege_check(const MachineFacts& f) {
  if (f.is_root) return {"privileges", Verdict::ok, "running as root", ""};
  if (has_cap(f, kCapSysAdmin) && has_cap(f, kCapNetAdmin)) {
    return {"privileges", Verdict::ok, "not root, but CAP_SYS_ADMIN and CAP_NET_ADMIN are effective", ""};
  }
  return {"privileges", Verdict::fail, "not root: namespaces, mounts, cgroups and veths need privileges",
          "run the kit as root (sudo make test), or in a VM where you are root"};
}

Check kvm_device_check(const MachineFacts& f) {
  if (!f.virt.dev_kvm_exists) {
    return {"/dev/kvm", Verdict::warn, "missing", "load kvm_intel or kvm_amd (modprobe), or enable nested virtualization for this VM; until then the hypervisor labs run inside vmhost"};
  }
  if (f.virt.dev_kvm_open_errno != 0) {
    return {"/dev/kvm", Verdict::fail, "present but not openable read-write (" + errno_name(f.virt.dev_kvm_open_errno) + ")",
            "add yourself to the kvm group (usermod -aG kvm $USER, then log in again) or run as root"};
  }
  return {"/dev/kvm", Verdict::ok, "present and opens read-write", ""};
}

Check virtualization_check(const MachineFacts& f) {
  const char* override = std::getenv("DEPLOYLAB_KVM");
  vmhost::Virtualization v = vmhost::choose_place(f.virt, override ? override : "");
  Verdict verdict = v.place == vmhost::Place::native ? Verdict::ok : Verdict::warn;
  return {"virtualization", verdict, vmhost::to_string(v.mode) + ": " + v.finding, v.plan};
}

Check namespaces_check(const MachineFacts& f) {
  std::string missing;
  for (const auto& [name, err] : f.namespaces) {
    if (err != 0) missing += (missing.empty() ? "" : ", ") + name + " (" + errno_name(err) + ")";
  }
  if (missing.empty()) return {"namespaces", Verdict::ok, "mount, uts, ipc, pid, net, user and cgroup namespaces can be created", ""};
  return {"namespaces", Verdict::fail, "cannot create: " + missing,
          "run as root; in a container, start it with --privileged; check user.max_user_namespaces and kernel.unprivileged_userns_clone"};
}

Check cgroups_check(const MachineFacts& f) {
  CgroupLayout layout = detect_cgroups(f.mounts);
  std::string finding = to_string(layout.mode);
  if (layout.mode == CgroupMode::none) {
    return {"cgroups", Verdict::fail, "no cgroup file system is mounted", "mount cgroup2 on /sys/fs/cgroup (mount -t cgroup2 none /sys/fs/cgroup)"};
  }
  if (layout.mode != CgroupMode::v2) {
    std::string missing;
    for (const char* c : {"cpu", "memory", "pids"}) {
      if (!layout.v1_controllers.contains(c)) missing += std::string(missing.empty() ? "" : ", ") + c;
    }
    finding += ", v1 controllers:";
    for (const auto& c : layout.v1_controllers) finding += " " + c;
    if (!missing.empty()) return {"cgroups", Verdict::warn, finding, "the cgroup lab needs the " + missing + " v1 controllers mounted"};
  }
  return {"cgroups", Verdict::ok, finding, ""};
}

Check overlay_check(const MachineFacts& f) {
  if (f.overlay_mount_errno == 0) return {"overlayfs", Verdict::ok, "a trial overlay mount worked", ""};
  std::string why = f.overlay_listed ? "listed in /proc/filesystems but a trial mount failed (" + errno_name(f.overlay_mount_errno) + ")"
                                     : "not in /proc/filesystems";
  return {"overlayfs", Verdict::fail, why, "modprobe overlay; the scratch directory must not itself be on overlayfs without a tmpfs in between"};
}

Check seccomp_check(const MachineFacts& f) {
  if (f.seccomp_filter) return {"seccomp", Verdict::ok, "seccomp filters are available", ""};
  return {"seccomp", Verdict::warn, "this kernel does not report seccomp filters", "the security lab needs CONFIG_SECCOMP_FILTER"};
}

Check tools_check(const MachineFacts& f) {
  std::string missing;
  for (const auto& [tool, found] : f.tools) {
    if (!found) missing += (missing.empty() ? "" : " ") + tool;
  }
  if (missing.empty()) return {"tools", Verdict::ok, "compilers, QEMU, runc, crun, etcd, busybox and iproute2 are installed", ""};
  return {"tools", Verdict::fail, "missing: " + missing, "run `make deps` (it installs them with apt-get)"};
}

Check assets_check(const MachineFacts& f) {
  std::string missing;
  for (const auto& [asset, present] : f.assets) {
    if (!present) missing += (missing.empty() ? "" : " ") + asset;
  }
  if (missing.empty()) return {"assets", Verdict::ok, "guest kernel, initramfs, busybox rootfs and kubectl are in the build dir", ""};
  return {"assets", Verdict::fail, "missing in the build dir: " + missing, "run `make deps` (it prepares them under build/)"};
}

}  // namespace

CgroupLayout detect_cgroups(std::string_view mounts) {
  CgroupLayout layout;
  bool v2_root = false, v2_unified = false;
  std::istringstream lines{std::string(mounts)};
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string source, target, type, options;
    fields >> source >> target >> type >> options;
    if (type == "cgroup2" && target == "/sys/fs/cgroup") v2_root = true;
    if (type == "cgroup2" && target == "/sys/fs/cgroup/unified") v2_unified = true;
    if (type != "cgroup" || target.rfind("/sys/fs/cgroup/", 0) != 0) continue;
    std::istringstream opts(options);
    for (std::string opt; std::getline(opts, opt, ',');) {
      for (const char* c : {"cpu", "cpuacct", "cpuset", "memory", "pids", "devices", "freezer", "blkio", "net_cls", "hugetlb"}) {
        if (opt == c) layout.v1_controllers.insert(c);
      }
    }
  }
  if (v2_root) layout.mode = CgroupMode::v2;
  else if (!layout.v1_controllers.empty()) layout.mode = v2_unified ? CgroupMode::hybrid : CgroupMode::v1;
  return layout;
}

std::string to_string(CgroupMode mode) {
  switch (mode) {
    case CgroupMode::v1: return "cgroup v1 (legacy)";
    case CgroupMode::hybrid: return "hybrid (v1 controllers, cgroup2 at /sys/fs/cgroup/unified)";
    case CgroupMode::v2: return "cgroup v2 (unified at /sys/fs/cgroup)";
    case CgroupMode::none: break;
  }
  return "none";
}

std::vector<Check> diagnose(const MachineFacts& f) {
  return {architecture_check(f), privilege_check(f), kvm_device_check(f), virtualization_check(f), namespaces_check(f),
          cgroups_check(f),      overlay_check(f),   seccomp_check(f),    tools_check(f),          assets_check(f)};
}

std::string format_report(const std::vector<Check>& checks) {
  std::string out;
  int warnings = 0, failures = 0;
  for (const auto& c : checks) {
    const char* mark = c.verdict == Verdict::ok ? "  ok  " : c.verdict == Verdict::warn ? " warn " : " FAIL ";
    out += mark + c.area + std::string(c.area.size() < 15 ? 15 - c.area.size() : 1, ' ') + c.finding + "\n";
    if (c.verdict != Verdict::ok && !c.fix.empty()) out += std::string(21, ' ') + "-> " + c.fix + "\n";
    warnings += c.verdict == Verdict::warn;
    failures += c.verdict == Verdict::fail;
  }
  if (failures == 0 && warnings == 0) return out + "\nAll " + std::to_string(checks.size()) + " checks passed.\n";
  return out + "\n" + std::to_string(failures) + " failed, " + std::to_string(warnings) + " warnings (fixes above).\n";
}

bool any_failed(const std::vector<Check>& checks) {
  for (const auto& c : checks) {
    if (c.verdict == Verdict::fail) return true;
  }
  return false;
}

}  // namespace deploylab::grading
