// hypervisor/boot/linux_loader_test.cpp: load_linux() and the 64-bit entry registers (lab 04,
// graded: labs/04-boot-linux compiles this file into lab04_tests). Guest RAM is a GuestMemory
// without KVM; the page walker of lab 03 checks the identity map the kernel relies on.
#include "hypervisor/boot/linux_loader.h"

#include <gtest/gtest.h>

#include "hypervisor/boot/bzimage_fixture.h"
#include "hypervisor/boot/linux_layout.h"
#include "hypervisor/boot/page_tables.h"
#include "hypervisor/boot/x86.h"

namespace deploylab::hv {
namespace {

namespace layout = linux_layout;
using testing::FakeBzImage;

struct LinuxLoaderTest : ::testing::Test {
  static constexpr std::uint64_t kRam = 128 << 20;
  FakeBzImage image;
  GuestMemory memory;
  std::vector<std::uint8_t> initrd = std::vector<std::uint8_t>(10000, 0x17);
  LinuxBootPlan plan;

  void SetUp() override {
    ASSERT_TRUE(memory.add_region(0, kRam).ok());
    auto kernel = parse_bzimage(image.bytes).value();
    plan = plan_linux_boot(kernel, kRam, initrd.size(), "console=ttyS0 reboot=t").value();
    auto loaded = load_linux(memory, kernel, initrd, plan);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message();
  }
};

TEST_F(LinuxLoaderTest, PutsTheProtectedModeKernelAt1MiB) {
  auto bytes = memory.read(layout::kKernelLoad, 8192).value();
  EXPECT_TRUE(std::equal(bytes.begin(), bytes.end(), image.bytes.begin() + 5 * 512));
}

TEST_F(LinuxLoaderTest, PutsTheInitramfsWhereThePlanSays) {
  auto bytes = memory.read(plan.initrd_address, initrd.size()).value();
  EXPECT_EQ(bytes, initrd);
}

TEST_F(LinuxLoaderTest, WritesANulTerminatedCommandLine) {
  EXPECT_EQ(memory.read_string(plan.cmdline_address, 4096).value(), "console=ttyS0 reboot=t");
}

TEST_F(LinuxLoaderTest, WritesTheZeroPage) {
  auto bytes = memory.read(layout::kZeroPage, zero_page::kSize).value();
  auto expected = build_zero_page(parse_bzimage(image.bytes).value(), plan);
  EXPECT_TRUE(std::equal(bytes.begin(), bytes.end(), expected.begin()));
}

TEST_F(LinuxLoaderTest, IdentityMapsTheKernelTheZeroPageAndTheCommandLine) {
  kvm_sregs sregs = linux_entry_sregs(kvm_sregs{}, layout::kPageTables);
  for (std::uint64_t address : {plan.entry, plan.zero_page_address, plan.cmdline_address, plan.initrd_address}) {
    auto walked = translate(memory, sregs.cr3, address);
    ASSERT_TRUE(walked.ok()) << walked.error().message();
    EXPECT_EQ(walked.value().physical_address, address) << "virtual " << hex(address) << " must map to itself";
  }
}

TEST(LinuxEntry, UsesTheBootProtocolsSegments) {
  kvm_sregs sregs = linux_entry_sregs(kvm_sregs{}, 0x9000);
  EXPECT_EQ(sregs.cs.selector, 0x10) << "CS must be __BOOT_CS (0x10)";
  EXPECT_EQ(sregs.cs.l, 1) << "CS must be a 64-bit code segment";
  EXPECT_EQ(sregs.cs.db, 0) << "L = 1 needs D = 0";
  for (const kvm_segment* data : {&sregs.ds, &sregs.es, &sregs.ss}) {
    EXPECT_EQ(data->selector, 0x18) << "DS, ES and SS must be __BOOT_DS (0x18)";
    EXPECT_EQ(data->base, 0u);
    EXPECT_EQ(data->limit, 0xffffffffu);
  }
  EXPECT_EQ(sregs.gdt.base, layout::kBootGdt);
  EXPECT_EQ(sregs.gdt.limit, 4 * 8 - 1);
}

TEST(LinuxEntry, TurnsOnLongModeWithPaging) {
  kvm_sregs reset{};
  reset.cr0 = 0x60000010;  // CD, NW and ET, as after reset
  kvm_sregs sregs = linux_entry_sregs(reset, 0x9000);
  EXPECT_EQ(sregs.cr3, 0x9000u);
  EXPECT_TRUE(sregs.cr0 & kCr0PE);
  EXPECT_TRUE(sregs.cr0 & kCr0PG);
  EXPECT_FALSE(sregs.cr0 & (kCr0CD | kCr0NW)) << "caches must be on";
  EXPECT_TRUE(sregs.cr4 & kCr4PAE);
  EXPECT_TRUE(sregs.efer & kEferLME);
  EXPECT_TRUE(sregs.efer & kEferLMA);
}

TEST(LinuxEntry, StartsAtThe64BitEntryWithTheZeroPageInRsi) {
  LinuxBootPlan plan;
  plan.entry = 0x100200;
  plan.zero_page_address = 0x7000;
  kvm_regs regs = linux_entry_regs(plan);
  EXPECT_EQ(regs.rip, 0x100200u);
  EXPECT_EQ(regs.rsi, 0x7000u);
  EXPECT_EQ(regs.rflags & (1u << 9), 0u) << "interrupts must be off (RFLAGS.IF = 0)";
  EXPECT_EQ(regs.rflags & 2u, 2u) << "RFLAGS bit 1 is always 1";
}

}  // namespace
}  // namespace deploylab::hv
