// hypervisor/boot/boot_params_test.cpp: build_zero_page() (lab 04, graded: labs/04-boot-linux
// compiles this file into lab04_tests). The plan it is given comes from plan_linux_boot(), whose
// own checks are in linux_boot_checks_test.cpp.
#include "hypervisor/boot/boot_params.h"

#include <gtest/gtest.h>

#include <cstring>

#include "hypervisor/boot/bzimage_fixture.h"

namespace deploylab::hv {
namespace {

namespace sh = setup_header;
namespace zp = zero_page;
using testing::FakeBzImage;

template <class T>
T at(const std::array<std::uint8_t, zp::kSize>& page, std::size_t offset) {
  T value;
  std::memcpy(&value, page.data() + offset, sizeof(T));
  return value;
}

struct ZeroPageTest : ::testing::Test {
  FakeBzImage image;
  LinuxBootPlan plan() {
    auto kernel = parse_bzimage(image.bytes).value();
    return plan_linux_boot(kernel, 256 << 20, 3 << 20, "console=ttyS0 panic=-1").value();
  }
  std::array<std::uint8_t, zp::kSize> page() {
    auto p = plan();
    return build_zero_page(parse_bzimage(image.bytes).value(), p);
  }
};

TEST_F(ZeroPageTest, CopiesTheSetupHeaderToItsOwnOffsets) {
  auto page = ZeroPageTest::page();
  // Fields the loader does not write come through unchanged.
  for (std::size_t offset : {sh::kSetupSects, sh::kBootFlag, sh::kHeader, sh::kVersion, sh::kXLoadFlags,
                             sh::kCmdlineSize, sh::kPrefAddress, sh::kInitSize}) {
    EXPECT_EQ(page[offset], image.bytes[offset]) << "zero page byte " << offset << " should come from the setup header";
  }
  EXPECT_EQ(at<std::uint32_t>(page, sh::kHeader), sh::kHdrSMagic);
  EXPECT_EQ(at<std::uint32_t>(page, sh::kInitSize), 0x2000000u);
}

TEST_F(ZeroPageTest, CopiesOnlyTheSetupHeaderNotTheWholeFirstSector) {
  // Recent kernels keep a PE header in the first sector; those bytes must not reach the kernel.
  std::memset(image.bytes.data(), 0x4d, sh::kStart);
  // And nothing after the header's end (0x26c in the fixture) is copied either.
  std::memset(image.bytes.data() + 0x26c, 0x5a, 0x400 - 0x26c);
  auto page = ZeroPageTest::page();
  for (std::size_t i = 0; i < sh::kStart; ++i) {
    if (i == zp::kE820Entries || (i >= zp::kExtRamdiskImage && i < zp::kExtCmdLinePtr + 4)) continue;
    ASSERT_EQ(page[i], 0) << "zero page byte " << i << " was copied from the file's first sector";
  }
  for (std::size_t i = 0x26c; i < zp::kE820Table; ++i) {
    ASSERT_EQ(page[i], 0) << "zero page byte " << i << " lies after the setup header and must stay 0";
  }
}

TEST_F(ZeroPageTest, SaysWhoLoadedTheKernelAndThatTheHeapIsUsable) {
  auto page = ZeroPageTest::page();
  EXPECT_EQ(page[sh::kTypeOfLoader], 0xff) << "type_of_loader: 0xff, a loader without an assigned ID";
  EXPECT_EQ(page[sh::kLoadFlags] & sh::kLoadedHigh, sh::kLoadedHigh) << "keep the kernel's LOADED_HIGH";
  EXPECT_EQ(page[sh::kLoadFlags] & sh::kCanUseHeap, sh::kCanUseHeap) << "set CAN_USE_HEAP";
  EXPECT_EQ(at<std::uint16_t>(page, sh::kHeapEndPtr), zp::kHeapEnd);
}

TEST_F(ZeroPageTest, PointsAtTheCommandLineAndTheInitramfs) {
  auto p = plan();
  auto page = ZeroPageTest::page();
  EXPECT_EQ(at<std::uint32_t>(page, sh::kCmdLinePtr), p.cmdline_address);
  EXPECT_EQ(at<std::uint32_t>(page, sh::kRamdiskImage), p.initrd_address);
  EXPECT_EQ(at<std::uint32_t>(page, sh::kRamdiskSize), 3u << 20);
  EXPECT_EQ(at<std::uint32_t>(page, zp::kExtRamdiskImage), 0u);
  EXPECT_EQ(at<std::uint32_t>(page, zp::kExtCmdLinePtr), 0u);
}

TEST_F(ZeroPageTest, CarriesTheE820Map) {
  auto page = ZeroPageTest::page();
  auto map = e820_map(256 << 20);
  ASSERT_EQ(page[zp::kE820Entries], map.size());
  for (std::size_t i = 0; i < map.size(); ++i) {
    std::size_t entry = zp::kE820Table + i * zp::kE820EntrySize;
    EXPECT_EQ(at<std::uint64_t>(page, entry), map[i].address) << "e820 entry " << i << " address";
    EXPECT_EQ(at<std::uint64_t>(page, entry + 8), map[i].size) << "e820 entry " << i << " size";
    EXPECT_EQ(at<std::uint32_t>(page, entry + 16), static_cast<std::uint32_t>(map[i].type)) << "e820 entry " << i << " type";
  }
}

TEST_F(ZeroPageTest, CarriesTheAcpiRsdpAddressWhenTheMachineHasOne) {
  auto p = plan();
  p.acpi_rsdp_address = 0xe0000;
  auto page = build_zero_page(parse_bzimage(image.bytes).value(), p);
  EXPECT_EQ(at<std::uint64_t>(page, zp::kAcpiRsdpAddr), 0xe0000u) << "acpi_rsdp_addr, u64 at 0x070";
}

TEST_F(ZeroPageTest, AGuestWithoutInitramfsGetsZeroRamdiskFields) {
  auto kernel = parse_bzimage(image.bytes).value();
  auto p = plan_linux_boot(kernel, 256 << 20, 0, "").value();
  auto page = build_zero_page(kernel, p);
  EXPECT_EQ(at<std::uint32_t>(page, sh::kRamdiskImage), 0u);
  EXPECT_EQ(at<std::uint32_t>(page, sh::kRamdiskSize), 0u);
}

}  // namespace
}  // namespace deploylab::hv
