// common/smaps.h: how much memory a VMM process holds for itself, apart from its guest's RAM,
// read from /proc/PID/smaps. `minivmm boot --timings` measures itself with it, and the boot
// benchmark (bench/boot/) measures minivmm, QEMU and libvirt's QEMU the same way.
//
// A VMM's resident set (RSS) mixes two things: the guest's RAM, which the guest touches as it
// boots (KVM faults those pages into the VMM's address space), and the VMM's own code, heap,
// threads and device state. Firecracker's "< 5 MiB of overhead" is about the second. smaps lists
// every mapping with its size and resident KiB:
//
//   7f1c40000000-7f1c50000000 rw-p 00000000 00:00 0          <- 256 MiB, no file: guest RAM
//   Size:             262144 kB
//   Rss:               38912 kB
//   ...
//
// Guest RAM is the anonymous (no file) mapping whose size is exactly the guest's RAM size: QEMU
// (qemu_ram_mmap) and minivmm map each RAM block on its own, with guard pages or other
// permissions around it, so the kernel never merges it with a neighbour. Small firmware blocks
// (QEMU's BIOS, option ROMs, ACPI tables) stay on the VMM's side of the line: they are what the
// VMM needs to boot a guest. Everything here is pure: text in, numbers out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deploylab {

// One mapping of /proc/PID/smaps.
struct SmapsMapping {
  std::uint64_t start = 0, end = 0;  // virtual addresses [start, end)
  std::string permissions;           // "rw-p"
  std::string path;                  // file, "[heap]", "[anon:name]", or empty (anonymous)
  std::uint64_t size_kib = 0;        // the "Size:" line
  std::uint64_t rss_kib = 0;         // the "Rss:" line: resident now
  std::uint64_t private_kib = 0;     // "Private_Clean:" + "Private_Dirty:": resident and used by no
                                     // other process (shared library pages other programs also
                                     // map count in Rss but not here)
  bool anonymous() const;            // backed by no file: empty path, [anon:...] or /memfd:...
};

// The mappings in smaps text, in order. Lines it does not know are skipped; a mapping without
// Size/Rss lines keeps 0 there.
std::vector<SmapsMapping> parse_smaps(std::string_view text);

// A VMM's resident memory, split into the guest's RAM and the rest.
struct MemorySplit {
  std::uint64_t total_rss_kib = 0;
  std::uint64_t guest_rss_kib = 0;  // resident pages of the guest RAM mapping: RAM the guest touched
  std::uint64_t vmm_rss_kib = 0;    // total minus guest: the VMM's own overhead
  std::uint64_t vmm_private_kib = 0;  // of that, the part no other process shares
  int guest_mappings_found = 0;     // anonymous mappings of exactly the guest RAM size
};

// Splits `mappings` at the guest RAM mapping: the anonymous mapping of exactly guest_ram_bytes
// (the most resident one, should there be several). std::nullopt when there is none: then the
// VMM lays guest RAM out in a way this rule does not recognise, and the caller says so.
std::optional<MemorySplit> split_guest_ram(const std::vector<SmapsMapping>& mappings,
                                           std::uint64_t guest_ram_bytes);

}  // namespace deploylab
