// hypervisor/boot/page_tables_test.cpp: the identity map's entries, translate() over it and over
// hand-built tables with 1 GiB and 4 KiB pages, and the walker's errors. Graded: compiled into
// lab03_tests (labs/03-long-mode/). The argument checks of build_identity_map(), which pass before
// the lab is written, are ungraded, in boot_checks_test.cpp.
#include "hypervisor/boot/page_tables.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "hypervisor/boot/x86.h"
#include "hypervisor/guests/abi.h"

namespace deploylab::hv {
namespace {

constexpr std::uint64_t kGiB = 1ull << 30;
constexpr std::uint64_t kMiB = 1ull << 20;
constexpr std::uint64_t kTableEntry = kPtePresent | kPteWritable;  // what points at a table

GuestMemory low_ram(std::uint64_t size = kMiB) {
  GuestMemory memory;
  memory.add_region(0, size).value();
  return memory;
}

std::uint64_t entry_at(const GuestMemory& memory, std::uint64_t table, std::uint64_t index) {
  return memory.read_value<std::uint64_t>(table + index * 8).value();
}

void set_entry(const GuestMemory& memory, std::uint64_t table, std::uint64_t index,
               std::uint64_t value) {
  memory.write_value<std::uint64_t>(table + index * 8, value).value();
}

// The virtual address with these four table indexes and this page offset.
std::uint64_t virtual_at(std::uint64_t pml4, std::uint64_t pdpt, std::uint64_t pd, std::uint64_t pt,
                         std::uint64_t offset) {
  return pml4 << 39 | pdpt << 30 | pd << 21 | pt << 12 | offset;
}

std::string error_of(const Result<Translation>& result) {
  return result.ok() ? "(no error: translated to " + hex(result.value().physical_address) + ")"
                     : result.error().message();
}

#define EXPECT_MESSAGE_HAS(message, text)            \
  EXPECT_NE((message).find(text), std::string::npos) \
      << "expected \"" << (text) << "\" in: " << (message)

TEST(PageTables, IdentityMapOf4GiBIsSixPagesOfEntries) {
  GuestMemory memory = low_ram();
  EXPECT_EQ(identity_map_table_bytes(4 * kGiB), 6 * kPageSize4K);
  const std::uint64_t cr3 = build_identity_map(memory, DL_PAGE_TABLES_ADDRESS, 4 * kGiB).value();
  EXPECT_EQ(cr3, std::uint64_t{DL_PAGE_TABLES_ADDRESS})
      << "CR3 must point at the PML4, got " << hex(cr3);
  const std::uint64_t pml4 = 0x2000, pdpt = 0x3000, first_pd = 0x4000;
  EXPECT_EQ(entry_at(memory, pml4, 0), pdpt | kTableEntry) << "PML4[0] must point at the PDPT";
  EXPECT_EQ(entry_at(memory, pml4, 1), 0u) << "only PML4[0] is used";
  for (std::uint64_t gib = 0; gib < 4; ++gib) {
    EXPECT_EQ(entry_at(memory, pdpt, gib), (first_pd + gib * 0x1000) | kTableEntry)
        << "PDPT[" << gib << "] must point at page directory " << gib;
  }
  EXPECT_EQ(entry_at(memory, pdpt, 4), 0u) << "nothing is mapped above 4 GiB";
  const std::uint64_t large = kPtePresent | kPteWritable | kPtePageSize;
  EXPECT_EQ(entry_at(memory, first_pd, 0), 0x0 | large);
  EXPECT_EQ(entry_at(memory, first_pd, 1), 0x200000 | large);
  EXPECT_EQ(entry_at(memory, first_pd + 3 * 0x1000, 511), 0xffe00000 | large)
      << "the last 2 MiB page below 4 GiB";
}

TEST(PageTables, IdentityMapTranslatesAddressesToThemselves) {
  GuestMemory memory = low_ram();
  const std::uint64_t cr3 = build_identity_map(memory, DL_PAGE_TABLES_ADDRESS, 4 * kGiB).value();
  const std::uint64_t addresses[] = {0x0,      0x1234,     0x1fffff,   0x200000,
                                     0x100000, 0x7fffffff, 0xfee00000, 0xffffffff};
  for (std::uint64_t address : addresses) {
    auto translation = translate(memory, cr3, address);
    ASSERT_TRUE(translation.ok()) << hex(address) << ": " << error_of(translation);
    EXPECT_EQ(translation.value().physical_address, address)
        << "virtual " << hex(address) << " translated to "
        << hex(translation.value().physical_address);
    EXPECT_EQ(translation.value().page_size, kPageSize2M) << "at " << hex(address);
  }
}

TEST(PageTables, TranslateIgnoresTheFlagBitsOfCr3) {
  GuestMemory memory = low_ram();
  const std::uint64_t cr3 = build_identity_map(memory, DL_PAGE_TABLES_ADDRESS, 4 * kGiB).value();
  const std::uint64_t cr3_with_pwt_pcd = cr3 | 0x18;  // bits 3 and 4: caching hints
  auto translation = translate(memory, cr3_with_pwt_pcd, 0x123456);
  ASSERT_TRUE(translation.ok()) << error_of(translation);
  EXPECT_EQ(translation.value().physical_address, 0x123456u);
}

TEST(PageTables, AddressesPastTheIdentityMapAreNotPresent) {
  GuestMemory memory = low_ram();
  const std::uint64_t cr3 = build_identity_map(memory, DL_PAGE_TABLES_ADDRESS, 4 * kGiB).value();
  EXPECT_MESSAGE_HAS(error_of(translate(memory, cr3, 0x100000000)),
                     "PDPT entry 4 for virtual 0x100000000 is not present");
  EXPECT_MESSAGE_HAS(error_of(translate(memory, cr3, 0x200000000)),
                     "PDPT entry 8 for virtual 0x200000000 is not present");
  EXPECT_MESSAGE_HAS(error_of(translate(memory, cr3, 0x8000000000)),
                     "PML4 entry 1 for virtual 0x8000000000 is not present");
}

TEST(PageTables, PartialGigabyteLeavesTheRestOfTheDirectoryEmpty) {
  GuestMemory memory = low_ram();
  const std::uint64_t cr3 = build_identity_map(memory, DL_PAGE_TABLES_ADDRESS, 6 * kMiB).value();
  EXPECT_EQ(identity_map_table_bytes(6 * kMiB), 3 * kPageSize4K);
  auto last = translate(memory, cr3, 6 * kMiB - 1);
  ASSERT_TRUE(last.ok()) << error_of(last);
  EXPECT_EQ(last.value().physical_address, 6 * kMiB - 1);
  EXPECT_MESSAGE_HAS(error_of(translate(memory, cr3, 6 * kMiB)),
                     "PD entry 3 for virtual 0x600000 is not present");
}

TEST(PageTables, IdentityMapClearsStaleEntries) {
  GuestMemory memory = low_ram();
  auto bytes = memory.slice(DL_PAGE_TABLES_ADDRESS, 6 * kPageSize4K).value();
  std::fill(bytes.begin(), bytes.end(), std::uint8_t{0xff});  // garbage: every entry "present"
  const std::uint64_t cr3 = build_identity_map(memory, DL_PAGE_TABLES_ADDRESS, 4 * kGiB).value();
  EXPECT_EQ(entry_at(memory, cr3, 1), 0u) << "PML4[1] kept stale bits";
  EXPECT_MESSAGE_HAS(error_of(translate(memory, cr3, 0x100000000)), "is not present");
}

TEST(PageTables, IdentityMapOf512GiBFillsTheWholePdpt) {
  GuestMemory memory = low_ram(4 * kMiB);
  const std::uint64_t cr3 = build_identity_map(memory, 0x1000, 512 * kGiB).value();
  auto top = translate(memory, cr3, 512 * kGiB - 1);
  ASSERT_TRUE(top.ok()) << error_of(top);
  EXPECT_EQ(top.value().physical_address, 512 * kGiB - 1);
}

TEST(PageTables, RejectsNonCanonicalAddresses) {
  GuestMemory memory = low_ram();
  const std::uint64_t cr3 = build_identity_map(memory, DL_PAGE_TABLES_ADDRESS, 4 * kGiB).value();
  EXPECT_FALSE(is_canonical(0x0000800000000000));  // bit 47 set, bits 63..48 clear
  EXPECT_FALSE(is_canonical(0x1000000000000000));
  EXPECT_TRUE(is_canonical(0x00007fffffffffff));
  EXPECT_TRUE(is_canonical(0xffff800000000000));
  EXPECT_MESSAGE_HAS(error_of(translate(memory, cr3, 0x0000800000000000)),
                     "virtual 0x800000000000 is not canonical");
  // The lowest address of the upper half is canonical: the walk runs and finds PML4[256] empty.
  EXPECT_MESSAGE_HAS(error_of(translate(memory, cr3, 0xffff800000000000)),
                     "PML4 entry 256 for virtual 0xffff800000000000 is not present");
}

TEST(PageTables, WalksA1GiBPage) {
  GuestMemory memory = low_ram();
  const std::uint64_t pml4 = 0x1000, pdpt = 0x2000;
  set_entry(memory, pml4, 0, pdpt | kTableEntry);
  // PDPT[3] maps virtual [3 GiB, 4 GiB) to physical [5 GiB, 6 GiB). Bit 12 is PAT in a large-page
  // entry, not an address bit: it must not show up in the physical address.
  const std::uint64_t pat = 1ull << 12;
  set_entry(memory, pdpt, 3, 5 * kGiB | pat | kPtePresent | kPteWritable | kPtePageSize);
  auto translation = translate(memory, pml4, 3 * kGiB + 0x12345678);
  ASSERT_TRUE(translation.ok()) << error_of(translation);
  EXPECT_EQ(translation.value(), (Translation{5 * kGiB + 0x12345678, kPageSize1G}))
      << "got " << hex(translation.value().physical_address) << " in a page of "
      << hex(translation.value().page_size);
}

TEST(PageTables, Walks4KiBPagesThroughAllFourLevels) {
  GuestMemory memory = low_ram();
  const std::uint64_t pml4 = 0x1000, pdpt = 0x2000, pd = 0x3000, pt = 0x4000;
  set_entry(memory, pml4, 1, pdpt | kTableEntry);
  set_entry(memory, pdpt, 2, pd | kTableEntry);
  set_entry(memory, pd, 3, pt | kTableEntry);  // no PS: points at a page table
  set_entry(memory, pt, 4, 0x7000 | kPtePresent | kPteWritable);
  const std::uint64_t address = virtual_at(1, 2, 3, 4, 0xabc);
  auto translation = translate(memory, pml4, address);
  ASSERT_TRUE(translation.ok()) << error_of(translation);
  EXPECT_EQ(translation.value(), (Translation{0x7abc, kPageSize4K}))
      << "got " << hex(translation.value().physical_address) << " in a page of "
      << hex(translation.value().page_size);
  EXPECT_MESSAGE_HAS(
      error_of(translate(memory, pml4, virtual_at(1, 2, 3, 5, 0))),
      "PT entry 5 for virtual " + hex(virtual_at(1, 2, 3, 5, 0)) + " is not present");
}

TEST(PageTables, WalksTheUpperHalfOfTheAddressSpace) {
  GuestMemory memory = low_ram();
  const std::uint64_t pml4 = 0x1000, pdpt = 0x2000, pd = 0x3000;
  // 0xffffffff80000000, where x86-64 Linux puts its kernel: PML4[511], PDPT[510], PD[0].
  set_entry(memory, pml4, 511, pdpt | kTableEntry);
  set_entry(memory, pdpt, 510, pd | kTableEntry);
  set_entry(memory, pd, 0, 0x200000 | kPtePresent | kPteWritable | kPtePageSize);
  auto translation = translate(memory, pml4, 0xffffffff80000042);
  ASSERT_TRUE(translation.ok()) << error_of(translation);
  EXPECT_EQ(translation.value(), (Translation{0x200042, kPageSize2M}));
}

TEST(PageTables, TablesOutsideGuestRamAreReported) {
  GuestMemory memory = low_ram();
  set_entry(memory, 0x1000, 0, 0x40000000 | kTableEntry);  // a PDPT at 1 GiB, past the RAM
  const std::string message = error_of(translate(memory, 0x1000, 0x1234));
  EXPECT_MESSAGE_HAS(message, "reading PDPT entry 0 for virtual 0x1234");
  EXPECT_MESSAGE_HAS(message, "not guest RAM");
}

}  // namespace
}  // namespace deploylab::hv
