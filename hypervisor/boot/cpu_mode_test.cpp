// hypervisor/boot/cpu_mode_test.cpp: the sregs of real, protected and long mode, checked bit by
// bit and against the consistency rules KVM_SET_SREGS enforces, starting from a vCPU's reset state.
// Graded: compiled into lab03_tests (labs/03-long-mode/). The checks of the given real-mode code,
// which pass before the lab is written, are ungraded, in boot_checks_test.cpp.
#include "hypervisor/boot/cpu_mode.h"

#include <gtest/gtest.h>

#include "hypervisor/boot/gdt.h"
#include "hypervisor/boot/page_tables.h"
#include "hypervisor/boot/x86.h"
#include "hypervisor/boot/reset_state.h"
#include "hypervisor/guests/abi.h"

namespace deploylab::hv {
namespace {

constexpr std::uint64_t kCr3 = 0x2000;

// The checks KVM_SET_SREGS makes on the control registers (kvm_is_valid_sregs() in Linux's
// arch/x86/kvm/x86.c): it returns EINVAL for states no real CPU could be in. Empty when accepted.
std::string kvm_would_reject(const kvm_sregs& s) {
  const bool lme = s.efer & kEferLME, lma = s.efer & kEferLMA, pg = s.cr0 & kCr0PG;
  if (pg && !(s.cr0 & kCr0PE)) return "CR0.PG without CR0.PE";
  if (lme && pg) {
    if (!(s.cr4 & kCr4PAE)) return "EFER.LME and CR0.PG without CR4.PAE";
    if (!lma) return "EFER.LME and CR0.PG without EFER.LMA";
    return "";
  }
  if (lma) return "EFER.LMA without both EFER.LME and CR0.PG";
  if (s.cs.l) return "CS.L outside long mode";
  return "";
}

void expect_flat_data(const kvm_segment& segment, const char* name) {
  SCOPED_TRACE(name);
  EXPECT_EQ(segment.selector, DL_GDT_DATA);
  EXPECT_EQ(segment.base, 0u);
  EXPECT_EQ(segment.limit, 0xffffffffu)
      << "flat data covers 4 GiB, got limit " << hex(segment.limit);
  EXPECT_EQ(segment.type, 0x3) << "read/write data, accessed";
  EXPECT_EQ(segment.s, 1);
  EXPECT_EQ(segment.present, 1);
  EXPECT_EQ(segment.dpl, 0);
}

void expect_data_segments_flat(const kvm_sregs& sregs) {
  expect_flat_data(sregs.ds, "DS");
  expect_flat_data(sregs.es, "ES");
  expect_flat_data(sregs.fs, "FS");
  expect_flat_data(sregs.gs, "GS");
  expect_flat_data(sregs.ss, "SS");
}

TEST(CpuMode, RealModeFromLongModeTurnsPagingAndLongModeOff) {
  const kvm_sregs sregs = real_mode_sregs(long_mode_sregs(reset_sregs(), kCr3));
  EXPECT_EQ(sregs.cr0 & (kCr0PE | kCr0PG), 0u) << "CR0 = " << hex(sregs.cr0);
  EXPECT_EQ(sregs.efer & (kEferLME | kEferLMA), 0u) << "EFER = " << hex(sregs.efer);
  EXPECT_EQ(sregs.cs.l, 0);
  EXPECT_EQ(sregs.cs.db, 0) << "real-mode code is 16-bit";
  EXPECT_EQ(sregs.idt.limit, 0xffff) << "the real-mode IDT is the vector table at 0";
  EXPECT_EQ(mode_of(sregs), CpuMode::real);
  EXPECT_EQ(kvm_would_reject(sregs), "");
}

TEST(CpuMode, ProtectedModeLoadsFlat32BitSegments) {
  const kvm_sregs sregs = protected_mode_sregs(reset_sregs());
  EXPECT_NE(sregs.cr0 & kCr0PE, 0u) << "CR0.PE must be set, CR0 = " << hex(sregs.cr0);
  EXPECT_EQ(sregs.cr0 & kCr0PG, 0u) << "protected mode here runs without paging";
  EXPECT_EQ(sregs.efer & (kEferLME | kEferLMA), 0u) << "EFER = " << hex(sregs.efer);
  EXPECT_EQ(sregs.cs.selector, DL_GDT_CODE32);
  EXPECT_EQ(sregs.cs.db, 1) << "32-bit code needs D = 1";
  EXPECT_EQ(sregs.cs.l, 0);
  EXPECT_EQ(sregs.cs.limit, 0xffffffffu);
  EXPECT_EQ(sregs.cs.type, 0xb);
  expect_data_segments_flat(sregs);
  EXPECT_EQ(sregs.gdt.base, std::uint64_t{DL_GDT_ADDRESS});
  EXPECT_EQ(sregs.gdt.limit, kStandardGdtLimit);
  EXPECT_EQ(mode_of(sregs), CpuMode::protected32);
  EXPECT_EQ(kvm_would_reject(sregs), "");
}

TEST(CpuMode, LongModeSetsCr0Cr4AndEfer) {
  const kvm_sregs sregs = long_mode_sregs(reset_sregs(), kCr3);
  const std::uint64_t cr0_on = kCr0PE | kCr0PG | kCr0ET | kCr0NE;
  EXPECT_EQ(sregs.cr0 & cr0_on, cr0_on) << "CR0 needs PE, PG, ET and NE, got " << hex(sregs.cr0);
  EXPECT_EQ(sregs.cr0 & (kCr0CD | kCr0NW), 0u) << "caches must be on, CR0 = " << hex(sregs.cr0);
  EXPECT_NE(sregs.cr4 & kCr4PAE, 0u) << "long mode needs CR4.PAE, CR4 = " << hex(sregs.cr4);
  EXPECT_EQ(sregs.efer & (kEferLME | kEferLMA), kEferLME | kEferLMA)
      << "EFER needs LME and LMA, got " << hex(sregs.efer);
  EXPECT_EQ(sregs.cr3, kCr3);
  EXPECT_EQ(kvm_would_reject(sregs), "");
}

TEST(CpuMode, LongModeEnablesSse) {
  const kvm_sregs sregs = long_mode_sregs(reset_sregs(), kCr3);
  EXPECT_EQ(sregs.cr0 & (kCr0EM | kCr0TS), 0u) << "x87/SSE would fault, CR0 = " << hex(sregs.cr0);
  EXPECT_EQ(sregs.cr4 & (kCr4OSFXSR | kCr4OSXMMEXCPT), kCr4OSFXSR | kCr4OSXMMEXCPT)
      << "SSE instructions raise #UD without CR4.OSFXSR, CR4 = " << hex(sregs.cr4);
}

TEST(CpuMode, LongModeLoads64BitCodeAndFlatData) {
  const kvm_sregs sregs = long_mode_sregs(reset_sregs(), kCr3);
  EXPECT_EQ(sregs.cs.selector, DL_GDT_CODE64);
  EXPECT_EQ(sregs.cs.l, 1) << "without CS.L the vCPU would run 32-bit code (compatibility mode)";
  EXPECT_EQ(sregs.cs.db, 0) << "CS.L with CS.D is reserved";
  EXPECT_EQ(sregs.cs.dpl, 0) << "CS.DPL is the privilege level: the guest kernel runs in ring 0";
  EXPECT_EQ(sregs.cs.present, 1);
  EXPECT_EQ(sregs.cs.type, 0xb);
  expect_data_segments_flat(sregs);
  EXPECT_EQ(sregs.gdt.base, std::uint64_t{DL_GDT_ADDRESS});
  EXPECT_EQ(sregs.gdt.limit, kStandardGdtLimit);
  EXPECT_EQ(sregs.idt.limit, 0) << "an empty IDT makes an early fault a clean shutdown";
  EXPECT_EQ(mode_of(sregs), CpuMode::long64);
}

TEST(CpuMode, LongModeKeepsUnrelatedState) {
  kvm_sregs current = reset_sregs();
  current.efer = kEferSCE;
  current.interrupt_bitmap[0] = 0x5;
  const kvm_sregs sregs = long_mode_sregs(current, kCr3);
  EXPECT_NE(sregs.efer & kEferSCE, 0u)
      << "EFER.SCE was set and must stay, EFER = " << hex(sregs.efer);
  EXPECT_EQ(sregs.apic_base, current.apic_base);
  EXPECT_EQ(sregs.interrupt_bitmap[0], 0x5u);
  EXPECT_EQ(sregs.tr.type, current.tr.type) << "TR is left as reset set it";
  EXPECT_EQ(sregs.ldt.type, current.ldt.type);
}

TEST(CpuMode, ModeOfTellsCompatibilityModeFrom64BitMode) {
  kvm_sregs sregs = long_mode_sregs(reset_sregs(), kCr3);
  sregs.cs = to_kvm_segment(standard_gdt()[DL_GDT_CODE32 / 8], DL_GDT_CODE32);
  EXPECT_EQ(mode_of(sregs), CpuMode::protected32)
      << "EFER.LMA with a CS whose L = 0 runs 32-bit code";
}

TEST(CpuMode, PrepareLongModeWritesTheGdtAndTheIdentityMap) {
  GuestMemory memory;
  memory.add_region(0, 2ull << 20).value();
  const kvm_sregs sregs = prepare_long_mode(memory, reset_sregs()).value();
  EXPECT_EQ(sregs.cr3, std::uint64_t{DL_PAGE_TABLES_ADDRESS});
  // What the guest's first far jump or IRETQ would reload into CS must be what CS already holds.
  const auto in_memory =
      memory.read_value<std::uint64_t>(sregs.gdt.base + sregs.cs.selector).value();
  EXPECT_EQ(in_memory, 0x00af9b000000ffffull) << "GDT entry for CS is " << hex(in_memory);
  const std::uint64_t addresses[] = {DL_LONG_MODE_LOAD_ADDRESS, 0xfee00000};
  for (std::uint64_t address : addresses) {
    auto translation = translate(memory, sregs.cr3, address);
    ASSERT_TRUE(translation.ok()) << translation.error().message();
    EXPECT_EQ(translation.value().physical_address, address);
  }
  EXPECT_EQ(kvm_would_reject(sregs), "");
}

TEST(CpuMode, PrepareLongModeSaysWhatDidNotFit) {
  GuestMemory no_low_ram;
  no_low_ram.add_region(DL_HIGH_RAM_ADDRESS, 1ull << 20).value();
  auto prepared = prepare_long_mode(no_low_ram, reset_sregs());
  ASSERT_FALSE(prepared.ok()) << "expected an error: there is no RAM below 1 MiB";
  std::string message = prepared.error().message();
  EXPECT_NE(message.find("preparing long mode: writing the GDT at 0x1000"), std::string::npos)
      << message;

  GuestMemory tiny;
  tiny.add_region(0, 0x4000).value();  // room for the GDT, not for six pages of tables at 0x2000
  prepared = prepare_long_mode(tiny, reset_sregs());
  ASSERT_FALSE(prepared.ok()) << "expected an error: the page tables need RAM up to 0x8000";
  message = prepared.error().message();
  EXPECT_NE(message.find("preparing long mode"), std::string::npos) << message;
  EXPECT_NE(message.find("page tables do not fit in guest RAM"), std::string::npos) << message;
}

TEST(CpuMode, PrepareProtectedModeWritesTheGdt) {
  GuestMemory memory;
  memory.add_region(0, 0x10000).value();
  const kvm_sregs sregs = prepare_protected_mode(memory, reset_sregs()).value();
  const auto in_memory =
      memory.read_value<std::uint64_t>(sregs.gdt.base + sregs.cs.selector).value();
  EXPECT_EQ(in_memory, 0x00cf9b000000ffffull) << "GDT entry for CS is " << hex(in_memory);
  EXPECT_EQ(mode_of(sregs), CpuMode::protected32);
}

}  // namespace
}  // namespace deploylab::hv
