// hypervisor/boot/bzimage_test.cpp: parse_bzimage()'s checks of the setup header (lab 04, graded:
// labs/04-boot-linux compiles this file into lab04_tests). Each test changes one field of a
// made-up bzImage (bzimage_fixture.h); the last one reads the Debian kernel `make deps` unpacked.
#include "hypervisor/boot/bzimage.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "common/build_tree.h"
#include "common/file_io.h"
#include "hypervisor/boot/bzimage_fixture.h"

namespace deploylab::hv {
namespace {

namespace sh = setup_header;
using testing::FakeBzImage;

// The error message of a parse that must fail, or a test failure saying it parsed.
std::string refusal(const FakeBzImage& image) {
  auto parsed = parse_bzimage(image.bytes);
  if (parsed.ok()) return "(parse_bzimage accepted the image)";
  return parsed.error().message();
}

TEST(BzImage, ReadsTheSetupHeaderFields) {
  FakeBzImage image;
  auto parsed = parse_bzimage(image.bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  const BzImage& kernel = parsed.value();
  EXPECT_EQ(kernel.protocol, 0x020f);
  EXPECT_EQ(kernel.protocol_string(), "2.15");
  EXPECT_EQ(kernel.setup_sectors, 4u);
  EXPECT_EQ(kernel.cmdline_size, 2047u);
  EXPECT_EQ(kernel.initrd_addr_max, 0x7fffffffu);
  EXPECT_TRUE(kernel.relocatable);
  EXPECT_EQ(kernel.pref_address, 0x1000000u);
  EXPECT_EQ(kernel.init_size, 0x2000000u);
  EXPECT_EQ(kernel.version, "6.1.0-fake (test) #1");
}

TEST(BzImage, TheSetupHeaderEndsWhereTheJumpAt0x200Lands) {
  FakeBzImage image;
  auto kernel = parse_bzimage(image.bytes).value();
  // From 0x1f1 to 0x202 + the jump's length byte (0x6a in the fixture): 0x26c - 0x1f1 bytes.
  EXPECT_EQ(kernel.setup_header.data(), image.bytes.data() + 0x1f1);
  EXPECT_EQ(kernel.setup_header.size(), 0x26cu - 0x1f1u);
}

TEST(BzImage, TheProtectedModeKernelStartsAfterTheSetupSectors) {
  FakeBzImage image(4096);
  auto kernel = parse_bzimage(image.bytes).value();
  // 1 boot sector + 4 setup sectors = 5 * 512 bytes before the protected-mode code.
  EXPECT_EQ(kernel.protected_mode.data(), image.bytes.data() + 5 * 512);
  EXPECT_EQ(kernel.protected_mode.size(), 4096u);
}

TEST(BzImage, SetupSectsZeroMeansFour) {
  FakeBzImage image;
  image.set<std::uint8_t>(sh::kSetupSects, 0);
  auto parsed = parse_bzimage(image.bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_EQ(parsed.value().setup_sectors, 4u) << "a 0 in setup_sects means 4 sectors (the boot protocol says so)";
}

TEST(BzImage, RefusesAFileWithoutTheBootFlag) {
  FakeBzImage image;
  image.set<std::uint16_t>(sh::kBootFlag, 0);
  EXPECT_NE(refusal(image).find("0xaa55"), std::string::npos) << refusal(image);
}

TEST(BzImage, RefusesAFileWithoutTheHdrSMagic) {
  FakeBzImage image;
  image.set<std::uint32_t>(sh::kHeader, 0x12345678);
  EXPECT_NE(refusal(image).find("HdrS"), std::string::npos) << refusal(image);
}

TEST(BzImage, RefusesAProtocolOlderThan2_12) {
  FakeBzImage image;
  image.set<std::uint16_t>(sh::kVersion, 0x020b);
  std::string message = refusal(image);
  EXPECT_NE(message.find("2.11"), std::string::npos) << "name the version found: " << message;
  EXPECT_NE(message.find("2.12"), std::string::npos) << "name the version needed: " << message;
}

TEST(BzImage, AcceptsProtocol2_12Exactly) {
  FakeBzImage image;
  image.set<std::uint16_t>(sh::kVersion, 0x020c);
  auto parsed = parse_bzimage(image.bytes);
  EXPECT_TRUE(parsed.ok()) << parsed.error().message();
}

TEST(BzImage, RefusesAKernelWithoutA64BitEntry) {
  FakeBzImage image;
  image.set<std::uint16_t>(sh::kXLoadFlags, 0x0002);  // only "can be loaded above 4 GiB"
  EXPECT_NE(refusal(image).find("XLF_KERNEL_64"), std::string::npos) << refusal(image);
}

TEST(BzImage, RefusesAZImage) {
  FakeBzImage image;
  image.set<std::uint8_t>(sh::kLoadFlags, 0);
  EXPECT_NE(refusal(image).find("LOADED_HIGH"), std::string::npos) << refusal(image);
}

TEST(BzImage, RefusesATruncatedKernelAndSaysHowMuchIsMissing) {
  FakeBzImage image(8192);
  image.bytes.resize(image.bytes.size() - 1000);
  std::string message = refusal(image);
  EXPECT_NE(message.find("truncated"), std::string::npos) << message;
  EXPECT_NE(message.find(std::to_string(image.bytes.size())), std::string::npos) << "name the file's size: " << message;
}

TEST(BzImage, RefusesAHeaderThatRunsIntoTheKernel) {
  FakeBzImage image;
  image.set<std::uint8_t>(sh::kSetupSects, 1);       // the code would start at 0x400 ...
  image.set<std::uint8_t>(sh::kJump + 1, 0xff);      // ... but the header claims to end at 0x301: fine
  EXPECT_TRUE(parse_bzimage(image.bytes).ok());
  image.set<std::uint8_t>(sh::kJump + 1, 0x10);      // ends at 0x212, before the fields we read
  EXPECT_NE(refusal(image).find("setup header ends"), std::string::npos) << refusal(image);
}

TEST(BzImage, RefusesInitSizeZero) {
  FakeBzImage image;
  image.set<std::uint32_t>(sh::kInitSize, 0);
  EXPECT_NE(refusal(image).find("init_size"), std::string::npos) << refusal(image);
}

TEST(BzImage, RefusesAPreferredAddressAbove4GiB) {
  // The fuzzer's find: pref_address + init_size wrapped around and slipped past the RAM check.
  FakeBzImage image;
  image.set<std::uint64_t>(sh::kPrefAddress, ~0ull);
  image.set<std::uint32_t>(sh::kInitSize, 0xffffffff);
  EXPECT_NE(refusal(image).find("pref_address"), std::string::npos) << refusal(image);
}

TEST(BzImage, MemoryNeededStartsAtThePreferredAddressOfARelocatableKernel) {
  auto kernel = parse_bzimage(FakeBzImage().bytes).value();
  EXPECT_EQ(kernel.memory_needed(0x100000), 0x1000000u + 0x2000000u);
  kernel.relocatable = false;
  EXPECT_EQ(kernel.memory_needed(0x100000), 0x100000u + 0x2000000u);
}

TEST(BzImage, ReadsTheDebianKernel) {
  const std::filesystem::path dir = default_assets_dir();  // BUILD/assets or $DEPLOYLAB_ASSETS
  auto file = read_file(dir / "kernel/vmlinuz");
  if (!file.ok()) GTEST_SKIP() << "no kernel in " << dir << " (make deps unpacks it): " << file.error().message();
  std::vector<std::uint8_t> bytes(file.value().begin(), file.value().end());
  auto parsed = parse_bzimage(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_GE(parsed.value().protocol, 0x020c);
  EXPECT_TRUE(parsed.value().xloadflags & sh::kXlfKernel64);
  auto expected = read_file(dir / "kernel/VERSION");
  if (expected.ok()) {
    std::string release = expected.value().substr(0, expected.value().find(' '));
    EXPECT_EQ(parsed.value().version.rfind(release, 0), 0u)
        << "the version string should start with " << release << ", it is " << parsed.value().version;
  }
}

}  // namespace
}  // namespace deploylab::hv
