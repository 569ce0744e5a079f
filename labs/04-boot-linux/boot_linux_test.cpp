// labs/04-boot-linux/boot_linux_test.cpp: lab 04's graded KVM tests: the Debian kernel boots in
// LinuxMachine to the initramfs's init and powers off; a shell typed at over the serial console
// answers and uses a virtio-blk disk. They need every task of the lab, and real KVM (natively,
// or inside vmhost: `make test LAB=4` chooses).
#include <gtest/gtest.h>

#include <fstream>

#include "common/subprocess.h"
#include "common/temp_dir.h"
#include "labs/04-boot-linux/lab04_support.h"

namespace deploylab::hv {
namespace {

using End = LinuxBootReport::End;

TEST(BootLinux, BootsToInitAndPowersOff) {
  GuestSession guest(lab_config({"deploylab.poweroff"}));
  ASSERT_TRUE(guest.started());
  LinuxBootReport report = guest.finish(kBootTimeout);
  const std::string console = guest.console();
  EXPECT_NE(console.find("Linux version"), std::string::npos)
      << "nothing from the kernel on the UART: check the 64-bit entry (RIP, RSI, the boot GDT) and the "
         "zero page\n" << describe(report, console);
  EXPECT_NE(console.find("Command line: console=ttyS0"), std::string::npos)
      << "the kernel did not find the command line: cmd_line_ptr in the zero page\n" << describe(report, console);
  EXPECT_NE(console.find("Run /init as init process"), std::string::npos)
      << "the kernel never started userspace: is the initramfs where ramdisk_image/ramdisk_size say?\n"
      << describe(report, console);
  EXPECT_NE(console.find("deploylab-initramfs: init started"), std::string::npos)
      << "init's output did not reach the console: the tty driver waits for UART interrupts "
         "(KVM_IRQ_LINE)\n" << describe(report, console);
  EXPECT_EQ(report.end, End::power_off) << describe(report, console);
  EXPECT_TRUE(report.timings.init_marker_ms.has_value()) << "init writes the boot timer first thing";
}

TEST(BootLinux, AShellTypedAtOverTheConsoleUsesTheDisk) {
  TempDir dir = TempDir::create("lab04-disk-").value();
  std::filesystem::create_directory(dir / "files");
  std::ofstream(dir / "files/hello.txt") << "hello from the host\n";
  const std::filesystem::path disk = dir / "disk.img";
  Completed made = run({"mkfs.ext4", "-q", "-F", "-d", (dir / "files").string(), disk.string(), "16M"}, {}).value();
  ASSERT_TRUE(made.status.success()) << "mkfs.ext4 (e2fsprogs, make deps): " << made.err;

  LinuxMachineConfig config = lab_config();
  config.disk = DiskConfig{disk, DiskAccess::read_write};
  GuestSession guest(std::move(config));
  ASSERT_TRUE(guest.started());
  ASSERT_TRUE(guest.wait_for("deploylab-initramfs: disk /dev/vda mounted at /mnt", kBootTimeout))
      << describe(LinuxBootReport{}, guest.console());
  ASSERT_TRUE(guest.wait_for("# ", 60s)) << "no shell prompt\n" << guest.console();
  // $((...)) is expanded by the guest's shell, so "sum=42" is not the echo of what was typed.
  guest.type_line("cat /mnt/hello.txt; echo from-the-guest > /mnt/reply.txt; sync; echo sum=$((40+2))");
  EXPECT_TRUE(guest.wait_for("hello from the host", 60s))
      << "typed input must reach the shell: UART receive interrupts\n" << guest.console();
  EXPECT_TRUE(guest.wait_for("sum=42", 60s)) << guest.console();
  guest.type_line("umount /mnt; poweroff -f");
  LinuxBootReport report = guest.finish(120s);
  EXPECT_EQ(report.end, End::power_off) << describe(report, guest.console());
  Completed reply = run({"debugfs", "-R", "cat /reply.txt", disk.string()}, {}).value();
  EXPECT_NE(reply.out.find("from-the-guest"), std::string::npos)
      << "the guest's write did not reach the image file: " << reply.out << reply.err;
}

}  // namespace
}  // namespace deploylab::hv
