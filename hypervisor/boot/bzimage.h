// hypervisor/boot/bzimage.h: reading a Linux x86 kernel image (bzImage) the way a boot loader
// does, before anything is copied into the guest (lab 04).
//
// Part of boot/: this file only reads and checks the file; boot_params.h plans where everything
// goes in guest memory and fills in the "zero page", linux_loader.h writes it all into guest RAM.
// Pure code over a byte span, so it is unit-tested and fuzzed (bzimage_fuzz.cpp) without KVM.
//
// What a bzImage is. `make bzImage` glues together three things:
//
//   offset 0       a 512-byte "boot sector". Once it booted floppies; today it prints "use a boot
//                  loader" if run, and in EFI-capable kernels it doubles as the PE header
//   offset 0x1f1   the *setup header*: the boot protocol's fields (Documentation/arch/x86/boot.rst).
//                  Some the loader reads (what protocol, where the kernel may go, how big it gets),
//                  some it writes (where the command line and the initramfs are)
//   ...            the rest of the real-mode "setup" code: setup_sects sectors of 512 bytes,
//                  which a BIOS loader would run. We skip it, as every 64-bit loader does
//   (setup_sects + 1) * 512   the protected-mode kernel: a small decompressor followed by the
//                  compressed kernel. It goes to 1 MiB (or anywhere, if relocatable); its 64-bit
//                  entry point is 0x200 bytes into it
//
// The header is found by a magic: the 4 bytes "HdrS" at offset 0x202, and its version (2.12 is
// protocol 0x020c) says which fields exist. The byte at 0x201 is the length of a jump instruction
// that skips the header, so 0x202 + that byte is where the header ends: that is exactly the part
// a loader copies into the zero page (boot_params.h), and no more.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "common/result.h"

namespace deploylab::hv {

// Offsets of the setup header's fields in the file (and in the zero page, which has the same
// layout from 0x1f1 on). Only the fields minivmm uses are named.
namespace setup_header {
inline constexpr std::size_t kStart = 0x1f1;          // where the header starts
inline constexpr std::size_t kSetupSects = 0x1f1;     // u8: setup code size in 512-byte sectors (0 means 4)
inline constexpr std::size_t kSysSize = 0x1f4;        // u32: protected-mode code size in 16-byte units
inline constexpr std::size_t kBootFlag = 0x1fe;       // u16: 0xaa55, the old boot-sector signature
inline constexpr std::size_t kJump = 0x200;           // u8 0xeb (short jump), u8 its length
inline constexpr std::size_t kHeader = 0x202;         // u32: "HdrS"
inline constexpr std::size_t kVersion = 0x206;        // u16: protocol version, 0x020f = 2.15
inline constexpr std::size_t kKernelVersion = 0x20e;  // u16: offset - 0x200 of the version string
inline constexpr std::size_t kTypeOfLoader = 0x210;   // u8 (write): who loaded us; 0xff = unknown
inline constexpr std::size_t kLoadFlags = 0x211;      // u8: LOADED_HIGH, CAN_USE_HEAP, ...
inline constexpr std::size_t kRamdiskImage = 0x218;   // u32 (write): initramfs address
inline constexpr std::size_t kRamdiskSize = 0x21c;    // u32 (write): initramfs size
inline constexpr std::size_t kHeapEndPtr = 0x224;     // u16 (write): end of the setup heap
inline constexpr std::size_t kCmdLinePtr = 0x228;     // u32 (write): command line address
inline constexpr std::size_t kInitrdAddrMax = 0x22c;  // u32: highest address the initramfs may use
inline constexpr std::size_t kKernelAlignment = 0x230;  // u32: alignment a relocated kernel needs
inline constexpr std::size_t kRelocatable = 0x234;    // u8: 1 if the kernel may run anywhere
inline constexpr std::size_t kXLoadFlags = 0x236;     // u16: XLF_KERNEL_64, ... (protocol 2.12)
inline constexpr std::size_t kCmdlineSize = 0x238;    // u32: longest command line, without the NUL
inline constexpr std::size_t kPrefAddress = 0x258;    // u64: where the kernel prefers to run
inline constexpr std::size_t kInitSize = 0x260;       // u32: memory it needs there to decompress and start

inline constexpr std::uint32_t kHdrSMagic = 0x53726448;  // "HdrS" read as a little-endian u32
inline constexpr std::uint16_t kBootFlagMagic = 0xaa55;
inline constexpr std::uint8_t kLoadedHigh = 0x01;        // loadflags: protected-mode code goes to 1 MiB
inline constexpr std::uint8_t kCanUseHeap = 0x80;        // loadflags: heap_end_ptr is valid
inline constexpr std::uint16_t kXlfKernel64 = 0x0001;    // xloadflags: has the 64-bit entry at +0x200
inline constexpr std::uint16_t kMinimumVersion = 0x020c; // 2.12: the first with xloadflags
inline constexpr std::uint64_t kEntry64Offset = 0x200;   // the 64-bit entry, from the load address
}  // namespace setup_header

// What minivmm learned from a bzImage. The spans point into the file's bytes, which must outlive
// this object.
struct BzImage {
  std::uint16_t protocol = 0;         // e.g. 0x020f for 2.15
  unsigned setup_sectors = 0;         // the real value: 0 in the file means 4
  std::uint8_t loadflags = 0;
  std::uint16_t xloadflags = 0;
  std::uint32_t initrd_addr_max = 0;  // the initramfs's last byte must be at or below this
  std::uint32_t cmdline_size = 0;     // the longest command line the kernel takes (without NUL)
  std::uint32_t kernel_alignment = 0;
  bool relocatable = false;
  std::uint64_t pref_address = 0;     // where a relocatable kernel decompresses itself (16 MiB usually)
  std::uint32_t init_size = 0;        // bytes it needs from there, to decompress and start
  std::string version;                // "6.1.0-13-amd64 (debian-kernel@...) #1 SMP ...", or empty
  std::span<const std::uint8_t> setup_header;     // file bytes [0x1f1, 0x202 + file[0x201])
  std::span<const std::uint8_t> protected_mode;   // the code that goes to the load address

  std::string protocol_string() const;  // "2.15"
  // The guest RAM the kernel needs for itself: it decompresses at max(load address, pref_address)
  // and uses init_size bytes from there.
  std::uint64_t memory_needed(std::uint64_t load_address) const;
};

// Checks that `file` is a bzImage minivmm can boot through the 64-bit entry and reads its header.
// Every refusal names the field, the value found and what was needed: not a bzImage (no boot flag
// or no "HdrS"; an ELF vmlinux or a compressed file are recognised and named), a protocol older
// than 2.12, no 64-bit entry (XLF_KERNEL_64), a zImage (LOADED_HIGH clear), a setup header or
// protected-mode part that runs past the end of the file (truncated), init_size 0, a relocatable
// kernel whose pref_address is above 4 GiB.
Result<BzImage> parse_bzimage(std::span<const std::uint8_t> file);

}  // namespace deploylab::hv
