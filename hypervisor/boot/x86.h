// hypervisor/boot/x86.h: the x86 control-register, EFER and page-table bits that boot/ sets.
//
// Linux's <linux/kvm.h> gives us the register *containers* (kvm_sregs, kvm_segment) but not the
// names of the bits inside them (those live in the kernel's private headers), so they are spelled
// out here, one comment each. Names follow the Intel SDM (volume 3A, chapter 2 "System
// Architecture Overview" and chapter 4 "Paging"), so `kCr0PE` is what the manual calls CR0.PE:
// search the manual for the part after kCr0/kCr4/kEfer.
//
// Used by gdt.cpp, page_tables.cpp and cpu_mode.cpp, and by their tests.
#pragma once

#include <cstdint>

namespace deploylab::hv {

// --- CR0: switches that change how the CPU runs -------------------------------------------------
inline constexpr std::uint64_t kCr0PE = 1ull << 0;   // Protection Enable: 0 = real mode
inline constexpr std::uint64_t kCr0MP = 1ull << 1;   // Monitor coProcessor: WAIT honours CR0.TS
inline constexpr std::uint64_t kCr0EM = 1ull << 2;   // EMulation: no FPU, every x87/SSE op faults
inline constexpr std::uint64_t kCr0TS = 1ull << 3;   // Task Switched: next FPU use faults
inline constexpr std::uint64_t kCr0ET = 1ull << 4;   // Extension Type: hard-wired 1 since the 486
inline constexpr std::uint64_t kCr0NE = 1ull << 5;   // Numeric Error: FPU errors raise #MF
inline constexpr std::uint64_t kCr0WP = 1ull << 16;  // Write Protect: ring 0 obeys read-only pages
inline constexpr std::uint64_t kCr0AM = 1ull << 18;  // Alignment Mask: allow #AC in ring 3
inline constexpr std::uint64_t kCr0NW = 1ull << 29;  // Not Write-through (with CD: caches off)
inline constexpr std::uint64_t kCr0CD = 1ull << 30;  // Cache Disable: set at reset
inline constexpr std::uint64_t kCr0PG = 1ull << 31;  // PaGing: translate addresses through CR3

// --- CR4: extensions, each one off until the OS says it can handle it ---------------------------
inline constexpr std::uint64_t kCr4PSE = 1ull << 4;          // 4 MiB pages in 32-bit paging
inline constexpr std::uint64_t kCr4PAE = 1ull << 5;          // 64-bit page-table entries; long
                                                             // mode requires it
inline constexpr std::uint64_t kCr4PGE = 1ull << 7;          // global pages survive a CR3 write
inline constexpr std::uint64_t kCr4OSFXSR = 1ull << 9;       // the OS saves SSE state (FXSAVE):
                                                             // SSE instructions #UD without it
inline constexpr std::uint64_t kCr4OSXMMEXCPT = 1ull << 10;  // the OS handles SSE faults (#XM)

// --- EFER (MSR 0xC0000080), the Extended Feature Enable Register --------------------------------
inline constexpr std::uint64_t kEferSCE = 1ull << 0;   // System Call Extensions: SYSCALL/SYSRET
inline constexpr std::uint64_t kEferLME = 1ull << 8;   // Long Mode Enable: software's request
inline constexpr std::uint64_t kEferLMA = 1ull << 10;  // Long Mode Active: the CPU's answer,
                                                       // read-only on real hardware
inline constexpr std::uint64_t kEferNXE = 1ull << 11;  // No-eXecute bit in page tables honoured

// --- Page-table entries (4-level paging, every level 8 bytes per entry, 512 per 4 KiB table) ----
inline constexpr std::uint64_t kPtePresent = 1ull << 0;   // P: 0 = not mapped, any access faults
inline constexpr std::uint64_t kPteWritable = 1ull << 1;  // R/W: writes allowed
inline constexpr std::uint64_t kPteUser = 1ull << 2;      // U/S: ring 3 may access
inline constexpr std::uint64_t kPtePageSize = 1ull << 7;  // PS: in a PDPT entry a 1 GiB page, in
                                                          // a PD entry a 2 MiB page; else a table
// Bits 51..12 of an entry: the physical address of the next table or of the 4 KiB page. The bits
// above (NX, protection keys) and below (flags) are not part of the address.
inline constexpr std::uint64_t kPteAddressMask = 0x000f'ffff'ffff'f000ull;

inline constexpr std::uint64_t kPageSize4K = 4096;
inline constexpr std::uint64_t kPageSize2M = 2ull << 20;
inline constexpr std::uint64_t kPageSize1G = 1ull << 30;
inline constexpr std::uint64_t kEntriesPerTable = 512;  // 4096 bytes / 8 bytes per entry

}  // namespace deploylab::hv
