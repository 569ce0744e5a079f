// hypervisor/boot/gdt.cpp: packing segment descriptors, their hidden part for KVM, and minivmm's
// standard GDT (see gdt.h for what a descriptor and the hidden part are).
#include "hypervisor/boot/gdt.h"

#include <span>

#include "common/error.h"

namespace deploylab::hv {

namespace {

// A one-bit flag as a number to shift into place.
std::uint64_t bit(bool flag) { return flag ? 1 : 0; }

constexpr std::uint32_t kLimitMask = 0xfffff;  // the limit field is 20 bits wide

}  // namespace

std::uint64_t encode_descriptor(const SegmentSpec& spec) {
  // BEGIN SOLUTION lab 3: pack a segment descriptor into the GDT's 8-byte format
  const std::uint64_t base = spec.base;
  const std::uint64_t limit = spec.limit & kLimitMask;
  std::uint64_t descriptor = 0;
  descriptor |= limit & 0xffff;                       // bits 15..0:  limit 15..0
  descriptor |= (base & 0xff'ffff) << 16;             // bits 39..16: base 23..0
  descriptor |= std::uint64_t{spec.type & 0xfu} << 40;  // bits 43..40: type
  descriptor |= bit(spec.code_or_data) << 44;         // bit 44:      S
  descriptor |= std::uint64_t{spec.dpl & 0x3u} << 45;   // bits 46..45: DPL
  descriptor |= bit(spec.present) << 47;              // bit 47:      P
  descriptor |= (limit >> 16) << 48;                  // bits 51..48: limit 19..16
  descriptor |= bit(spec.available) << 52;            // bit 52:      AVL
  descriptor |= bit(spec.long_mode) << 53;            // bit 53:      L
  descriptor |= bit(spec.default_big) << 54;          // bit 54:      D/B
  descriptor |= bit(spec.granularity) << 55;          // bit 55:      G
  descriptor |= (base >> 24) << 56;                   // bits 63..56: base 31..24
  return descriptor;
  // END SOLUTION
}

kvm_segment to_kvm_segment(const SegmentSpec& spec, std::uint16_t selector) {
  // BEGIN SOLUTION lab 3: fill in the hidden part of a segment register for KVM
  kvm_segment segment{};
  segment.base = spec.base;
  // The hidden part holds the limit the CPU checks offsets against, in bytes: with G set the low
  // 12 bits of an offset are not checked, so 4 KiB units become (units << 12) | 0xfff.
  const std::uint32_t limit = spec.limit & kLimitMask;
  segment.limit = spec.granularity ? (limit << 12) | 0xfff : limit;
  segment.selector = selector;
  segment.type = spec.type & 0xf;
  segment.present = spec.present;
  segment.dpl = spec.dpl & 0x3;
  segment.db = spec.default_big;
  segment.s = spec.code_or_data;
  segment.l = spec.long_mode;
  segment.g = spec.granularity;
  segment.avl = spec.available;
  segment.unusable = !spec.present;
  return segment;
  // END SOLUTION
}

// The types carry the accessed bit already set (0xb for code, 0x3 for data), as Linux's and
// Firecracker's boot GDTs do. A CPU that loads a descriptor sets that bit itself, so this is the
// value the hidden part would hold anyway; with it preset the CPU never has to write to the GDT,
// and Intel's VM-entry checks (SDM vol. 3C, "Checks on Guest Segment Registers"), which insist
// that CS, SS and every usable data segment be marked accessed, pass without KVM patching the bit
// in for us.
std::array<SegmentSpec, DL_GDT_ENTRIES> standard_gdt() {
  std::array<SegmentSpec, DL_GDT_ENTRIES> gdt{};
  // BEGIN SOLUTION lab 3: describe the null, 64-bit code, flat data and 32-bit code segments
  // Entry 0 is never used: a null selector means "no segment", so the CPU never reads it.
  gdt[DL_GDT_NULL / 8] = SegmentSpec{.code_or_data = false, .present = false};
  // 64-bit code: L = 1 and D = 0 (L with D = 1 is reserved). Base and limit are ignored in 64-bit
  // mode but written flat, so the entry also reads sensibly in a debugger.
  gdt[DL_GDT_CODE64 / 8] = SegmentSpec{.base = 0,
                                       .limit = 0xfffff,
                                       .type = kSegmentCodeExecuteRead | kSegmentAccessed,
                                       .long_mode = true,
                                       .granularity = true};
  // Flat data for DS, ES, SS, FS, GS in every mode: 0xfffff pages of 4 KiB = all 4 GiB, and
  // B = 1 so the stack is 32-bit when the CPU runs 32-bit code.
  gdt[DL_GDT_DATA / 8] = SegmentSpec{.base = 0,
                                     .limit = 0xfffff,
                                     .type = kSegmentDataReadWrite | kSegmentAccessed,
                                     .default_big = true,
                                     .granularity = true};
  // 32-bit code for protected mode: D = 1 (32-bit operands and addresses), L = 0.
  gdt[DL_GDT_CODE32 / 8] = SegmentSpec{.base = 0,
                                       .limit = 0xfffff,
                                       .type = kSegmentCodeExecuteRead | kSegmentAccessed,
                                       .default_big = true,
                                       .granularity = true};
  // END SOLUTION
  return gdt;
}

Result<void> write_gdt(const GuestMemory& memory, std::uint64_t address) {
  std::array<std::uint64_t, DL_GDT_ENTRIES> table{};
  const auto specs = standard_gdt();
  for (std::size_t i = 0; i < specs.size(); ++i) table[i] = encode_descriptor(specs[i]);
  // The host is x86 too, so the array's bytes are already in the guest's little-endian order.
  std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(table.data()),
                                      sizeof table);
  return memory.write(address, bytes).context("writing the GDT at " + hex(address));
}

}  // namespace deploylab::hv
