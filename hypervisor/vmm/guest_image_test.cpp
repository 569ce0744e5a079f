// hypervisor/vmm/guest_image_test.cpp: reading a flat guest image from disk and placing it in
// guest RAM: a missing or empty file and an image that does not fit are errors that say so (with
// both sizes), and an image that fits to the last byte loads.
#include "hypervisor/vmm/guest_image.h"

#include <gtest/gtest.h>

#include <fstream>

#include "common/temp_dir.h"

namespace deploylab::hv {
namespace {

constexpr std::uint64_t kLoad = 0x8000;
constexpr std::uint64_t kRamEnd = 0xa0000;  // like the PC's low RAM: [0, 640 KiB)

#define EXPECT_MENTIONS(text, part) \
  EXPECT_NE((text).find(part), std::string::npos) << "expected \"" << (part) << "\" in:\n  " << (text)

GuestMemory low_ram() {
  GuestMemory memory;
  memory.add_region(0, kRamEnd).value();
  return memory;
}

std::filesystem::path write_file(const TempDir& dir, const std::string& name, const std::string& bytes) {
  std::filesystem::path path = dir / name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

TEST(ReadGuestImage, ReadsTheBytesAsTheyAre) {
  TempDir dir = TempDir::create("guest-image-test-").value();
  std::string bytes("\xfa\xf4\x00\x01", 4);  // cli; hlt; and a NUL in the middle: binary, not text
  auto image = read_guest_image(write_file(dir, "tiny.bin", bytes).string()).value();
  EXPECT_EQ(image, (std::vector<std::uint8_t>{0xfa, 0xf4, 0x00, 0x01}));
}

TEST(ReadGuestImage, EmptyFileIsAnErrorThatNamesIt) {
  TempDir dir = TempDir::create("guest-image-test-").value();
  std::string path = write_file(dir, "empty.bin", "").string();
  auto image = read_guest_image(path);
  ASSERT_FALSE(image.ok()) << "an empty image has no instruction to run and must be refused";
  std::string message = image.error().message();
  EXPECT_MENTIONS(message, "empty guest image");
  EXPECT_MENTIONS(message, path);
  EXPECT_MENTIONS(message, "was it built?");
}

TEST(ReadGuestImage, MissingFileIsAnErrorWithTheOsReason) {
  auto image = read_guest_image("/nonexistent/guest.bin");
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.error().code, ENOENT);
  std::string message = image.error().message();
  EXPECT_MENTIONS(message, "reading the guest image");
  EXPECT_MENTIONS(message, "/nonexistent/guest.bin");
  EXPECT_MENTIONS(message, "ENOENT");
}

TEST(LoadFlatImage, CopiesTheImageToTheLoadAddress) {
  GuestMemory memory = low_ram();
  std::vector<std::uint8_t> image{0xb0, 0x41, 0xe6, 0xe9, 0xf4};
  load_flat_image(memory, kLoad, image).value();
  EXPECT_EQ(memory.read(kLoad, image.size()).value(), image);
  EXPECT_EQ(memory.read_value<std::uint8_t>(kLoad - 1).value(), 0) << "nothing before the load address changes";
  EXPECT_EQ(memory.read_value<std::uint8_t>(kLoad + image.size()).value(), 0) << "nothing after the image changes";
}

TEST(LoadFlatImage, ImageThatExactlyFillsTheRestOfRamLoads) {
  GuestMemory memory = low_ram();
  std::vector<std::uint8_t> image(kRamEnd - kLoad, 0x90);
  image.back() = 0xf4;
  ASSERT_TRUE(load_flat_image(memory, kLoad, image).ok()) << "an image ending on the last byte of RAM fits";
  EXPECT_EQ(memory.read_value<std::uint8_t>(kRamEnd - 1).value(), 0xf4);
}

TEST(LoadFlatImage, ImageOneByteTooBigGivesBothSizesAndAdvice) {
  GuestMemory memory = low_ram();
  std::vector<std::uint8_t> image(kRamEnd - kLoad + 1, 0x90);
  auto loaded = load_flat_image(memory, kLoad, image);
  ASSERT_FALSE(loaded.ok());
  std::string message = loaded.error().message();
  EXPECT_MENTIONS(message, "the guest image is 622593 bytes but only 622592 bytes of RAM follow its load address 0x8000");
  EXPECT_MENTIONS(message, "--memory");
  EXPECT_EQ(memory.read_value<std::uint8_t>(kLoad).value(), 0) << "an image that does not fit must not be half-written";
}

TEST(LoadFlatImage, LoadAddressOutsideRamHasNoRoomAtAll) {
  GuestMemory memory = low_ram();
  std::vector<std::uint8_t> image(16, 0x90);
  auto loaded = load_flat_image(memory, 0x100000, image);
  ASSERT_FALSE(loaded.ok());
  EXPECT_MENTIONS(loaded.error().message(), "16 bytes but only 0 bytes of RAM follow its load address 0x100000");
}

TEST(LoadFlatImage, EmptyImageIsRefused) {
  GuestMemory memory = low_ram();
  auto loaded = load_flat_image(memory, kLoad, std::vector<std::uint8_t>{});
  ASSERT_FALSE(loaded.ok());
  EXPECT_MENTIONS(loaded.error().message(), "empty");
}

}  // namespace
}  // namespace deploylab::hv
