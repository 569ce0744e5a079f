// hypervisor/boot/aml_test.cpp: every AML encoder of aml.h against bytes assembled by hand from the
// ACPI spec: names, PkgLength at each size boundary, integers at each prefix boundary, strings,
// resource descriptors, and one whole virtio-mmio Device the way the DSDT holds it.
#include "hypervisor/boot/aml.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "common/error.h"

namespace deploylab::hv::aml {
namespace {

// Bytes from a list of numbers, and the ASCII bytes of a text, to write expectations compactly.
Bytes b(std::initializer_list<int> values) { return Bytes(values.begin(), values.end()); }
Bytes ascii(std::string_view text) { return Bytes(text.begin(), text.end()); }

// "86 09 00 01" for failure messages: what was expected and what came out, byte by byte.
std::string dump(const Bytes& bytes) {
  std::string out;
  for (auto byte : bytes) {
    char hex[4];
    std::snprintf(hex, sizeof hex, "%02x ", byte);
    out += hex;
  }
  return out;
}
#define EXPECT_BYTES(actual, expected) EXPECT_EQ(dump(actual), dump(expected))

TEST(AmlNames, NameSegIsFourCharactersPaddedWithUnderscores) {
  EXPECT_BYTES(name_seg("_HID"), b({0x5f, 0x48, 0x49, 0x44}));
  EXPECT_BYTES(name_seg("SB"), ascii("SB__"));
  EXPECT_BYTES(name_seg("VR07"), ascii("VR07"));
}

TEST(AmlNames, NameSegRejectsWhatAcpiDoesNotAllow) {
  EXPECT_THROW(name_seg(""), ErrorException) << "a NameSeg has at least one character";
  EXPECT_THROW(name_seg("ABCDE"), ErrorException) << "a NameSeg has at most 4 characters";
  EXPECT_THROW(name_seg("0ABC"), ErrorException) << "a NameSeg cannot start with a digit";
  EXPECT_THROW(name_seg("vr00"), ErrorException) << "lower case is not allowed in names";
}

TEST(AmlNames, PathsUseRootCharAndDualOrMultiNamePrefixes) {
  EXPECT_BYTES(name_string("\\_SB"), concat({{kRootChar}, ascii("_SB_")}));
  EXPECT_BYTES(name_string("_SB.VR00"), concat({{kDualNamePrefix}, ascii("_SB_VR00")}));
  EXPECT_BYTES(name_string("\\A.B.C"),
               concat({{kRootChar, kMultiNamePrefix, 3}, ascii("A___B___C___")}));
}

TEST(AmlPkgLength, OneByteUpTo63ThenTheLowNibbleAndCountInTheLeadByte) {
  EXPECT_BYTES(pkg_length(0), b({0x00}));
  EXPECT_BYTES(pkg_length(63), b({0x3f})) << "63 is the largest one-byte PkgLength";
  EXPECT_BYTES(pkg_length(64), b({0x40, 0x04})) << "64: one more byte (bits 7:6 = 01), "
                                                   "low nibble 0 in the lead byte, 64 >> 4 = 4";
  EXPECT_BYTES(pkg_length(4095), b({0x4f, 0xff})) << "4095 is the largest two-byte PkgLength";
  EXPECT_BYTES(pkg_length(4096), b({0x80, 0x00, 0x01})) << "4096 >> 4 = 0x100 needs two bytes";
  EXPECT_BYTES(pkg_length(0xfffff), b({0x8f, 0xff, 0xff}));
  EXPECT_BYTES(pkg_length(0x100000), b({0xc0, 0x00, 0x00, 0x01}));
  EXPECT_BYTES(pkg_length(kMaxPkgLength), b({0xcf, 0xff, 0xff, 0xff}));
  EXPECT_THROW(pkg_length(kMaxPkgLength + 1), ErrorException) << "28 bits is the limit";
}

// The PkgLength counts its own bytes, so the boundaries move by the size of the length itself.
TEST(AmlPkgLength, PackageLengthCountsItself) {
  const auto p62 = package(Bytes(62));
  EXPECT_BYTES(Bytes(p62.begin(), p62.begin() + 1), b({0x3f}))
      << "62 bytes + 1 length byte = 63: still one byte";
  EXPECT_EQ(p62.size(), 63u);
  const auto p63 = package(Bytes(63));
  EXPECT_BYTES(Bytes(p63.begin(), p63.begin() + 2), b({0x41, 0x04}))
      << "63 bytes + 1 = 64 does not fit one byte, so 2 length bytes: 65";
  EXPECT_EQ(p63.size(), 65u);
  const auto p4093 = package(Bytes(4093));
  EXPECT_BYTES(Bytes(p4093.begin(), p4093.begin() + 2), b({0x4f, 0xff}))
      << "4093 bytes + 2 = 4095: still two bytes";
  const auto p4094 = package(Bytes(4094));
  EXPECT_BYTES(Bytes(p4094.begin(), p4094.begin() + 3), b({0x81, 0x00, 0x01}))
      << "4094 bytes + 2 = 4096 does not fit two bytes, so 3 length bytes: 4097 = 0x1001";
  EXPECT_EQ(p4094.size(), 4097u);
}

TEST(AmlData, IntegersUseTheSmallestEncoding) {
  EXPECT_BYTES(integer(0), b({kZeroOp}));
  EXPECT_BYTES(integer(1), b({kOneOp}));
  EXPECT_BYTES(integer(2), b({kBytePrefix, 0x02}));
  EXPECT_BYTES(integer(0xff), b({kBytePrefix, 0xff}));
  EXPECT_BYTES(integer(0x100), b({kWordPrefix, 0x00, 0x01}));
  EXPECT_BYTES(integer(0xffff), b({kWordPrefix, 0xff, 0xff}));
  EXPECT_BYTES(integer(0x10000), b({kDWordPrefix, 0x00, 0x00, 0x01, 0x00}));
  EXPECT_BYTES(integer(0xffffffff), b({kDWordPrefix, 0xff, 0xff, 0xff, 0xff}));
  EXPECT_BYTES(integer(0x100000000), b({kQWordPrefix, 0, 0, 0, 0, 1, 0, 0, 0}));
}

TEST(AmlData, StringsAreAsciiEndedByNul) {
  EXPECT_BYTES(string("LNRO0005"), concat({{kStringPrefix}, ascii("LNRO0005"), {0}}));
  EXPECT_BYTES(string(""), b({kStringPrefix, 0}));
  EXPECT_THROW(string(std::string("a\0b", 3)), ErrorException) << "a NUL would end the string";
  EXPECT_THROW(string("\xc3\xa9"), ErrorException) << "AML strings are 7-bit ASCII";
}

TEST(AmlData, NameBindsAnObject) {
  EXPECT_BYTES(name("_UID", integer(0)), concat({{kNameOp}, ascii("_UID"), {kZeroOp}}));
  EXPECT_BYTES(buffer(b({0xaa, 0xbb})), b({kBufferOp, 0x05, kBytePrefix, 0x02, 0xaa, 0xbb}))
      << "Buffer: PkgLength 5 = itself (1) + the size (BytePrefix 2: 2 bytes) + 2 data bytes";
}

TEST(AmlResources, Memory32FixedIsTwelveBytes) {
  EXPECT_BYTES(memory32_fixed(Access::read_write, 0xd0001000, 0x1000),
               b({0x86, 0x09, 0x00, 0x01, 0x00, 0x10, 0x00, 0xd0, 0x00, 0x10, 0x00, 0x00}));
  EXPECT_EQ(memory32_fixed(Access::read_only, 0, 0).at(3), 0x00) << "bit 0 clear: read-only";
}

TEST(AmlResources, ExtendedInterruptFlagsAndGsis) {
  const std::uint32_t five[] = {5};
  EXPECT_BYTES(extended_interrupt(Trigger::level, Polarity::active_high, Sharing::exclusive, five),
               b({0x89, 0x06, 0x00, 0x01, 0x01, 0x05, 0x00, 0x00, 0x00}))
      << "flags 0x01: consumer, level, active high, exclusive; one GSI";
  const std::uint32_t two[] = {4, 0x109};
  EXPECT_BYTES(extended_interrupt(Trigger::edge, Polarity::active_low, Sharing::shared, two),
               b({0x89, 0x0a, 0x00, 0x0f, 0x02, 0x04, 0, 0, 0, 0x09, 0x01, 0, 0}))
      << "flags 0x0f: consumer | edge | active low | shared; length 2 + 4 * 2";
  EXPECT_THROW(extended_interrupt(Trigger::edge, Polarity::active_high, Sharing::exclusive, {}),
               ErrorException);
}

TEST(AmlResources, IoPortAndEndTag) {
  EXPECT_BYTES(io_port(0x3f8, 8), b({0x47, 0x01, 0xf8, 0x03, 0xf8, 0x03, 0x01, 0x08}));
  EXPECT_BYTES(end_tag(), b({0x79, 0x00})) << "checksum 0: the OS does not check it";
}

// The whole Device the DSDT gets for minivmm's disk, assembled by hand:
//   Device (VR00) { Name (_HID, "LNRO0005")  Name (_UID, 0)
//                   Name (_CRS, ResourceTemplate () { Memory32Fixed (ReadWrite, 0xd0001000, 0x1000)
//                     Interrupt (ResourceConsumer, Level, ActiveHigh, Exclusive) { 5 } }) }
TEST(AmlDevice, VirtioMmioDiskAsLinuxReadsIt) {
  const std::uint32_t gsi[] = {5};
  const Bytes crs = resource_template(
      {memory32_fixed(Access::read_write, 0xd0001000, 0x1000),
       extended_interrupt(Trigger::level, Polarity::active_high, Sharing::exclusive, gsi)});
  const Bytes body = concat({name("_HID", string("LNRO0005")), name("_UID", integer(0)),
                             name("_CRS", crs)});
  const Bytes expected = concat({
      b({0x5b, 0x82, 0x3a}), ascii("VR00"),  // Device, PkgLength 58 = 1 + 4 + 53
      b({0x08}), ascii("_HID"), b({0x0d}), ascii("LNRO0005"), b({0x00}),  // 15 bytes
      b({0x08}), ascii("_UID"), b({0x00}),                                 // 6 bytes
      b({0x08}), ascii("_CRS"), b({0x11, 0x1a, 0x0a, 0x17}),  // Buffer, PkgLength 26, size 23
      b({0x86, 0x09, 0x00, 0x01, 0x00, 0x10, 0x00, 0xd0, 0x00, 0x10, 0x00, 0x00}),
      b({0x89, 0x06, 0x00, 0x01, 0x01, 0x05, 0x00, 0x00, 0x00}),
      b({0x79, 0x00}),
  });
  const Bytes dev = device("VR00", body);
  EXPECT_BYTES(dev, expected);

  // Inside \_SB the scope's contents are 5 + 60 = 65 bytes: past 62, so a 2-byte PkgLength, 67.
  const Bytes sb = scope("\\_SB", dev);
  EXPECT_BYTES(Bytes(sb.begin(), sb.begin() + 8),
               concat({b({0x10, 0x43, 0x04, 0x5c}), ascii("_SB_")}));
  EXPECT_EQ(sb.size(), 1u + 67u);
}

}  // namespace
}  // namespace deploylab::hv::aml
