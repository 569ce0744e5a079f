// bench/boot/contenders_test.cpp: command lines, domain XML and option parsing (contenders.h).
#include "bench/boot/contenders.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace deploylab::bench {
namespace {

using ::testing::HasSubstr;

BootSpec spec() { return {"/b/vmlinuz", "/b/initramfs.cpio.gz", 256ull << 20, "console=ttyS0 a=b", {}, {}}; }

TEST(ParseContenders, KeepsTableOrderAndDropsDuplicates) {
  EXPECT_EQ(parse_contenders("libvirt,qemu,libvirt"), (std::vector{Contender::qemu, Contender::libvirt}));
  EXPECT_EQ(parse_contenders("minivmm"), (std::vector{Contender::minivmm}));
}

TEST(ParseContenders, NamesTheUnknownWord) {
  try {
    parse_contenders("qemu,firecracker");
    FAIL() << "expected an error for 'firecracker'";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("'firecracker'"));
  }
}

TEST(QemuMicrovmArgv, BootsTheSpecOnKvmWithTheConsoleOnStdout) {
  auto argv = qemu_microvm_argv(spec());
  std::string line;
  for (const auto& word : argv) line += word + " ";
  EXPECT_THAT(line, HasSubstr("-M microvm,accel=kvm "));
  EXPECT_THAT(line, HasSubstr("-m 256M "));
  EXPECT_THAT(line, HasSubstr("-serial stdio "));
  EXPECT_THAT(line, HasSubstr("-kernel /b/vmlinuz -initrd /b/initramfs.cpio.gz "));
  EXPECT_EQ(argv.back(), "console=ttyS0 a=b") << "the command line is one argument";
}

TEST(MinivmmArgv, FollowsTheBootCommandsContract) {
  auto argv = minivmm_argv("/b/bin/minivmm", spec(), "/tmp/t.json");
  EXPECT_EQ(argv, (std::vector<std::string>{"/b/bin/minivmm", "boot", "--kernel", "/b/vmlinuz", "--initrd",
                                            "/b/initramfs.cpio.gz", "--mem", "256M", "--cmdline", "console=ttyS0 a=b",
                                            "--console", "stdio", "--timings-json", "/tmp/t.json"}));
}

TEST(BootSpecDisk, BecomesAVirtioBlkDeviceUnderBothVmms) {
  BootSpec with_disk = spec();
  with_disk.disk = "/tmp/a,b/disk.img";
  auto qemu = qemu_microvm_argv(with_disk);
  std::string line;
  for (const auto& word : qemu) line += word + " ";
  EXPECT_THAT(line, HasSubstr("-drive id=disk0,file=/tmp/a,,b/disk.img,format=raw,if=none -device virtio-blk-device,drive=disk0"))
      << "a comma in the path is doubled, as QEMU's option syntax wants";
  auto minivmm = minivmm_argv("/b/bin/minivmm", with_disk, "/tmp/t.json");
  ASSERT_GE(minivmm.size(), 2u);
  EXPECT_EQ(minivmm[minivmm.size() - 2], "--disk");
  EXPECT_EQ(minivmm.back(), "/tmp/a,b/disk.img");
  EXPECT_EQ(qemu_microvm_argv(spec()).back(), "console=ttyS0 a=b") << "no disk: no -drive";
}

TEST(BootSpecNetdev, BecomesAVirtioNetDeviceUnderQemu) {
  BootSpec with_tap = spec();
  with_tap.netdev = "tap,id=net0,ifname=tap0,script=no,downscript=no";
  std::string line;
  for (const auto& word : qemu_microvm_argv(with_tap)) line += word + " ";
  EXPECT_THAT(line, HasSubstr("-netdev tap,id=net0,ifname=tap0,script=no,downscript=no -device virtio-net-device,netdev=net0"));
}

TEST(LibvirtDomainXml, DirectKernelBootWithTheSerialIntoAFile) {
  BootSpec s = spec();
  s.cmdline = "console=ttyS0 x=<&>";
  std::string xml = libvirt_domain_xml("bench-1", s, "/tmp/c.log");
  EXPECT_THAT(xml, HasSubstr("<domain type='kvm'>"));
  EXPECT_THAT(xml, HasSubstr("<name>bench-1</name>"));
  EXPECT_THAT(xml, HasSubstr("<memory unit='MiB'>256</memory>"));
  EXPECT_THAT(xml, HasSubstr("<kernel>/b/vmlinuz</kernel>"));
  EXPECT_THAT(xml, HasSubstr("<cmdline>console=ttyS0 x=&lt;&amp;&gt;</cmdline>")) << "text must be XML-escaped";
  EXPECT_THAT(xml, HasSubstr("<serial type='file'>"));
  EXPECT_THAT(xml, HasSubstr("<source path='/tmp/c.log'/>"));
  EXPECT_THAT(xml, HasSubstr("<on_poweroff>destroy</on_poweroff>"));
}

TEST(ParseMemSize, TakesMAndG) {
  EXPECT_EQ(parse_mem_size("256M"), 256ull << 20);
  EXPECT_EQ(parse_mem_size("2G"), 2ull << 30);
  EXPECT_THROW(parse_mem_size("256"), std::invalid_argument) << "a size needs its unit";
  EXPECT_THROW(parse_mem_size("0M"), std::invalid_argument);
  EXPECT_THROW(parse_mem_size("M"), std::invalid_argument);
}

}  // namespace
}  // namespace deploylab::bench
