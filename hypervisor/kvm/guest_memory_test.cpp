// hypervisor/kvm/guest_memory_test.cpp: GuestMemory without KVM: regions must be page-aligned and
// must not overlap, every access is bounds-checked (also near the top of the 64-bit address
// space, where address + length wraps around), and errors name the range and where RAM is.
#include "hypervisor/kvm/guest_memory.h"

#include <gtest/gtest.h>

#include <limits>

namespace deploylab::hv {
namespace {

constexpr std::uint64_t kPage = 4096;
constexpr std::uint64_t kTop = std::numeric_limits<std::uint64_t>::max();

bool contains_text(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The message of a Result that is expected to have failed.
template <class T>
std::string error_of(const Result<T>& result) {
  return result.ok() ? std::string("<no error>") : result.error().message();
}

// Two regions with a hole between them, like the PC's low RAM and high RAM.
GuestMemory two_regions() {
  GuestMemory memory;
  memory.add_region(0, 4 * kPage).value();
  memory.add_region(16 * kPage, 2 * kPage).value();
  return memory;
}

TEST(Hex, WritesAddressesInLowercaseHexWithPrefix) {
  EXPECT_EQ(hex(0), "0x0") << "zero must still read as an address";
  EXPECT_EQ(hex(4096), "0x1000");
  EXPECT_EQ(hex(0xb0000), "0xb0000");
  EXPECT_EQ(hex(kTop), "0xffffffffffffffff");
}

TEST(GuestMemoryRegions, AddsZeroedRegionsAndCountsTheirSize) {
  GuestMemory memory = two_regions();
  ASSERT_EQ(memory.regions().size(), 2u);
  EXPECT_EQ(memory.regions()[1].guest_address, 16 * kPage);
  EXPECT_EQ(memory.regions()[1].end(), 18 * kPage);
  EXPECT_EQ(memory.total_size(), 6 * kPage);
  EXPECT_EQ(memory.read(0, 8).value(), std::vector<std::uint8_t>(8, 0)) << "new guest RAM must read as zeros";
}

TEST(GuestMemoryRegions, RejectsUnalignedOrEmptyRegions) {
  GuestMemory memory;
  for (auto [address, size] : {std::pair<std::uint64_t, std::uint64_t>{0, 0}, {1, kPage}, {0, kPage + 1}, {kPage / 2, kPage}}) {
    auto added = memory.add_region(address, size);
    ASSERT_FALSE(added.ok()) << "a region at " << hex(address) << " of " << size << " bytes must be refused";
    EXPECT_TRUE(contains_text(error_of(added), "multiples of the page size")) << error_of(added);
    EXPECT_TRUE(contains_text(error_of(added), "guest RAM [" + hex(address))) << error_of(added);
  }
  EXPECT_TRUE(memory.regions().empty()) << "a refused region must not be added";
}

TEST(GuestMemoryRegions, RejectsOverlapsAndNamesTheRegionHit) {
  GuestMemory memory = two_regions();
  // Overlapping the start, the end, lying inside, and covering a whole region.
  for (auto [address, size] : {std::pair<std::uint64_t, std::uint64_t>{15 * kPage, 2 * kPage}, {17 * kPage, 4 * kPage},
                               {kPage, kPage}, {14 * kPage, 8 * kPage}}) {
    auto added = memory.add_region(address, size);
    ASSERT_FALSE(added.ok()) << "[" << hex(address) << ", " << hex(address + size) << ") overlaps and must be refused";
    EXPECT_TRUE(contains_text(error_of(added), "overlaps [")) << error_of(added);
  }
  auto hit = memory.add_region(17 * kPage, 4 * kPage);
  EXPECT_TRUE(contains_text(error_of(hit), "overlaps [0x10000, 0x12000)")) << error_of(hit);
  EXPECT_EQ(memory.regions().size(), 2u);
}

TEST(GuestMemoryRegions, AcceptsRegionsThatOnlyTouch) {
  GuestMemory memory = two_regions();
  EXPECT_TRUE(memory.add_region(4 * kPage, kPage).ok()) << "a region that starts where another ends does not overlap";
  EXPECT_TRUE(memory.add_region(15 * kPage, kPage).ok()) << "a region that ends where another starts does not overlap";
  EXPECT_EQ(memory.total_size(), 8 * kPage);
}

TEST(GuestMemoryBounds, ContainsOnlyRangesInsideOneRegion) {
  GuestMemory memory = two_regions();
  EXPECT_TRUE(memory.contains(0, 4 * kPage));
  EXPECT_TRUE(memory.contains(4 * kPage - 1, 1)) << "the last byte of a region is RAM";
  EXPECT_FALSE(memory.contains(4 * kPage - 1, 2)) << "a range running off the end of a region is not RAM";
  EXPECT_FALSE(memory.contains(4 * kPage, 1)) << "the hole between regions is not RAM";
  EXPECT_FALSE(memory.contains(3 * kPage, 14 * kPage)) << "a range spanning the hole is not RAM";
  EXPECT_TRUE(memory.contains(16 * kPage, 0)) << "an empty range at a RAM address is inside";
}

TEST(GuestMemoryBounds, LengthsThatWrapAroundTheAddressSpaceAreRefused) {
  GuestMemory memory = two_regions();
  // address + length wraps to a small number here: a naive `address + length <= end` would pass.
  EXPECT_FALSE(memory.contains(kPage, kTop)) << "length 2^64 - 1 from inside a region must not fit";
  EXPECT_FALSE(memory.contains(kPage, kTop - kPage + 2)) << "a length that wraps to 0x1 must not fit";
  EXPECT_FALSE(memory.slice(16 * kPage + 8, kTop - 16 * kPage).ok());
  EXPECT_FALSE(memory.read_value<std::uint64_t>(kTop - 3).ok()) << "8 bytes at 2^64 - 4 wrap past the top";
  EXPECT_FALSE(memory.contains(kTop, 1)) << "the last address of the 64-bit space is no RAM here";
}

TEST(GuestMemoryBounds, SliceErrorNamesTheRangeAndWhereRamIs) {
  GuestMemory memory = two_regions();
  auto slice = memory.slice(0x4000, 0x10);
  ASSERT_FALSE(slice.ok());
  std::string message = error_of(slice);
  EXPECT_TRUE(contains_text(message, "not guest RAM")) << message;
  EXPECT_TRUE(contains_text(message, "guest-physical [0x4000, 0x4010)")) << message;
  EXPECT_TRUE(contains_text(message, "[0x0, 0x4000) and [0x10000, 0x12000)")) << message;
  EXPECT_TRUE(contains_text(error_of(GuestMemory().slice(0, 1)), "no region was added")) << error_of(GuestMemory().slice(0, 1));
}

TEST(GuestMemoryAccess, WritesAndReadsBytesAndLittleEndianValues) {
  GuestMemory memory = two_regions();
  std::vector<std::uint8_t> bytes{1, 2, 3, 4};
  memory.write(16 * kPage + 10, bytes).value();
  EXPECT_EQ(memory.read(16 * kPage + 10, 4).value(), bytes);
  EXPECT_EQ(memory.read_value<std::uint32_t>(16 * kPage + 10).value(), 0x04030201u) << "x86 is little-endian";
  memory.write_value<std::uint16_t>(0x500, 0xc0de).value();
  EXPECT_EQ(memory.read(0x500, 2).value(), (std::vector<std::uint8_t>{0xde, 0xc0}));
  EXPECT_FALSE(memory.write(4 * kPage - 2, bytes).ok()) << "a write across the end of a region must fail";
  EXPECT_EQ(memory.read(4 * kPage - 2, 2).value(), (std::vector<std::uint8_t>{0, 0})) << "a failed write must write nothing";
}

TEST(GuestMemoryAccess, ReadStringStopsAtNulOrMaxLength) {
  GuestMemory memory = two_regions();
  std::string text = "Hello";
  memory.write(0x100, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size() + 1)).value();
  EXPECT_EQ(memory.read_string(0x100, 64).value(), "Hello");
  EXPECT_EQ(memory.read_string(0x100, 3).value(), "Hel") << "max_length caps a string without a NUL in reach";
  EXPECT_EQ(memory.read_string(0x100, 0).value(), "");
  EXPECT_EQ(memory.read_string(0x105, 8).value(), "") << "a NUL at the address is the empty string";
}

TEST(GuestMemoryAccess, ReadStringThatRunsOffRamFails) {
  GuestMemory memory = two_regions();
  std::string text = "abcd";  // no NUL: the string runs to the end of the region
  memory.write(4 * kPage - 4, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size())).value();
  auto read = memory.read_string(4 * kPage - 4, 100);
  EXPECT_FALSE(read.ok()) << "expected an error at the end of RAM, got \"" << (read.ok() ? read.value() : "") << "\"";
  EXPECT_TRUE(contains_text(error_of(read), "not guest RAM")) << error_of(read);
}

}  // namespace
}  // namespace deploylab::hv
