// labs/04-boot-linux/boot_linux_hidden_test.cpp: lab 04's hidden graded tests (the student kit
// leaves this file out): the boot protocol against the real Debian kernel file, and a kernel panic
// reported as such.
#include <gtest/gtest.h>

#include <cstring>

#include "common/file_io.h"
#include "hypervisor/boot/boot_params.h"
#include "hypervisor/boot/bzimage.h"
#include "labs/04-boot-linux/lab04_support.h"

namespace deploylab::hv {
namespace {

namespace sh = setup_header;

std::vector<std::uint8_t> debian_kernel() {
  std::string file = read_file(default_assets_dir() / "kernel/vmlinuz").value();
  return {file.begin(), file.end()};
}

TEST(BootLinuxHidden, TheDebianKernelsZeroPageHoldsItsOwnHeader) {
  const auto bytes = debian_kernel();
  const BzImage kernel = parse_bzimage(bytes).value();
  const LinuxBootPlan plan = plan_linux_boot(kernel, 256 << 20, 4 << 20, "console=ttyS0").value();
  const auto page = build_zero_page(kernel, plan);
  const std::size_t end = 0x202 + bytes[0x201];
  for (std::size_t i = sh::kStart; i < end; ++i) {
    if (i == sh::kTypeOfLoader || i == sh::kLoadFlags || (i >= sh::kRamdiskImage && i < sh::kRamdiskImage + 8) ||
        (i >= sh::kHeapEndPtr && i < sh::kHeapEndPtr + 2) || (i >= sh::kCmdLinePtr && i < sh::kCmdLinePtr + 4)) {
      continue;
    }
    ASSERT_EQ(page[i], bytes[i]) << "zero page byte " << hex(i) << " differs from the kernel's setup header";
  }
  for (std::size_t i = 0; i < 0x1e8; ++i) {
    if (i >= zero_page::kAcpiRsdpAddr && i < zero_page::kAcpiRsdpAddr + 8) continue;
    if (i >= zero_page::kExtRamdiskImage && i < zero_page::kExtCmdLinePtr + 4) continue;
    ASSERT_EQ(page[i], 0) << "byte " << hex(i) << " of the Debian kernel's first sector (its PE header) reached the zero page";
  }
}

TEST(BootLinuxHidden, TheDebianKernelIsRefusedWhenTruncated) {
  auto bytes = debian_kernel();
  bytes.resize(bytes.size() / 2);
  auto parsed = parse_bzimage(bytes);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message().find("truncated"), std::string::npos) << parsed.error().message();
}

TEST(BootLinuxHidden, AKernelPanicEndsTheRunWithItsReason) {
  // /bin/false as init: it exits at once, and the kernel panics ("Attempted to kill init!").
  GuestSession guest(lab_config({"rdinit=/bin/false"}));
  ASSERT_TRUE(guest.started());
  LinuxBootReport report = guest.finish(kBootTimeout);
  EXPECT_EQ(report.end, LinuxBootReport::End::panic) << describe(report, guest.console());
  EXPECT_EQ(report.process_exit_code(), 3);
  EXPECT_NE(report.message.find("Attempted to kill init"), std::string::npos) << report.message;
}

}  // namespace
}  // namespace deploylab::hv
