// hypervisor/boot/page_tables.cpp: writing identity-mapped page tables and walking 4-level page
// tables (see page_tables.h for the layout of a virtual address).
#include "hypervisor/boot/page_tables.h"

#include <algorithm>
#include <array>
#include <string>

#include "common/error.h"
#include "hypervisor/boot/x86.h"

namespace deploylab::hv {

namespace {

// What one PML4 entry covers: 512 GiB.
constexpr std::uint64_t kMaxIdentityMap = kEntriesPerTable * kPageSize1G;
constexpr std::uint64_t kEntrySize = 8;

// One level of the walk, from the root down. `shift` is the lowest virtual-address bit of the
// level's 9-bit index, which is also log2 of the size one entry of that level covers.
struct Level {
  const char* name;
  unsigned shift;
};
constexpr std::array<Level, 4> kLevels{{{"PML4", 39}, {"PDPT", 30}, {"PD", 21}, {"PT", 12}}};

Result<void> check_identity_map_request(const GuestMemory& memory, std::uint64_t tables_address,
                                        std::uint64_t bytes) {
  if (tables_address % kPageSize4K != 0) {
    return Error::invalid("page tables must start on a 4 KiB boundary", hex(tables_address),
                          "an entry holds only bits 51..12 of the next table's address");
  }
  if (bytes == 0 || bytes % kPageSize2M != 0) {
    return Error::invalid("the size to identity-map must be a non-zero multiple of 2 MiB",
                          hex(bytes), "the map is made of whole 2 MiB pages");
  }
  if (bytes > kMaxIdentityMap) {
    return Error::invalid("the size to identity-map is over 512 GiB", hex(bytes),
                          "one PML4 entry covers 512 GiB and build_identity_map() fills one");
  }
  const std::uint64_t table_bytes = identity_map_table_bytes(bytes);
  if (!memory.contains(tables_address, table_bytes)) {
    return Error::invalid("the page tables do not fit in guest RAM",
                          std::to_string(table_bytes / kPageSize4K) + " pages at [" +
                              hex(tables_address) + ", " + hex(tables_address + table_bytes) + ")",
                          "give the guest more RAM or put the tables lower");
  }
  return {};
}

Result<std::uint64_t> read_entry(const GuestMemory& memory, std::uint64_t table,
                                 const Level& level, std::uint64_t index,
                                 std::uint64_t virtual_address) {
  return memory.read_value<std::uint64_t>(table + index * kEntrySize)
      .context(std::string("reading ") + level.name + " entry " + std::to_string(index) +
               " for virtual " + hex(virtual_address));
}

Error not_present(const Level& level, std::uint64_t index, std::uint64_t virtual_address) {
  return Error::invalid(std::string(level.name) + " entry " + std::to_string(index) +
                            " for virtual " + hex(virtual_address) + " is not present",
                        {}, "the guest's page tables do not map this address");
}

// Whether `entry` (present) maps a page rather than pointing at the next table.
bool is_leaf(const Level& level, std::uint64_t entry) {
  if (level.shift == 12) return true;  // a PT entry always maps a 4 KiB page
  if (level.shift == 39) return false;  // PS is reserved in a PML4 entry (not checked here)
  return (entry & kPtePageSize) != 0;
}

}  // namespace

bool is_canonical(std::uint64_t virtual_address) {
  // Shift bit 47 up to bit 63, then back with an arithmetic shift, which copies it into bits
  // 63..48: a canonical address survives the round trip unchanged.
  const auto extended = static_cast<std::int64_t>(virtual_address << 16) >> 16;
  return static_cast<std::uint64_t>(extended) == virtual_address;
}

Result<std::uint64_t> build_identity_map(const GuestMemory& memory, std::uint64_t tables_address,
                                         std::uint64_t bytes) {
  DL_TRY(check_identity_map_request(memory, tables_address, bytes)
             .context("building the identity map of " + hex(bytes) + " bytes"));
  // Guest RAM may hold anything (an earlier boot, a loaded image): a stale entry would map
  // whatever its bits say, so every table starts empty.
  auto tables = DL_TRY(memory.slice(tables_address, identity_map_table_bytes(bytes)));
  std::fill(tables.begin(), tables.end(), std::uint8_t{0});
  // BEGIN SOLUTION lab 3: build identity page tables with 2 MiB pages
  const std::uint64_t pml4 = tables_address;
  const std::uint64_t pdpt = pml4 + kPageSize4K;
  const std::uint64_t first_directory = pdpt + kPageSize4K;
  // The MMU allows an access only if the entries of every level allow it, so the entries that
  // point at tables are present and writable too, not just the ones that map pages.
  DL_TRY(memory.write_value<std::uint64_t>(pml4, pdpt | kPtePresent | kPteWritable));
  for (std::uint64_t address = 0; address < bytes; address += kPageSize2M) {
    const std::uint64_t gib = address / kPageSize1G;  // PDPT index = which page directory
    const std::uint64_t directory = first_directory + gib * kPageSize4K;
    if (address % kPageSize1G == 0) {
      DL_TRY(memory.write_value<std::uint64_t>(pdpt + gib * kEntrySize,
                                               directory | kPtePresent | kPteWritable));
    }
    // Identity: the page at virtual `address` is the physical page at `address`.
    const std::uint64_t index = (address / kPageSize2M) % kEntriesPerTable;
    DL_TRY(memory.write_value<std::uint64_t>(directory + index * kEntrySize,
                                             address | kPtePresent | kPteWritable | kPtePageSize));
  }
  return pml4;
  // END SOLUTION
}

Result<Translation> translate(const GuestMemory& memory, std::uint64_t cr3,
                              std::uint64_t virtual_address) {
  if (!is_canonical(virtual_address)) {
    return Error::invalid("virtual " + hex(virtual_address) + " is not canonical", {},
                          "bits 63..47 of a virtual address must be all 0 or all 1");
  }
  // BEGIN SOLUTION lab 3: walk the page tables like the MMU
  std::uint64_t table = cr3 & kPteAddressMask;  // CR3's low bits are caching hints, not address
  for (const Level& level : kLevels) {
    const std::uint64_t index = (virtual_address >> level.shift) % kEntriesPerTable;
    const std::uint64_t entry = DL_TRY(read_entry(memory, table, level, index, virtual_address));
    if ((entry & kPtePresent) == 0) return not_present(level, index, virtual_address);
    if (is_leaf(level, entry)) {
      // A large page's frame is aligned to its size; in 2 MiB and 1 GiB entries the low address
      // bits are flags (bit 12 is PAT), so clear them along with the offset bits.
      const std::uint64_t page_size = std::uint64_t{1} << level.shift;
      const std::uint64_t frame = entry & kPteAddressMask & ~(page_size - 1);
      return Translation{frame | (virtual_address & (page_size - 1)), page_size};
    }
    table = entry & kPteAddressMask;
  }
  return Error::invalid("the page walk ended without reaching a page", hex(virtual_address));
  // END SOLUTION
}

}  // namespace deploylab::hv
