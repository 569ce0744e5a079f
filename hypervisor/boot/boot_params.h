// hypervisor/boot/boot_params.h: where a Linux guest's pieces go in its memory, and the "zero
// page" (struct boot_params) that tells the kernel about them (lab 04).
//
// Part of boot/: bzimage.h read the kernel's setup header; this file decides (plan_linux_boot)
// and describes (build_zero_page, e820_map); linux_loader.h writes the result into guest RAM.
// All pure, so every decision and every byte is unit-tested without KVM.
//
// The zero page is how a boot loader talks to the kernel: one 4 KiB page, address in RSI at the
// 64-bit entry. It starts zeroed (hence the name), then the loader
//   1. copies in the kernel's own setup header, the bytes from 0x1f1 to the header's end, and
//      nothing else. Older loaders copied the whole first sector, but since the kernel learned
//      to be an EFI program that sector holds a PE header, whose bytes land in boot_params fields
//      the kernel then believes (e.g. a "sentinel" at 0x1ef makes it wipe fields it should keep);
//   2. fills in what only the loader knows: who it is (type_of_loader), where the command line
//      and the initramfs are, and how much RAM there is where (the e820 map, named after the BIOS
//      call int 0x15/eax=0xe820 that gave it on a PC).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "hypervisor/boot/bzimage.h"

namespace deploylab::hv {

// Offsets in the zero page outside the setup header (which keeps its file offsets, bzimage.h).
namespace zero_page {
inline constexpr std::size_t kSize = 4096;
inline constexpr std::size_t kAcpiRsdpAddr = 0x070;     // u64: where the ACPI RSDP is (protocol 2.14)
inline constexpr std::size_t kExtRamdiskImage = 0x0c0;  // u32: bits 63..32 of ramdisk_image
inline constexpr std::size_t kExtRamdiskSize = 0x0c4;   // u32: bits 63..32 of ramdisk_size
inline constexpr std::size_t kExtCmdLinePtr = 0x0c8;    // u32: bits 63..32 of cmd_line_ptr
inline constexpr std::size_t kE820Entries = 0x1e8;      // u8: how many e820 entries follow
inline constexpr std::size_t kE820Table = 0x2d0;        // 128 entries of 20 bytes
inline constexpr std::size_t kE820MaxEntries = 128;
inline constexpr std::size_t kE820EntrySize = 20;       // u64 address, u64 size, u32 type (packed)
inline constexpr std::uint8_t kLoaderUnknown = 0xff;    // type_of_loader for loaders without an ID
inline constexpr std::uint16_t kHeapEnd = 0xfe00;       // heap_end_ptr: the setup heap's end (64 KiB - 512)
}  // namespace zero_page

// One e820 range. The types the kernel knows include 1 (usable RAM) and 2 (reserved: never touch).
struct E820Entry {
  enum class Type : std::uint32_t { ram = 1, reserved = 2 };
  std::uint64_t address = 0;
  std::uint64_t size = 0;
  Type type = Type::ram;
  bool operator==(const E820Entry&) const = default;
};

// The guest's physical memory as minivmm presents it, RAM in [0, ram_size): usable low memory,
// the reserved legacy area from the MP table to 1 MiB, and usable RAM above (linux_layout.h).
std::vector<E820Entry> e820_map(std::uint64_t ram_size);

// Where everything goes, decided before anything is written.
struct LinuxBootPlan {
  std::uint64_t ram_size = 0;
  std::uint64_t kernel_address = 0;   // the protected-mode code (linux_layout::kKernelLoad)
  std::uint64_t kernel_size = 0;
  std::uint64_t kernel_needs_end = 0; // the kernel's own memory ends here (BzImage::memory_needed)
  std::uint64_t initrd_address = 0;   // 0 when there is no initramfs
  std::uint64_t initrd_size = 0;
  std::uint64_t cmdline_address = 0;
  std::string cmdline;
  std::uint64_t zero_page_address = 0;
  std::uint64_t entry = 0;            // the 64-bit entry point: kernel_address + 0x200
  std::uint64_t acpi_rsdp_address = 0;  // the machine's ACPI tables (0: none; the kernel then scans)
};

// How much RAM the kernel should have to run, beyond where the kernel and initramfs end: room to
// unpack the initramfs into and to start init. A guest with less stops with "Out of memory".
inline constexpr std::uint64_t kRamHeadroom = 32ull << 20;

// Checks that the pieces fit and decides where they go. Refuses, naming the field and the limit:
// a command line longer than the kernel's cmdline_size; RAM beyond linux_layout::kMaxRam; RAM too
// small for the kernel (memory_needed + kRamHeadroom); an initramfs that does not fit between the
// kernel's memory and the top of RAM, or below initrd_addr_max. The initramfs goes as high as
// allowed, page-aligned, as boot loaders do, to keep it out of the kernel's way.
Result<LinuxBootPlan> plan_linux_boot(const BzImage& kernel, std::uint64_t ram_size, std::uint64_t initrd_size,
                                      std::string_view cmdline);

// The zero page for `plan`: the kernel's setup header copied in, then type_of_loader, loadflags
// (CAN_USE_HEAP added), heap_end_ptr, cmd_line_ptr, ramdisk_image/size, the e820 map and, when
// the machine has ACPI tables, acpi_rsdp_addr (so the kernel need not scan the BIOS area for them).
std::array<std::uint8_t, zero_page::kSize> build_zero_page(const BzImage& kernel, const LinuxBootPlan& plan);

}  // namespace deploylab::hv
