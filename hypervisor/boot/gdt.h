// hypervisor/boot/gdt.h: segment descriptors and the GDT minivmm writes for its guests (lab 03).
//
// Part of boot/, the CPU-mode setup: gdt.h (segments) and page_tables.h (paging) prepare guest
// memory, cpu_mode.h turns them into the registers KVM_SET_SREGS loads. All three are pure code
// over GuestMemory and <linux/kvm.h> structs: no /dev/kvm, so they are unit-tested anywhere.
//
// Segments in one page. In real mode a segment register holds a number and the CPU adds
// number * 16 to every address. In protected mode it holds a *selector*: an index into a table of
// 8-byte descriptors in memory, the Global Descriptor Table, whose address and size are in the
// GDTR register. Each descriptor says where the segment starts (base), how long it is (limit),
// what it may be used for (type: code or data, readable, writable), at which privilege level
// (DPL) and, for code, whether it is 16-, 32- or 64-bit code (the D and L bits).
//
// Why a GDT in long mode, where segmentation is "off"? In 64-bit mode the CPU ignores the base
// and limit of CS, DS, ES and SS (FS and GS keep a base, for thread-local storage), but it still
// takes everything else from a descriptor: CS.L says whether the code is 64-bit at all, CS.DPL is
// the privilege level the CPU runs at, and SS must hold a writable data segment. A far jump, an
// interrupt or an IRETQ reloads CS from the GDT, so the guest needs a table even though we never
// jump there ourselves. Hence the small standard GDT of hypervisor/guests/abi.h (DL_GDT_*).
//
// The hidden part. Reading a descriptor from memory on every access would be slow, so when a
// selector is loaded into a segment register the CPU copies the descriptor's fields into a part
// of the register that instructions cannot read: the "hidden" or "descriptor cache" part. From
// then on only the cached copy counts: changing the GDT in memory does nothing until the selector
// is loaded again. KVM_SET_SREGS sets a segment register without going through the GDT, so we
// hand KVM that hidden part directly (a kvm_segment: base, limit in bytes, type, flags) next to
// the visible selector. The two must agree with the GDT, or the guest's first far jump or
// interrupt reloads different values from memory.
#pragma once

#include <linux/kvm.h>

#include <array>
#include <cstdint>

#include "common/result.h"
#include "hypervisor/guests/abi.h"
#include "hypervisor/kvm/guest_memory.h"

namespace deploylab::hv {

// The 4-bit type field of a code or data descriptor (S = 1). Bit 3 says code (1) or data (0);
// bit 0 is "accessed", which the CPU sets in memory the first time it loads the descriptor.
inline constexpr std::uint8_t kSegmentAccessed = 0x1;
inline constexpr std::uint8_t kSegmentDataReadWrite = 0x2;   // data, read/write, expand-up
inline constexpr std::uint8_t kSegmentCodeExecuteRead = 0xa;  // code, execute/read, not conforming

// One segment descriptor, field by field, as Intel SDM vol. 3A section 3.4.5 names them.
// Flags are bools here because each is one bit of the descriptor.
struct SegmentSpec {
  std::uint32_t base = 0;       // linear address where the segment starts
  std::uint32_t limit = 0;      // 20 bits: last valid offset, in bytes or (granularity) 4 KiB units
  std::uint8_t type = 0;        // 4 bits: kSegment* above (system segments have other types)
  bool code_or_data = true;     // S: 1 = code or data segment, 0 = system (TSS, LDT, gate)
  std::uint8_t dpl = 0;         // 2 bits: Descriptor Privilege Level, 0 = kernel ... 3 = user
  bool present = true;          // P: 0 makes loading the selector fault (#NP)
  bool available = false;       // AVL: free for the OS; the CPU ignores it
  bool long_mode = false;       // L: 64-bit code (code segments only; needs D/B = 0)
  bool default_big = false;     // D/B: 32-bit code / 32-bit stack and 4 GiB limit checks
  bool granularity = false;     // G: limit counts 4 KiB units, so 0xfffff means 4 GiB
  bool operator==(const SegmentSpec&) const = default;
};

// The descriptor packed into the 8 bytes the CPU reads from the GDT. The fields are scattered for
// historic reasons (the 286 had 24-bit bases and 16-bit limits; the 386 put the extra bits in
// what used to be reserved space):
//
//   bits 63..56 base 31..24    bits 55..52 G D/B L AVL    bits 51..48 limit 19..16
//   bits 47..40 P DPL(2) S TYPE(4)                        bits 39..16 base 23..0
//   bits 15..0  limit 15..0
//
// Bits beyond a field's width (limit above 20 bits, type above 4, DPL above 2) are dropped.
std::uint64_t encode_descriptor(const SegmentSpec& spec);

// The hidden part of a segment register loaded with `selector` that points at `spec`, as
// KVM_SET_SREGS wants it: base, the limit in *bytes* (with G set, 0xfffff 4 KiB units become
// 0xffffffff), the selector and the flags. A not-present spec gives an "unusable" segment, which
// is what a CPU holds after loading a null selector.
kvm_segment to_kvm_segment(const SegmentSpec& spec, std::uint16_t selector);

// The GDT minivmm gives every guest, entry i at selector i * 8 (the order of abi.h's DL_GDT_*):
// null, 64-bit code, flat 4 GiB read/write data, 32-bit code. All ring 0 and flat (base 0).
std::array<SegmentSpec, DL_GDT_ENTRIES> standard_gdt();

// What goes into GDTR.limit: the offset of the table's last byte (size - 1, not the size).
inline constexpr std::uint16_t kStandardGdtLimit = DL_GDT_ENTRIES * 8 - 1;

// Writes the encoded standard_gdt() at guest-physical `address` (DL_GDT_ADDRESS in minivmm).
// Fails when the table does not lie in guest RAM.
Result<void> write_gdt(const GuestMemory& memory, std::uint64_t address);

}  // namespace deploylab::hv
