// hypervisor/boot/linux_boot_checks_test.cpp: the parts of lab 04's boot path that are not lab
// tasks, so these tests pass in the student kit too and are not graded: recognising files that
// are not bzImages, the e820 map, and plan_linux_boot()'s decisions and refusals.
#include <gtest/gtest.h>

#include "hypervisor/boot/boot_params.h"
#include "hypervisor/boot/bzimage.h"
#include "hypervisor/boot/bzimage_fixture.h"
#include "hypervisor/boot/linux_layout.h"

namespace deploylab::hv {
namespace {

namespace sh = setup_header;
using testing::FakeBzImage;

std::string refusal(std::vector<std::uint8_t> bytes) {
  auto parsed = parse_bzimage(bytes);
  return parsed.ok() ? "(accepted)" : parsed.error().message();
}

TEST(BzImageFormat, NamesAnElfVmlinux) {
  std::vector<std::uint8_t> elf(4096, 0);
  elf[0] = 0x7f, elf[1] = 'E', elf[2] = 'L', elf[3] = 'F';
  EXPECT_NE(refusal(elf).find("ELF"), std::string::npos) << refusal(elf);
}

TEST(BzImageFormat, NamesAGzipFile) {
  std::vector<std::uint8_t> gz(4096, 0);
  gz[0] = 0x1f, gz[1] = 0x8b;
  EXPECT_NE(refusal(gz).find("gzip"), std::string::npos) << refusal(gz);
}

TEST(BzImageFormat, RefusesAFileTooSmallForAHeader) {
  EXPECT_NE(refusal(std::vector<std::uint8_t>(100, 0)).find("too small"), std::string::npos);
  EXPECT_NE(refusal({}).find("too small"), std::string::npos);
}

TEST(E820Map, CoversRamWithTheLegacyAreaReserved) {
  auto map = e820_map(256 << 20);
  ASSERT_EQ(map.size(), 3u);
  EXPECT_EQ(map[0], (E820Entry{0, 0x9fc00, E820Entry::Type::ram}));
  EXPECT_EQ(map[1], (E820Entry{0x9fc00, 0x100000 - 0x9fc00, E820Entry::Type::reserved}));
  EXPECT_EQ(map[2], (E820Entry{0x100000, (256 << 20) - 0x100000, E820Entry::Type::ram}));
}

TEST(PlanLinuxBoot, PutsTheInitramfsAtTheTopOfRamPageAligned) {
  auto kernel = parse_bzimage(FakeBzImage().bytes).value();
  auto plan = plan_linux_boot(kernel, 256 << 20, 3000000, "console=ttyS0").value();
  EXPECT_EQ(plan.entry, 0x100200u) << "the 64-bit entry is 0x200 into the kernel at 1 MiB";
  EXPECT_EQ(plan.initrd_address % 4096, 0u);
  EXPECT_LE(plan.initrd_address + plan.initrd_size, 256u << 20);
  EXPECT_GT(plan.initrd_address + 4096 + plan.initrd_size, 256u << 20) << "as high as it goes";
  EXPECT_GE(plan.initrd_address, plan.kernel_needs_end);
  EXPECT_EQ(plan.cmdline, "console=ttyS0");
}

TEST(PlanLinuxBoot, KeepsTheInitramfsBelowInitrdAddrMax) {
  FakeBzImage image;
  image.set<std::uint32_t>(sh::kInitrdAddrMax, 0x7ffffff);  // 128 MiB - 1
  auto kernel = parse_bzimage(image.bytes).value();
  auto plan = plan_linux_boot(kernel, 1ull << 30, 4 << 20, "").value();
  EXPECT_LE(plan.initrd_address + plan.initrd_size - 1, 0x7ffffffu);
}

TEST(PlanLinuxBoot, RefusesAnInitramfsThatCannotGoBelowInitrdAddrMax) {
  FakeBzImage image;
  image.set<std::uint32_t>(sh::kInitrdAddrMax, 0x3200000);  // 50 MiB: the kernel needs up to 48 MiB
  auto kernel = parse_bzimage(image.bytes).value();
  auto plan = plan_linux_boot(kernel, 1ull << 30, 4 << 20, "");
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.error().message().find("initrd_addr_max"), std::string::npos) << plan.error().message();
}

TEST(PlanLinuxBoot, RefusesACommandLineLongerThanCmdlineSize) {
  auto kernel = parse_bzimage(FakeBzImage().bytes).value();
  EXPECT_TRUE(plan_linux_boot(kernel, 256 << 20, 0, std::string(2047, 'x')).ok());
  auto plan = plan_linux_boot(kernel, 256 << 20, 0, std::string(2048, 'x'));
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.error().message().find("2047"), std::string::npos) << plan.error().message();
}

TEST(PlanLinuxBoot, RefusesTooLittleRamAndSaysHowMuchIsNeeded) {
  auto kernel = parse_bzimage(FakeBzImage().bytes).value();
  auto plan = plan_linux_boot(kernel, 64 << 20, 8 << 20, "");
  ASSERT_FALSE(plan.ok());
  std::string message = plan.error().message();
  EXPECT_NE(message.find("--mem"), std::string::npos) << message;
  // 16 MiB + 32 MiB for the kernel, 8 MiB initramfs, 32 MiB headroom.
  EXPECT_NE(message.find("88 MiB"), std::string::npos) << message;
}

TEST(PlanLinuxBoot, RefusesMoreRamThanFitsBelowTheDevices) {
  auto kernel = parse_bzimage(FakeBzImage().bytes).value();
  auto plan = plan_linux_boot(kernel, linux_layout::kMaxRam + 4096, 0, "");
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.error().message().find("at most"), std::string::npos) << plan.error().message();
}

TEST(PlanLinuxBoot, RefusesANulInTheCommandLine) {
  auto kernel = parse_bzimage(FakeBzImage().bytes).value();
  EXPECT_FALSE(plan_linux_boot(kernel, 256 << 20, 0, std::string("a\0b", 3)).ok());
}

}  // namespace
}  // namespace deploylab::hv
