// hypervisor/boot/bzimage_fixture.h: test support: a small made-up bzImage whose setup header
// fields tests can change one at a time, so every check of bzimage.h and boot_params.h is tried
// without a real kernel. Only tests include it (the boot tests and lab 04's graded tests).
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "hypervisor/boot/bzimage.h"

namespace deploylab::hv::testing {

// The made-up kernel: 4 setup sectors after the boot sector, then `payload_size` bytes of
// "protected-mode code" (a recognisable pattern), protocol 2.15, 64-bit, relocatable.
struct FakeBzImage {
  std::vector<std::uint8_t> bytes;

  explicit FakeBzImage(std::size_t payload_size = 8192) {
    namespace sh = setup_header;
    bytes.assign(5 * 512 + payload_size, 0);
    for (std::size_t i = 0; i < payload_size; ++i) bytes[5 * 512 + i] = static_cast<std::uint8_t>(i * 7 + 1);
    set<std::uint8_t>(sh::kSetupSects, 4);
    set<std::uint32_t>(sh::kSysSize, static_cast<std::uint32_t>(payload_size / 16));
    set<std::uint16_t>(sh::kBootFlag, sh::kBootFlagMagic);
    set<std::uint8_t>(sh::kJump, 0xeb);
    set<std::uint8_t>(sh::kJump + 1, 0x6a);  // the header ends at 0x202 + 0x6a = 0x26c (protocol 2.15)
    set<std::uint32_t>(sh::kHeader, sh::kHdrSMagic);
    set<std::uint16_t>(sh::kVersion, 0x020f);
    set<std::uint16_t>(sh::kKernelVersion, 0x400);  // the string at 0x600, in the setup sectors
    std::memcpy(bytes.data() + 0x600, "6.1.0-fake (test) #1", 21);
    set<std::uint8_t>(sh::kLoadFlags, sh::kLoadedHigh);
    set<std::uint32_t>(sh::kInitrdAddrMax, 0x7fffffff);
    set<std::uint32_t>(sh::kKernelAlignment, 0x200000);
    set<std::uint8_t>(sh::kRelocatable, 1);
    set<std::uint16_t>(sh::kXLoadFlags, sh::kXlfKernel64);
    set<std::uint32_t>(sh::kCmdlineSize, 2047);
    set<std::uint64_t>(sh::kPrefAddress, 0x1000000);
    set<std::uint32_t>(sh::kInitSize, 0x2000000);  // 32 MiB
  }

  template <class T>
  void set(std::size_t offset, T value) {
    std::memcpy(bytes.data() + offset, &value, sizeof(T));
  }
  template <class T>
  T get(std::size_t offset) const {
    T value;
    std::memcpy(&value, bytes.data() + offset, sizeof(T));
    return value;
  }
};

}  // namespace deploylab::hv::testing
