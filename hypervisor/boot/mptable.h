// hypervisor/boot/mptable.h: the Intel MultiProcessor Specification (1.4) table that tells a Linux
// guest how many CPUs it has and how the interrupt lines reach them (lab 04).
//
// Part of boot/, next to boot_params.h (the zero page) and guest_cpuid.h (what each CPU says about
// itself). Pure code over GuestMemory: the table is bytes in guest RAM that the kernel reads.
//
// Why a table at all. A PC kernel cannot probe for CPUs or interrupt controllers: it has to be
// told. Firmware does the telling, today with ACPI (the MADT), and before ACPI with the MP table of
// the MultiProcessor Specification. minivmm has no firmware and no ACPI, so it writes the older,
// much smaller MP table itself; Linux still reads it when it finds no ACPI (CONFIG_X86_MPPARSE).
// Without it Linux boots on one CPU, with the legacy PIC only: --vcpus 4 would show one CPU.
//
// Where Linux looks. At boot it scans three places for the 4 bytes "_MP_" on a 16-byte boundary:
// the first KiB of RAM, the last KiB of base memory (0x9fc00-0x9ffff on a 640 KiB PC) and the
// BIOS ROM at 0xf0000-0xfffff. We use the second: linux_layout::kMpTable, which the e820 map
// marks reserved so the kernel does not reuse the table's memory as ordinary RAM.
//
// What we write, in order (all little-endian, no padding):
//
//   MP floating pointer structure (16 bytes), at `address`
//     0  "_MP_"          4  address of the configuration table (we put it right after, at +16)
//     8  length in 16-byte units (1)   9  spec revision (4 = 1.4)   10  checksum
//     11 feature byte 1: 0 = "a configuration table follows" (non-zero picks a built-in default
//        layout for two CPUs)
//     12 feature byte 2: bit 7 IMCRP = 0: "virtual wire mode", see below    13..15 zero
//   MP configuration table header (44 bytes), at `address` + 16
//     0  "PCMP"   4  base table length (header + entries)   6  spec revision (4)   7  checksum
//     8  OEM id (8 chars)   16  product id (12 chars)   28  OEM table pointer (0)
//     32 OEM table size (0)   34  entry count   36  local APIC address (0xfee00000)
//     40 extended table length (0)   42  extended table checksum (0)   43  reserved
//   Entries, sorted by type as the spec requires:
//     type 0 processor (20 bytes), one per vCPU: APIC id, APIC version, flags (enabled, BSP),
//            CPU signature and feature flags (as CPUID leaf 1 would give them)
//     type 1 bus (8 bytes): bus 0 is "ISA   " (the legacy devices' interrupt numbers are ISA IRQs)
//     type 2 I/O APIC (8 bytes): its id, version, enabled flag and MMIO address
//     type 3 I/O interrupt assignment (8 bytes) x16: ISA IRQ n goes to I/O APIC pin n
//     type 4 local interrupt assignment (8 bytes) x2: LINT0 = ExtINT, LINT1 = NMI on every CPU
//
// Checksums: each of the two structures (the 16-byte pointer and the header-plus-entries) is
// summed byte by byte; the checksum byte is chosen so that the sum is 0 modulo 256. Linux skips a
// pointer whose sum is not 0 without a word, and rejects a configuration table whose sum is not 0
// ("MPTABLE: checksum error"); either way it boots on one CPU.
//
// IRQ 0 goes to pin 0, not pin 2. On real PCs the 8259 PIC's output is wired to I/O APIC pin 0 and
// the timer (ISA IRQ 0) to pin 2, so firmware tables say "ISA IRQ 0 -> INTIN2" (ACPI calls it an
// interrupt source override, and Linux's built-in default MP layouts do the same). KVM's in-kernel
// chips are wired differently: without KVM_SET_GSI_ROUTING, line n (n < 16) drives both PIC input
// n and I/O APIC pin n, and the in-kernel PIT raises line 0. So the PIT's ticks arrive at pin 0,
// and the table must say IRQ 0 -> pin 0, an identity map like every other ISA IRQ. A table saying
// pin 2 would make Linux unmask pin 2 and wait for ticks that never come there; and since Linux
// skips its "does the timer tick?" check when it sees KVM (no_timer_check), nothing would even
// complain. (QEMU goes the other way: it reprograms KVM's routing so line 0 reaches pin 2 and
// keeps the PC's wiring; that needs KVM_SET_GSI_ROUTING, which minivmm does not use.)
//
// Virtual wire mode. Feature byte 2 bit 7 clear tells Linux there is no IMCR (the chipset switch
// at ports 0x22/0x23 that old boards used to move the PIC's output from the CPU pin to the APIC),
// so the PIC reaches the BSP through its local APIC's LINT0 programmed as ExtINT: "virtual wire".
// local_apic.h sets LINT0 that way on vCPU 0 before it runs, as a PC BIOS would. The local
// interrupt entries below say the same thing to the kernel.
#pragma once

#include <cstdint>

#include "common/result.h"
#include "hypervisor/kvm/guest_memory.h"

namespace deploylab::hv {

// The most vCPUs minivmm gives a guest, and so the most processor entries we write. It matches the
// VMM's --vcpus limit (hypervisor/vmm/machine.cpp). The hard limits are far higher, which is why 8
// is a choice and not a law:
//   - xAPIC ids are 8 bits and 0xff means "all", so 255 CPUs, minus one id for the I/O APIC: 254;
//   - the table must fit in the reserved last KiB of base memory: (1024 - 220) / 20 = 40 CPUs;
//   - the I/O APIC id (= vcpus here) fits the 4-bit ID register of the classic 82093AA only up
//     to 15.
// A small cap keeps every one of these far away, and test runs on 2 host cores fast.
inline constexpr int kMaxVcpus = 8;

// Fixed-size pieces of the table (see the layout above).
inline constexpr std::uint64_t kMpFloatingPointerSize = 16;
inline constexpr std::uint64_t kMpConfigHeaderSize = 44;
inline constexpr std::uint64_t kMpProcessorEntrySize = 20;
inline constexpr std::uint64_t kMpSmallEntrySize = 8;  // bus, I/O APIC, interrupt entries
inline constexpr int kMpIsaIrqs = 16;                  // ISA IRQs 0-15, one assignment each
inline constexpr int kMpLocalInterrupts = 2;           // LINT0 and LINT1

// The entry types (the first byte of every entry).
inline constexpr std::uint8_t kMpEntryProcessor = 0;
inline constexpr std::uint8_t kMpEntryBus = 1;
inline constexpr std::uint8_t kMpEntryIoApic = 2;
inline constexpr std::uint8_t kMpEntryIoInterrupt = 3;
inline constexpr std::uint8_t kMpEntryLocalInterrupt = 4;

// Interrupt types of entries 3 and 4.
inline constexpr std::uint8_t kMpInterruptInt = 0;     // a vectored interrupt (the normal case)
inline constexpr std::uint8_t kMpInterruptNmi = 1;
inline constexpr std::uint8_t kMpInterruptExtInt = 3;  // the 8259 PIC supplies the vector

// Values we put in the entries; the tests check them, the VMM's other parts must agree.
inline constexpr std::uint8_t kMpSpecRevision = 4;       // MP spec 1.4
inline constexpr std::uint8_t kMpLocalApicVersion = 0x14;  // what KVM's local APIC reports
inline constexpr std::uint8_t kMpIoApicVersion = 0x11;     // what KVM's I/O APIC reports
inline constexpr std::uint8_t kMpCpuEnabled = 0x1;         // processor flags bit 0: usable
inline constexpr std::uint8_t kMpCpuBootstrap = 0x2;       // processor flags bit 1: the BSP
inline constexpr std::uint8_t kMpIsaBus = 0;               // the id of our single bus
inline constexpr std::uint8_t kMpAllLocalApics = 0xff;     // destination "every local APIC"

// How many bytes write_mp_table() writes for `vcpus` CPUs: pointer + header + entries.
constexpr std::uint64_t mp_table_size(int vcpus) {
  return kMpFloatingPointerSize + kMpConfigHeaderSize +
         kMpProcessorEntrySize * static_cast<std::uint64_t>(vcpus) +
         kMpSmallEntrySize * (1 + 1 + kMpIsaIrqs + kMpLocalInterrupts);
}
static_assert(mp_table_size(kMaxVcpus) <= 1024,
              "the MP table must fit in the last KiB of base memory, where Linux looks for it");

// The I/O APIC's id in the table: the first id after the CPUs' (which are 0 .. vcpus - 1).
constexpr std::uint8_t mp_io_apic_id(int vcpus) { return static_cast<std::uint8_t>(vcpus); }

// Writes the floating pointer at `address` and the configuration table right after it, for CPUs
// with APIC ids 0 .. vcpus - 1 (vCPU 0 is the bootstrap processor). Fails, writing nothing, when
// vcpus is outside 1 .. kMaxVcpus, when `address` is not 16-byte aligned (Linux only looks on
// 16-byte boundaries) or when the mp_table_size(vcpus) bytes do not all lie in guest RAM.
// minivmm: write_mp_table(memory, linux_layout::kMpTable, vcpus).
Result<void> write_mp_table(const GuestMemory& memory, std::uint64_t address, int vcpus);

}  // namespace deploylab::hv
