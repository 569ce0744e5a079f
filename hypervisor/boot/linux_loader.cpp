// hypervisor/boot/linux_loader.cpp: writing a planned Linux boot into guest RAM, and the entry
// registers (see linux_loader.h).
#include "hypervisor/boot/linux_loader.h"

#include "common/error.h"
#include "hypervisor/boot/cpu_mode.h"
#include "hypervisor/boot/linux_layout.h"
#include "hypervisor/boot/page_tables.h"
#include "hypervisor/boot/x86.h"

namespace deploylab::hv {

namespace layout = linux_layout;

// The fixed low-memory structures must not run into each other (linux_layout.h's map).
static_assert(layout::kBootGdt + kLinuxGdtEntries * 8 <= layout::kZeroPage, "the GDT runs into the zero page");
static_assert(layout::kZeroPage + zero_page::kSize <= layout::kPageTables, "the zero page runs into the page tables");
static_assert(layout::kPageTables + identity_map_table_bytes(kIdentityMapSize) <= layout::kCommandLine,
              "the page tables run into the command line");
static_assert(layout::kCommandLine + layout::kCommandLineMax <= layout::kMpTable, "the command line runs into the MP table");

std::array<SegmentSpec, kLinuxGdtEntries> linux_boot_gdt() {
  std::array<SegmentSpec, kLinuxGdtEntries> gdt{};
  gdt[0] = SegmentSpec{.code_or_data = false, .present = false};
  gdt[1] = gdt[0];  // selector 0x08: unused by the 64-bit protocol
  gdt[layout::kBootCs / 8] = SegmentSpec{.limit = 0xfffff, .type = kSegmentCodeExecuteRead | kSegmentAccessed,
                                         .long_mode = true, .granularity = true};
  gdt[layout::kBootDs / 8] = SegmentSpec{.limit = 0xfffff, .type = kSegmentDataReadWrite | kSegmentAccessed,
                                         .default_big = true, .granularity = true};
  return gdt;
}

namespace {

Result<void> write_boot_gdt(const GuestMemory& memory) {
  std::array<std::uint64_t, kLinuxGdtEntries> table{};
  const auto specs = linux_boot_gdt();
  for (std::size_t i = 0; i < specs.size(); ++i) table[i] = encode_descriptor(specs[i]);
  std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(table.data()), sizeof table);
  return memory.write(layout::kBootGdt, bytes).context("writing the boot GDT");
}

Result<void> write_cmdline(const GuestMemory& memory, const LinuxBootPlan& plan) {
  std::vector<std::uint8_t> bytes(plan.cmdline.begin(), plan.cmdline.end());
  bytes.push_back(0);
  return memory.write(plan.cmdline_address, bytes).context("writing the command line");
}

}  // namespace

Result<void> load_linux(const GuestMemory& memory, const BzImage& kernel, std::span<const std::uint8_t> initrd,
                        const LinuxBootPlan& plan) {
  DL_TRY(memory.write(plan.kernel_address, kernel.protected_mode).context("loading the kernel at " + hex(plan.kernel_address)));
  if (!initrd.empty()) {
    DL_TRY(memory.write(plan.initrd_address, initrd).context("loading the initramfs at " + hex(plan.initrd_address)));
  }
  DL_TRY(write_cmdline(memory, plan));
  const auto page = build_zero_page(kernel, plan);
  DL_TRY(memory.write(plan.zero_page_address, page).context("writing the zero page"));
  DL_TRY(write_boot_gdt(memory));
  DL_TRY(build_identity_map(memory, layout::kPageTables, kIdentityMapSize).context("writing the boot page tables"));
  return {};
}

kvm_sregs linux_entry_sregs(const kvm_sregs& current, std::uint64_t cr3) {
  kvm_sregs sregs = current;
  // BEGIN SOLUTION lab 4: long mode on the boot GDT, as the 64-bit boot protocol asks
  sregs.cr0 &= ~(kCr0CD | kCr0NW | kCr0EM | kCr0TS);
  sregs.cr0 |= kCr0PE | kCr0MP | kCr0ET | kCr0NE | kCr0PG;
  sregs.cr3 = cr3;
  sregs.cr4 |= kCr4PAE | kCr4OSFXSR | kCr4OSXMMEXCPT;
  sregs.efer |= kEferLME | kEferLMA;
  const auto gdt = linux_boot_gdt();
  sregs.gdt.base = layout::kBootGdt;
  sregs.gdt.limit = kLinuxGdtEntries * 8 - 1;
  sregs.idt.base = 0;
  sregs.idt.limit = 0;
  sregs.cs = to_kvm_segment(gdt[layout::kBootCs / 8], layout::kBootCs);
  const kvm_segment data = to_kvm_segment(gdt[layout::kBootDs / 8], layout::kBootDs);
  sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = data;
  // END SOLUTION
  return sregs;
}

kvm_regs linux_entry_regs(const LinuxBootPlan& plan) {
  kvm_regs regs{};
  // BEGIN SOLUTION lab 4: enter the kernel at its 64-bit entry with RSI at the zero page
  regs.rip = plan.entry;
  regs.rsi = plan.zero_page_address;
  regs.rflags = 0x2;  // bit 1 is always 1; IF = 0: interrupts off
  // END SOLUTION
  return regs;
}

}  // namespace deploylab::hv
