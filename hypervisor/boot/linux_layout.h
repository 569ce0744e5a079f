// hypervisor/boot/linux_layout.h: where minivmm puts things in a Linux guest's physical memory
// and which ports, addresses and interrupt lines its devices use (lab 04).
//
// Part of boot/. Labs 01-03 use the small map of hypervisor/guests/abi.h; a real kernel needs a
// PC-like one: RAM from 0 with the legacy hole marked reserved in the e820 map, the boot
// structures the Linux x86 boot protocol asks for in low memory, the kernel at 1 MiB, the
// initramfs at the top of RAM and the devices in the 32-bit MMIO gap below 4 GiB.
//
//   0x000500  boot GDT: null, null, 64-bit code at __BOOT_CS (0x10), data at __BOOT_DS (0x18)
//   0x007000  the zero page (struct boot_params): the setup header plus what we tell the kernel
//   0x009000  identity page tables for the 64-bit entry (PML4, PDPT, 4 page directories)
//   0x020000  the kernel command line (NUL-terminated)
//   0x09fc00  MP table (the last KiB of base memory, where Linux looks for it); reserved from
//             here to 1 MiB, as the EBDA, VGA memory and BIOS ROM are on a PC
//   0x0e0000  ACPI tables (RSDP first, where Linux also scans for it), inside that reserved area
//   0x100000  the kernel's protected-mode code ("the 1 MiB load address")
//   top       the initramfs, page-aligned, as high as the kernel's initrd_addr_max allows
//   0xd0000000  boot timer (one page): the guest's init writes here when userspace starts
//   0xd0001000  virtio-mmio block device (one page), interrupt line 5
//   0xfec00000  I/O APIC, 0xfee00000 local APIC (KVM's in-kernel interrupt controller)
//   0xfffbc000  KVM's identity-map page and TSS (Intel needs them to run real-mode code, which
//               the application processors start in)
// Ports: the 16550 UART COM1 at 0x3f8-0x3ff, interrupt line 4; the ACPI sleep control and status
// registers at 0x600 and 0x601 (power-off). KVM itself serves the PIC
// (0x20, 0xa0), the PIT (0x40-0x43) and the local and I/O APICs.
#pragma once

#include <cstdint>

namespace deploylab::hv::linux_layout {

inline constexpr std::uint64_t kBootGdt = 0x500;
inline constexpr std::uint64_t kZeroPage = 0x7000;
inline constexpr std::uint64_t kPageTables = 0x9000;
inline constexpr std::uint64_t kCommandLine = 0x20000;
inline constexpr std::uint64_t kCommandLineMax = 0x10000;  // our buffer; the kernel's limit is cmdline_size
inline constexpr std::uint64_t kMpTable = 0x9fc00;
inline constexpr std::uint64_t kReservedStart = 0x9fc00;   // e820: reserved up to 1 MiB
inline constexpr std::uint64_t kAcpiTables = 0xe0000;      // acpi_tables.h: kAcpiTablesSize bytes
inline constexpr std::uint64_t kKernelLoad = 0x100000;
inline constexpr std::uint64_t kHighMemory = 0x100000;
inline constexpr std::uint64_t kMaxRam = 3ull << 30;       // stays below the MMIO gap

inline constexpr std::uint64_t kBootTimer = 0xd0000000;
inline constexpr std::uint64_t kBootTimerSize = 0x1000;
inline constexpr std::uint64_t kVirtioBlock = 0xd0001000;
inline constexpr std::uint64_t kVirtioBlockSize = 0x1000;
inline constexpr std::uint32_t kVirtioBlockIrq = 5;

inline constexpr std::uint64_t kIoApic = 0xfec00000;
inline constexpr std::uint64_t kLocalApic = 0xfee00000;
inline constexpr std::uint64_t kKvmIdentityMap = 0xfffbc000;
inline constexpr std::uint64_t kKvmTss = 0xfffbd000;

inline constexpr std::uint16_t kUartPort = 0x3f8;
inline constexpr std::uint16_t kUartPorts = 8;
inline constexpr std::uint32_t kUartIrq = 4;
inline constexpr std::uint16_t kAcpiSleepPort = 0x600;  // control; status is the next port

// The 64-bit boot protocol's segment selectors (Documentation/arch/x86/boot.rst).
inline constexpr std::uint16_t kBootCs = 0x10;
inline constexpr std::uint16_t kBootDs = 0x18;

}  // namespace deploylab::hv::linux_layout
