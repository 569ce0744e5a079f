// grading/doctor_test.cpp: the doctor's verdicts on made-up machines (no real /proc needed).
#include "grading/doctor.h"

#include <gtest/gtest.h>

namespace deploylab::grading {
namespace {

const char* kHybridMounts =
    "tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0\n"
    "cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0\n"
    "cgroup /sys/fs/cgroup/cpuacct cgroup rw,relatime,cpuacct 0 0\n"
    "cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0\n"
    "cgroup /sys/fs/cgroup/pids cgroup rw,relatime,pids 0 0\n"
    "cgroup /sys/fs/cgroup/systemd cgroup rw,relatime,name=systemd 0 0\n"
    "cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0\n";

// A healthy machine: root, Intel VT-x on bare metal, cgroup v2, everything installed.
MachineFacts healthy_laptop() {
  MachineFacts f;
  f.arch = "x86_64";
  f.kernel_release = "6.1.0";
  f.is_root = true;
  f.virt.dev_kvm_exists = true;
  f.virt.cpu_flags = {"fpu", "vmx", "lm"};
  f.virt.kvm_modules = {"kvm", "kvm_intel"};
  f.virt.nested = {{"kvm_intel", "Y"}};
  f.mounts = "cgroup2 /sys/fs/cgroup cgroup2 rw 0 0\n";
  f.namespaces = {{"mount", 0}, {"net", 0}, {"pid", 0}};
  f.overlay_listed = true;
  f.overlay_mount_errno = 0;
  f.seccomp_filter = true;
  f.tools = {{"cmake", true}, {"qemu-system-x86_64", true}};
  f.assets = {{"assets/kernel/vmlinuz", true}};
  return f;
}

const Check& find(const std::vector<Check>& checks, const std::string& area) {
  for (const auto& c : checks) {
    if (c.area == area) return c;
  }
  throw std::runtime_error("no check named " + area);
}

TEST(DetectCgroups, HybridLikeThisMachine) {
  CgroupLayout layout = detect_cgroups(kHybridMounts);
  EXPECT_EQ(layout.mode, CgroupMode::hybrid);
  EXPECT_EQ(layout.v1_controllers, (std::set<std::string>{"cpu", "cpuacct", "memory", "pids"}));
}

TEST(DetectCgroups, UnifiedAndLegacy) {
  EXPECT_EQ(detect_cgroups("cgroup2 /sys/fs/cgroup cgroup2 rw,nsdelegate 0 0\n").mode, CgroupMode::v2);
  EXPECT_EQ(detect_cgroups("cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\n").mode, CgroupMode::v1);
  EXPECT_EQ(detect_cgroups("proc /proc proc rw 0 0\n").mode, CgroupMode::none);
}

TEST(Diagnose, KvmPvmIsAWarningThatNamesVmhost) {
  MachineFacts f = healthy_laptop();
  f.virt.cpu_flags = {"hypervisor", "lm"};  // no vmx/svm, as on this CI machine
  f.virt.kvm_modules = {"kvm", "kvm_pvm"};
  auto checks = diagnose(f);
  const Check& c = find(checks, "virtualization");
  EXPECT_EQ(c.verdict, Verdict::warn);
  EXPECT_NE(c.finding.find("kvm_pvm: "), std::string::npos) << c.finding;
  EXPECT_NE(c.fix.find("vmhost"), std::string::npos) << c.fix;
}

TEST(Diagnose, HealthyMachinePassesEverything) {
  auto checks = diagnose(healthy_laptop());
  EXPECT_FALSE(any_failed(checks));
  EXPECT_NE(format_report(checks).find("checks passed"), std::string::npos) << format_report(checks);
}

TEST(Diagnose, EveryProblemComesWithAFix) {
  MachineFacts f = healthy_laptop();
  f.is_root = false;
  f.virt.dev_kvm_open_errno = EACCES;
  f.namespaces["net"] = EPERM;
  f.overlay_mount_errno = ENODEV;
  f.overlay_listed = false;
  f.tools["runc"] = false;
  f.assets["assets/initramfs.cpio.gz"] = false;
  auto checks = diagnose(f);
  EXPECT_TRUE(any_failed(checks));
  for (const char* area : {"privileges", "/dev/kvm", "namespaces", "overlayfs", "tools", "assets"}) {
    const Check& c = find(checks, area);
    EXPECT_EQ(c.verdict, Verdict::fail) << area;
    EXPECT_FALSE(c.fix.empty()) << area << " failed without saying what to do";
  }
  EXPECT_NE(find(checks, "/dev/kvm").fix.find("kvm group"), std::string::npos);
  EXPECT_NE(find(checks, "namespaces").finding.find("net (EPERM)"), std::string::npos);
  EXPECT_NE(find(checks, "tools").fix.find("make deps"), std::string::npos);
  std::string report = format_report(checks);
  EXPECT_NE(report.find("-> run `make deps`"), std::string::npos) << report;
  EXPECT_NE(report.find("6 failed"), std::string::npos) << report;
}

TEST(Diagnose, CapabilitiesWithoutRootAreEnough) {
  MachineFacts f = healthy_laptop();
  f.is_root = false;
  f.cap_effective = (1ull << 21) | (1ull << 12);
  EXPECT_EQ(find(diagnose(f), "privileges").verdict, Verdict::ok);
}

TEST(Diagnose, HybridCgroupsListTheControllers) {
  MachineFacts f = healthy_laptop();
  f.mounts = kHybridMounts;
  auto checks = diagnose(f);
  const Check& c = find(checks, "cgroups");
  EXPECT_EQ(c.verdict, Verdict::ok);
  EXPECT_NE(c.finding.find("hybrid"), std::string::npos);
  EXPECT_NE(c.finding.find("memory"), std::string::npos);
}

}  // namespace
}  // namespace deploylab::grading
