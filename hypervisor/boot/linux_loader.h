// hypervisor/boot/linux_loader.h: putting a planned Linux boot into guest RAM and the registers
// the kernel's 64-bit entry point expects (lab 04).
//
// Part of boot/: bzimage.h read the kernel, boot_params.h planned the layout and built the zero
// page; this file writes the bytes (kernel, initramfs, command line, zero page, GDT, page tables)
// and gives the vCPU registers. The machine (hypervisor/vmm/linux_machine.h) calls it once.
//
// The 64-bit boot protocol in one list (Documentation/arch/x86/boot.rst, "64-bit boot protocol"):
//   - the CPU is in 64-bit mode with paging on, and the kernel, the zero page and the command
//     line are identity-mapped (we map all of the first 4 GiB, as in lab 03);
//   - a GDT is loaded with a flat 64-bit code segment at selector __BOOT_CS (0x10) and a flat
//     data segment at __BOOT_DS (0x18); CS holds 0x10, DS, ES and SS hold 0x18;
//   - interrupts are off (RFLAGS.IF = 0);
//   - RSI holds the zero page's address, and RIP the load address + 0x200.
// Nothing else: no BIOS, no real-mode setup code. The kernel's decompressor sets up its own page
// tables, GDT and IDT within its first few hundred instructions.
#pragma once

#include <linux/kvm.h>

#include <array>
#include <span>

#include "common/result.h"
#include "hypervisor/boot/boot_params.h"
#include "hypervisor/boot/bzimage.h"
#include "hypervisor/boot/gdt.h"
#include "hypervisor/kvm/guest_memory.h"

namespace deploylab::hv {

// The boot GDT: null, unused, 64-bit code (0x10), flat read/write data (0x18); all ring 0.
inline constexpr std::size_t kLinuxGdtEntries = 4;
std::array<SegmentSpec, kLinuxGdtEntries> linux_boot_gdt();

// Writes everything `plan` says into guest RAM: the protected-mode kernel, the initramfs, the
// NUL-terminated command line, the zero page, the boot GDT and the identity page tables.
Result<void> load_linux(const GuestMemory& memory, const BzImage& kernel, std::span<const std::uint8_t> initrd,
                        const LinuxBootPlan& plan);

// The special registers at the 64-bit entry, from what KVM_GET_SREGS returned: long mode on the
// identity tables at `cr3`, the boot GDT's segments loaded, caches and SSE on, an empty IDT.
kvm_sregs linux_entry_sregs(const kvm_sregs& current, std::uint64_t cr3);

// The general registers at the 64-bit entry: RIP = plan.entry, RSI = the zero page, RFLAGS with
// interrupts off.
kvm_regs linux_entry_regs(const LinuxBootPlan& plan);

}  // namespace deploylab::hv
