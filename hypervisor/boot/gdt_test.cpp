// hypervisor/boot/gdt_test.cpp: descriptors packed bit for bit as the Intel SDM lays them out,
// their hidden parts for KVM, and the standard GDT in guest memory. Graded: compiled into
// lab03_tests (labs/03-long-mode/).
#include "hypervisor/boot/gdt.h"

#include <gtest/gtest.h>

namespace deploylab::hv {
namespace {

// Descriptors are easiest to compare in hex: each pair of digits is one byte of the layout.
#define EXPECT_DESCRIPTOR(expected, seen) \
  EXPECT_EQ(expected, seen) << "expected descriptor " << hex(expected) << ", got " << hex(seen)

constexpr std::uint32_t kFlat4GiBInPages = 0xfffff;

SegmentSpec flat(std::uint8_t type) {
  return SegmentSpec{.limit = kFlat4GiBInPages, .type = type, .granularity = true};
}

TEST(Gdt, EncodesTheFlat64BitCodeDescriptor) {
  SegmentSpec code = flat(kSegmentCodeExecuteRead);
  code.long_mode = true;
  // 00 | a (G=1 D=0 L=1 AVL=0) f (limit 19..16) | 9a (P=1 DPL=0 S=1 type=a) | 000000 | ffff
  EXPECT_DESCRIPTOR(0x00af9a000000ffffull, encode_descriptor(code));
}

TEST(Gdt, EncodesFlatDataAnd32BitCodeDescriptors) {
  SegmentSpec data = flat(kSegmentDataReadWrite);
  data.default_big = true;
  EXPECT_DESCRIPTOR(0x00cf92000000ffffull, encode_descriptor(data));
  SegmentSpec code32 = flat(kSegmentCodeExecuteRead);
  code32.default_big = true;
  EXPECT_DESCRIPTOR(0x00cf9a000000ffffull, encode_descriptor(code32));
}

TEST(Gdt, ScattersBaseAndLimitAcrossTheDescriptor) {
  SegmentSpec spec{.base = 0x12345678,
                   .limit = 0xabcde,
                   .type = kSegmentDataReadWrite,
                   .dpl = 3,
                   .available = true,
                   .default_big = true};
  // base 31..24 = 12 | 5 (G=0 D=1 L=0 AVL=1) a (limit 19..16) | f2 (P=1 DPL=3 S=1 type=2)
  // | base 23..0 = 345678 | limit 15..0 = bcde
  EXPECT_DESCRIPTOR(0x125af2345678bcdeull, encode_descriptor(spec));
}

TEST(Gdt, NullDescriptorIsAllZero) {
  EXPECT_DESCRIPTOR(0ull, encode_descriptor(SegmentSpec{.code_or_data = false, .present = false}));
}

TEST(Gdt, DropsBitsBeyondEachFieldsWidth) {
  SegmentSpec wide{.limit = 0xfffffff, .type = 0xfa, .dpl = 0xfc};
  SegmentSpec narrow{.limit = 0xfffff, .type = 0xa, .dpl = 0};
  EXPECT_DESCRIPTOR(encode_descriptor(narrow), encode_descriptor(wide));
}

TEST(Gdt, StandardGdtFollowsTheAbiSelectors) {
  const auto gdt = standard_gdt();
  ASSERT_EQ(gdt.size(), std::size_t{DL_GDT_ENTRIES});
  // The textbook values above with the accessed bit (type bit 0) preset: 9a -> 9b, 92 -> 93.
  EXPECT_DESCRIPTOR(0ull, encode_descriptor(gdt[DL_GDT_NULL / 8]));
  EXPECT_DESCRIPTOR(0x00af9b000000ffffull, encode_descriptor(gdt[DL_GDT_CODE64 / 8]));
  EXPECT_DESCRIPTOR(0x00cf93000000ffffull, encode_descriptor(gdt[DL_GDT_DATA / 8]));
  EXPECT_DESCRIPTOR(0x00cf9b000000ffffull, encode_descriptor(gdt[DL_GDT_CODE32 / 8]));
  EXPECT_EQ(kStandardGdtLimit, 31) << "GDTR.limit is the offset of the last byte: 4 * 8 - 1";
}

TEST(Gdt, HiddenPartOf64BitCodeHasTheLimitInBytes) {
  const kvm_segment cs = to_kvm_segment(standard_gdt()[DL_GDT_CODE64 / 8], DL_GDT_CODE64);
  EXPECT_EQ(cs.selector, DL_GDT_CODE64);
  EXPECT_EQ(cs.base, 0u);
  EXPECT_EQ(cs.limit, 0xffffffffu) << "with G = 1 the limit 0xfffff counts 4 KiB pages: got "
                                   << hex(cs.limit);
  EXPECT_EQ(cs.type, 0xb);
  EXPECT_EQ(cs.present, 1);
  EXPECT_EQ(cs.s, 1);
  EXPECT_EQ(cs.dpl, 0);
  EXPECT_EQ(cs.l, 1) << "64-bit code needs L = 1";
  EXPECT_EQ(cs.db, 0) << "L = 1 with D = 1 is reserved";
  EXPECT_EQ(cs.g, 1);
  EXPECT_EQ(cs.avl, 0);
  EXPECT_EQ(cs.unusable, 0);
}

TEST(Gdt, HiddenPartCopiesEveryField) {
  SegmentSpec spec{.base = 0x12345678,
                   .limit = 0xabcde,
                   .type = kSegmentDataReadWrite,
                   .dpl = 3,
                   .available = true,
                   .default_big = true};
  const kvm_segment seg = to_kvm_segment(spec, 0x2b);
  EXPECT_EQ(seg.base, 0x12345678u);
  EXPECT_EQ(seg.limit, 0xabcdeu) << "with G = 0 the limit is already in bytes: got "
                                 << hex(seg.limit);
  EXPECT_EQ(seg.selector, 0x2b);
  EXPECT_EQ(seg.type, 0x2);
  EXPECT_EQ(seg.dpl, 3);
  EXPECT_EQ(seg.db, 1);
  EXPECT_EQ(seg.avl, 1);
  EXPECT_EQ(seg.g, 0);
  EXPECT_EQ(seg.l, 0);
}

TEST(Gdt, HiddenPartOfAPageGranularLimitCoversTheLastPage) {
  SegmentSpec spec = flat(kSegmentDataReadWrite);
  spec.limit = 0x1;  // two 4 KiB pages: offsets 0 .. 0x1fff
  EXPECT_EQ(to_kvm_segment(spec, DL_GDT_DATA).limit, 0x1fffu);
}

TEST(Gdt, HiddenPartOfANotPresentSegmentIsUnusable) {
  const kvm_segment null = to_kvm_segment(standard_gdt()[DL_GDT_NULL / 8], DL_GDT_NULL);
  EXPECT_EQ(null.present, 0);
  EXPECT_EQ(null.unusable, 1) << "a null selector leaves the register unusable";
}

TEST(Gdt, WriteGdtPutsTheEncodedTableInGuestMemory) {
  GuestMemory memory;
  memory.add_region(0, 0x10000).value();
  write_gdt(memory, DL_GDT_ADDRESS).value();
  const auto gdt = standard_gdt();
  for (std::uint64_t i = 0; i < gdt.size(); ++i) {
    const auto seen = memory.read_value<std::uint64_t>(DL_GDT_ADDRESS + i * 8).value();
    EXPECT_DESCRIPTOR(encode_descriptor(gdt[i]), seen) << " (entry " << i << ")";
  }
  EXPECT_EQ(memory.read_value<std::uint64_t>(DL_GDT_ADDRESS + gdt.size() * 8).value(), 0u)
      << "write_gdt wrote past the table";
}

TEST(Gdt, WriteGdtOutsideGuestRamFails) {
  GuestMemory memory;
  memory.add_region(0x100000, 0x10000).value();
  auto written = write_gdt(memory, DL_GDT_ADDRESS);
  ASSERT_FALSE(written.ok()) << "expected an error: there is no RAM at " << hex(DL_GDT_ADDRESS);
  const std::string message = written.error().message();
  EXPECT_NE(message.find("writing the GDT at 0x1000"), std::string::npos) << message;
  EXPECT_NE(message.find("not guest RAM"), std::string::npos) << message;
}

}  // namespace
}  // namespace deploylab::hv
