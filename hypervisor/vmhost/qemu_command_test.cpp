// hypervisor/vmhost/qemu_command_test.cpp: the test host's QEMU command line, as data.
#include "hypervisor/vmhost/qemu_command.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace deploylab::vmhost {
namespace {

QemuConfig config() {
  QemuConfig c;
  c.kernel = "/b/assets/kernel/vmlinuz";
  c.initramfs = "/b/assets/vmhost-initramfs.cpio.gz";
  c.build_dir = "/b";
  c.job_dir = "/tmp/job";
  c.console_log = "/tmp/job/console.log";
  return c;
}

// The word after `flag` in argv ("" if absent); for repeated flags, the n-th.
std::string after(const std::vector<std::string>& argv, const std::string& flag, int n = 0) {
  for (size_t i = 0; i + 1 < argv.size(); ++i) {
    if (argv[i] == flag && n-- == 0) return argv[i + 1];
  }
  return "";
}

TEST(QemuArgv, SoftwareEmulationWithAnEmulatedAmdV) {
  auto argv = qemu_argv(config());
  EXPECT_EQ(argv[0], "qemu-system-x86_64");
  EXPECT_EQ(after(argv, "-accel"), "tcg");
  EXPECT_EQ(after(argv, "-cpu"), "max,vgif=off") << "-cpu max is what gives the guest svm, and kvm-amd a /dev/kvm; the virtual GIF froze nested guests";
  EXPECT_EQ(after(argv, "-m"), "2048M");
  EXPECT_EQ(after(argv, "-append"), "console=ttyS0 panic=-1 vmhost.mode=run vmhost.build=/b");
  EXPECT_NE(std::find(argv.begin(), argv.end(), "-no-reboot"), argv.end()) << "panic=-1 reboots; -no-reboot turns that into an exit";
}

TEST(QemuArgv, ConsoleToAFileAndTheCommandOnStdio) {
  auto argv = qemu_argv(config());
  EXPECT_EQ(after(argv, "-serial", 0), "file:/tmp/job/console.log");
  EXPECT_EQ(after(argv, "-serial", 1), "chardev:terminal");
  EXPECT_EQ(after(argv, "-chardev"), "stdio,id=terminal,signal=on");
  QemuConfig shell = config();
  shell.mode = Mode::shell;
  EXPECT_EQ(after(qemu_argv(shell), "-chardev"), "stdio,id=terminal,signal=off") << "^C belongs to the guest's shell";
}

TEST(QemuArgv, ThreeNinePShares) {
  auto argv = qemu_argv(config());
  EXPECT_EQ(after(argv, "-fsdev", 0), "local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap");
  EXPECT_EQ(after(argv, "-fsdev", 1), "local,id=build,path=/b,security_model=none");
  EXPECT_EQ(after(argv, "-fsdev", 2), "local,id=job,path=/tmp/job,security_model=none");
  EXPECT_EQ(after(argv, "-device", 2), "virtio-9p-pci,fsdev=job,mount_tag=job");
  QemuConfig no_build = config();
  no_build.build_dir.clear();
  auto fewer = qemu_argv(no_build);
  EXPECT_EQ(after(fewer, "-fsdev", 1), "local,id=job,path=/tmp/job,security_model=none");
  EXPECT_EQ(after(fewer, "-append").find("vmhost.build"), std::string::npos);
}

TEST(ParseMemory, UnitsAndLimits) {
  EXPECT_EQ(parse_memory_mib("2G").value(), 2048u);
  EXPECT_EQ(parse_memory_mib("1536M").value(), 1536u);
  EXPECT_EQ(parse_memory_mib("512").value(), 512u);
  EXPECT_NE(parse_memory_mib("2T").error().hint.find("--mem 2G"), std::string::npos);
  EXPECT_FALSE(parse_memory_mib("").ok());
  EXPECT_FALSE(parse_memory_mib("100M").ok());
  EXPECT_EQ(parse_memory_mib("128G").error().op, "memory size out of range");
}

}  // namespace
}  // namespace deploylab::vmhost
