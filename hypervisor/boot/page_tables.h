// hypervisor/boot/page_tables.h: the identity-mapped page tables of long-mode guests, and a page
// walker that reads any 4-level tables the way the MMU does (lab 03).
//
// Part of boot/ (see gdt.h for the neighbours). Pure code over GuestMemory: the tables live in
// guest RAM because the guest's MMU reads them from there; we only write and read bytes.
//
// Why page tables at all? Long mode cannot run without paging: CR0.PG is part of the definition
// of long mode (see cpu_mode.h). Our guests want to see physical memory as it is, so the tables
// map every virtual address to the same physical address, an *identity map*.
//
// 4-level paging in one picture. A 48-bit virtual address is cut into four 9-bit indexes and an
// offset; each index picks one of the 512 8-byte entries of a 4 KiB table, and each entry holds
// the physical address of the next table:
//
//   bits 47..39  PML4 index  ->  CR3 points at the PML4 (page map level 4)
//   bits 38..30  PDPT index  ->  page directory pointer table; an entry with PS = 1 maps 1 GiB
//   bits 29..21  PD index    ->  page directory; an entry with PS = 1 maps 2 MiB
//   bits 20..12  PT index    ->  page table; its entries map 4 KiB pages
//   bits 11..0   offset in a 4 KiB page (bits 20..0 for 2 MiB, bits 29..0 for 1 GiB)
//
// Bits 63..48 must all equal bit 47 ("canonical" addresses), so the 2^48 bytes split into a low
// half and a high half with a huge hole between; anything else faults before any table is read.
//
// build_identity_map() uses 2 MiB pages, so the walk stops at the page directory and no
// last-level page table (PT) is needed: one PML4, one PDPT and one page directory per GiB.
// 4 GiB costs 6 pages (24 KiB), where 4 KiB pages would need 2048 page tables (8 MiB) more.
#pragma once

#include <cstdint>

#include "common/result.h"
#include "hypervisor/boot/x86.h"
#include "hypervisor/kvm/guest_memory.h"

namespace deploylab::hv {

// How many bytes of tables build_identity_map() writes for `bytes` of mapped memory: the PML4, the
// PDPT and one page directory per started GiB.
constexpr std::uint64_t identity_map_table_bytes(std::uint64_t bytes) {
  return (2 + (bytes + kPageSize1G - 1) / kPageSize1G) * kPageSize4K;
}

// Writes page tables at `tables_address` (4 KiB-aligned; PML4 first, then the PDPT, then the page
// directories) that identity-map [0, bytes) with 2 MiB pages, present and writable. `bytes` must
// be a non-zero multiple of 2 MiB and at most 512 GiB (what one PML4 entry covers). The tables
// must lie in guest RAM; their previous contents are overwritten. Returns the value for CR3 (the
// PML4's physical address; its flag bits, caching hints, are left 0).
// minivmm: build_identity_map(memory, DL_PAGE_TABLES_ADDRESS, 4 GiB) -> 6 pages at 0x2000.
Result<std::uint64_t> build_identity_map(const GuestMemory& memory, std::uint64_t tables_address,
                                         std::uint64_t bytes);

struct Translation {
  std::uint64_t physical_address = 0;
  std::uint64_t page_size = 0;  // of the page that maps it: 4 KiB, 2 MiB or 1 GiB
  bool operator==(const Translation&) const = default;
};

// Translates `virtual_address` through the 4-level tables at `cr3` as the MMU would for a
// supervisor read: it follows present entries and stops at the first leaf (PS in a PDPT or PD
// entry, or any PT entry). Access rights (writable, user, NX) are not checked. Errors name the
// level and the entry ("PDPT entry 8 for virtual 0x200000000 is not present"), reject
// non-canonical addresses, and report tables that are not in guest RAM. The VMM uses it to say
// where a faulting guest was; the tests use it to check the tables.
Result<Translation> translate(const GuestMemory& memory, std::uint64_t cr3,
                              std::uint64_t virtual_address);

// Whether bits 63..47 of `virtual_address` are all equal (a canonical 48-bit address).
bool is_canonical(std::uint64_t virtual_address);

}  // namespace deploylab::hv
