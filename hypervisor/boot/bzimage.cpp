// hypervisor/boot/bzimage.cpp: reading and checking a bzImage's setup header (see bzimage.h).
#include "hypervisor/boot/bzimage.h"

#include <cstring>

#include "common/error.h"
#include "hypervisor/kvm/guest_memory.h"  // hex()

namespace deploylab::hv {

namespace sh = setup_header;

namespace {

constexpr const char* kObject = "kernel image";
constexpr const char* kWhatToGive =
    "give a bzImage: arch/x86/boot/bzImage from a kernel build, or /boot/vmlinuz-* (make deps "
    "puts Debian's in build/assets/kernel/vmlinuz)";

// Little-endian reads at offsets the caller has checked are inside the file.
template <class T>
T read_le(std::span<const std::uint8_t> bytes, std::size_t offset) {
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof(T));
  return value;
}

// A file that is clearly something else gets a message saying what it is.
Result<void> refuse_other_formats(std::span<const std::uint8_t> file) {
  auto starts_with = [&](std::initializer_list<std::uint8_t> magic) {
    return file.size() >= magic.size() && std::equal(magic.begin(), magic.end(), file.begin());
  };
  if (starts_with({0x7f, 'E', 'L', 'F'})) {
    return Error::invalid("this is an ELF file (a vmlinux?), not a bzImage", kObject, kWhatToGive);
  }
  if (starts_with({0x1f, 0x8b})) {
    return Error::invalid("this is a gzip-compressed file, not a bzImage", kObject,
                          "decompress it first, or give the bzImage itself");
  }
  return {};
}

// The version string: kernel_version is its offset minus 0x200 (counted from the setup code, which
// starts at 0x200). Optional: an empty string when it is missing or not terminated.
std::string read_version(std::span<const std::uint8_t> file, std::size_t setup_end) {
  std::size_t offset = read_le<std::uint16_t>(file, sh::kKernelVersion);
  if (offset == 0) return {};
  offset += 0x200;
  std::string version;
  for (std::size_t i = offset; i < setup_end && i < offset + 256; ++i) {
    if (file[i] == 0) return version;
    version.push_back(static_cast<char>(file[i]));
  }
  return {};
}

}  // namespace

std::string BzImage::protocol_string() const {
  return std::to_string(protocol >> 8) + "." + std::to_string(protocol & 0xff);
}

std::uint64_t BzImage::memory_needed(std::uint64_t load_address) const {
  std::uint64_t start = relocatable && pref_address > load_address ? pref_address : load_address;
  return start + init_size;
}

Result<BzImage> parse_bzimage(std::span<const std::uint8_t> file) {
  DL_TRY(refuse_other_formats(file));
  // The fixed part of the header (to the end of init_size) must be in the file to be read at all.
  constexpr std::size_t kFixedEnd = sh::kInitSize + 4;
  if (file.size() < kFixedEnd) {
    return Error::invalid("the file is " + std::to_string(file.size()) + " bytes, too small for a bzImage (its setup "
                          "header alone ends at " + hex(kFixedEnd) + ")", kObject, kWhatToGive);
  }
  BzImage image;
  // BEGIN SOLUTION lab 4: check the magic numbers, the protocol version and the 64-bit entry
  if (read_le<std::uint16_t>(file, sh::kBootFlag) != sh::kBootFlagMagic) {
    return Error::invalid("no boot flag 0xaa55 at offset 0x1fe: not a bzImage", kObject, kWhatToGive);
  }
  if (read_le<std::uint32_t>(file, sh::kHeader) != sh::kHdrSMagic) {
    return Error::invalid("no \"HdrS\" magic at offset 0x202: not a bzImage, or a kernel older than 2.6 "
                          "(boot protocol 2.00)", kObject, kWhatToGive);
  }
  image.protocol = read_le<std::uint16_t>(file, sh::kVersion);
  if (image.protocol < sh::kMinimumVersion) {
    return Error::invalid("boot protocol " + image.protocol_string() + " is older than 2.12, the first with "
                          "xloadflags and so with a known 64-bit entry", kObject,
                          "boot a kernel from Linux 3.8 or newer");
  }
  image.loadflags = read_le<std::uint8_t>(file, sh::kLoadFlags);
  if ((image.loadflags & sh::kLoadedHigh) == 0) {
    return Error::invalid("loadflags.LOADED_HIGH is clear: this is a zImage, which loads below 1 MiB", kObject,
                          "build a bzImage (make bzImage)");
  }
  image.xloadflags = read_le<std::uint16_t>(file, sh::kXLoadFlags);
  if ((image.xloadflags & sh::kXlfKernel64) == 0) {
    return Error::invalid("xloadflags.XLF_KERNEL_64 is clear: this kernel has no 64-bit entry point (a 32-bit "
                          "kernel?)", kObject, "boot an x86_64 kernel");
  }
  // END SOLUTION
  std::uint8_t sectors = read_le<std::uint8_t>(file, sh::kSetupSects);
  image.setup_sectors = sectors == 0 ? 4 : sectors;
  const std::size_t payload_offset = (image.setup_sectors + 1) * std::size_t{512};
  const std::size_t header_end = sh::kHeader + read_le<std::uint8_t>(file, sh::kJump + 1);
  if (header_end < kFixedEnd || header_end > payload_offset) {
    return Error::invalid("the setup header ends at " + hex(header_end) + " (0x202 + the byte at 0x201), outside [" +
                          hex(kFixedEnd) + ", " + hex(payload_offset) + "]: a damaged header", kObject, kWhatToGive);
  }
  const std::uint64_t syssize = std::uint64_t{read_le<std::uint32_t>(file, sh::kSysSize)} * 16;
  if (file.size() <= payload_offset || file.size() - payload_offset < syssize) {
    return Error::invalid("truncated: the header says " + std::to_string(image.setup_sectors) + " setup sectors and " +
                          std::to_string(syssize) + " bytes of kernel after them (" +
                          std::to_string(payload_offset + syssize) + " in all), the file has " +
                          std::to_string(file.size()), kObject, "copy the kernel image again");
  }
  image.initrd_addr_max = read_le<std::uint32_t>(file, sh::kInitrdAddrMax);
  image.cmdline_size = read_le<std::uint32_t>(file, sh::kCmdlineSize);
  image.kernel_alignment = read_le<std::uint32_t>(file, sh::kKernelAlignment);
  image.relocatable = read_le<std::uint8_t>(file, sh::kRelocatable) != 0;
  image.pref_address = read_le<std::uint64_t>(file, sh::kPrefAddress);
  image.init_size = read_le<std::uint32_t>(file, sh::kInitSize);
  // A kernel that wants to run above 4 GiB cannot run in a minivmm guest, and a huge value would
  // make memory_needed() wrap around (the fuzzer found that).
  if (image.relocatable && image.pref_address >= (1ull << 32)) {
    return Error::invalid("pref_address " + hex(image.pref_address) + " is above 4 GiB: a damaged header, or a "
                          "kernel built to run where minivmm has no RAM", kObject, kWhatToGive);
  }
  if (image.init_size == 0) {
    return Error::invalid("init_size is 0: the header does not say how much memory the kernel needs", kObject,
                          kWhatToGive);
  }
  image.version = read_version(file, payload_offset);
  image.setup_header = file.subspan(sh::kStart, header_end - sh::kStart);
  image.protected_mode = file.subspan(payload_offset);
  return image;
}

}  // namespace deploylab::hv
