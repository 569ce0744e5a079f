// hypervisor/boot/cpu_mode.cpp: kvm_sregs for real, protected and long mode (see cpu_mode.h for
// the order a real CPU needs and why KVM_SET_SREGS can skip it).
#include "hypervisor/boot/cpu_mode.h"

#include "common/error.h"
#include "hypervisor/boot/gdt.h"
#include "hypervisor/boot/page_tables.h"
#include "hypervisor/boot/x86.h"
#include "hypervisor/guests/abi.h"

namespace deploylab::hv {

// The memory map of abi.h must leave room for what prepare_long_mode() writes.
static_assert(DL_GDT_ADDRESS + DL_GDT_ENTRIES * 8 <= DL_PAGE_TABLES_ADDRESS,
              "the GDT runs into the page tables");
static_assert(DL_PAGE_TABLES_ADDRESS + identity_map_table_bytes(kIdentityMapSize) <=
                  DL_REAL_MODE_LOAD_ADDRESS,
              "the page tables run into the guest image");
static_assert(DL_GDT_CODE64 / 8 < DL_GDT_ENTRIES && DL_GDT_DATA / 8 < DL_GDT_ENTRIES &&
                  DL_GDT_CODE32 / 8 < DL_GDT_ENTRIES,
              "a DL_GDT_* selector points past the standard GDT");

namespace {

constexpr std::uint32_t kRealModeLimit = 0xffff;  // 64 KiB: what a 16-bit offset reaches
constexpr std::uint8_t kCodeAccessed = kSegmentCodeExecuteRead | kSegmentAccessed;
constexpr std::uint8_t kDataAccessed = kSegmentDataReadWrite | kSegmentAccessed;

// A real-mode segment register holding `type`: base = selector * 16 = 0, 64 KiB, 16-bit. Real
// mode reads no descriptors, so this hidden part comes from no GDT entry. (Built field by field
// rather than with to_kvm_segment(), a lab 03 task, because labs 01-02 already run real mode.)
kvm_segment real_mode_segment(std::uint8_t type) {
  kvm_segment segment{};
  segment.base = 0;
  segment.selector = 0;
  segment.limit = kRealModeLimit;
  segment.type = type;
  segment.present = 1;
  segment.s = 1;  // code or data
  return segment;
}

// CS from `code_selector` and every data segment register from DL_GDT_DATA, hidden parts taken
// from the standard GDT, exactly as far jumps and `mov %ax, %ds` would load them.
void load_standard_segments(kvm_sregs& sregs, std::uint16_t code_selector) {
  const auto gdt = standard_gdt();
  sregs.cs = to_kvm_segment(gdt[code_selector / 8], code_selector);
  const kvm_segment data = to_kvm_segment(gdt[DL_GDT_DATA / 8], DL_GDT_DATA);
  sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = data;
}

// GDTR at the standard GDT, and an empty IDT (see cpu_mode.h).
void load_standard_tables(kvm_sregs& sregs) {
  sregs.gdt.base = DL_GDT_ADDRESS;
  sregs.gdt.limit = kStandardGdtLimit;
  sregs.idt.base = 0;
  sregs.idt.limit = 0;
}

// Caches, x87 and SSE on, for any mode past real mode (see cpu_mode.h).
void enable_caches_and_fpu(kvm_sregs& sregs) {
  sregs.cr0 &= ~(kCr0CD | kCr0NW | kCr0EM | kCr0TS);
  sregs.cr0 |= kCr0ET | kCr0NE | kCr0MP;
  sregs.cr4 |= kCr4OSFXSR | kCr4OSXMMEXCPT;
}

}  // namespace

CpuMode mode_of(const kvm_sregs& sregs) {
  if ((sregs.cr0 & kCr0PE) == 0) return CpuMode::real;
  if ((sregs.efer & kEferLMA) != 0 && sregs.cs.l != 0) return CpuMode::long64;
  return CpuMode::protected32;
}

std::string describe_mode(CpuMode mode) {
  switch (mode) {
    case CpuMode::real:
      return "real mode";
    case CpuMode::protected32:
      return "32-bit protected mode";
    case CpuMode::long64:
      return "64-bit long mode";
  }
  return "unknown mode " + std::to_string(static_cast<int>(mode));
}

kvm_sregs real_mode_sregs(const kvm_sregs& current) {
  kvm_sregs sregs = current;
  // After reset CS is F000 with base FFFF0000, where a BIOS would be; we have none, so every
  // segment starts at 0 and a guest address (segment 0 + offset) is the physical address.
  sregs.cs = real_mode_segment(kCodeAccessed);
  const kvm_segment data = real_mode_segment(kDataAccessed);
  sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = data;
  sregs.cr0 &= ~(kCr0PE | kCr0PG);
  sregs.efer &= ~(kEferLME | kEferLMA);
  sregs.idt.base = 0;  // the reset IDTR: the real-mode interrupt vector table at 0
  sregs.idt.limit = kRealModeLimit;
  return sregs;
}

kvm_sregs protected_mode_sregs(const kvm_sregs& current) {
  kvm_sregs sregs = current;
  enable_caches_and_fpu(sregs);
  // BEGIN SOLUTION lab 3: switch on protected mode with flat 32-bit segments
  sregs.cr0 |= kCr0PE;
  sregs.cr0 &= ~kCr0PG;  // 32-bit code with flat segments needs no paging
  sregs.efer &= ~(kEferLME | kEferLMA);
  load_standard_tables(sregs);
  load_standard_segments(sregs, DL_GDT_CODE32);
  // END SOLUTION
  return sregs;
}

kvm_sregs long_mode_sregs(const kvm_sregs& current, std::uint64_t cr3) {
  kvm_sregs sregs = current;
  enable_caches_and_fpu(sregs);
  // BEGIN SOLUTION lab 3: set CR0, CR4 and EFER for long mode
  sregs.cr3 = cr3;
  sregs.cr4 |= kCr4PAE;
  sregs.efer |= kEferLME | kEferLMA;  // LMA: what the CPU would set when PG goes on (see .h)
  sregs.cr0 |= kCr0PE | kCr0PG;
  load_standard_tables(sregs);
  load_standard_segments(sregs, DL_GDT_CODE64);
  // END SOLUTION
  return sregs;
}

Result<kvm_sregs> prepare_protected_mode(const GuestMemory& memory, const kvm_sregs& current) {
  DL_TRY(write_gdt(memory, DL_GDT_ADDRESS).context("preparing protected mode"));
  return protected_mode_sregs(current);
}

Result<kvm_sregs> prepare_long_mode(const GuestMemory& memory, const kvm_sregs& current) {
  DL_TRY(write_gdt(memory, DL_GDT_ADDRESS).context("preparing long mode"));
  const std::uint64_t cr3 =
      DL_TRY(build_identity_map(memory, DL_PAGE_TABLES_ADDRESS, kIdentityMapSize)
                 .context("preparing long mode"));
  return long_mode_sregs(current, cr3);
}

}  // namespace deploylab::hv
