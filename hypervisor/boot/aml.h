// hypervisor/boot/aml.h: a tiny encoder for AML, the bytecode of ACPI's DSDT, and for the resource
// descriptors a device's _CRS returns (lab 04).
//
// Part of boot/: acpi_tables.h uses it to describe minivmm's virtio-mmio disk to Linux. Pure
// functions, bytes in and bytes out; the tests compare them with hand-assembled bytes.
//
// What AML is. Static ACPI tables (the MADT, the FADT) are C-like structs. Devices are described
// differently: the DSDT holds a program, written by firmware vendors in ASL (ACPI Source Language)
// and compiled to AML (ACPI Machine Language), a compact bytecode that the OS's ACPI interpreter
// (ACPICA in Linux) loads into a namespace, a tree of named objects. We need only the declarative
// corner of it, no methods, no control flow:
//
//   Scope (\_SB) {                          10 <PkgLength> 5C "_SB_" <devices>
//     Device (VR00) {                       5B 82 <PkgLength> "VR00" <objects>
//       Name (_HID, "LNRO0005")             08 "_HID" 0D "LNRO0005" 00
//       Name (_UID, 0)                      08 "_UID" 00
//       Name (_CRS, ResourceTemplate () {   08 "_CRS" 11 <PkgLength> <size> <descriptors>
//         ...                                         (see "Resource descriptors" below)
//       })
//     }
//   }
//
// Names. Every name is a NameSeg of exactly 4 characters (A-Z, 0-9 and '_', not starting with a
// digit); shorter names are padded with '_', so "_SB" is stored as "_SB_". A path starts with '\'
// (the root) or not (relative to the enclosing scope); two segments are prefixed by 0x2E, more by
// 0x2F and a count.
//
// PkgLength. Scope, Device and Buffer say how many bytes they span, counting the PkgLength bytes
// themselves and everything after them (not the opcode before). It takes 1 to 4 bytes:
//   - value <= 63: one byte holding the value (bits 7:6 are 00);
//   - otherwise: the first byte's bits 7:6 say how many bytes follow (1-3), its bits 3:0 hold
//     the value's low 4 bits, and each following byte holds the next 8 bits. So 2 bytes reach
//     4095, 3 bytes 2^20 - 1 and 4 bytes 2^28 - 1.
// Because the length counts itself, a package whose contents are 63 bytes long needs 2 length
// bytes (63 + 1 = 64 does not fit in one), and its PkgLength is 65.
//
// Integers use the shortest form: 0 and 1 have their own opcodes (ZeroOp 00, OneOp 01), then
// BytePrefix 0A + 1 byte, WordPrefix 0B + 2, DWordPrefix 0C + 4, QWordPrefix 0E + 8, little-endian.
// A string is StringPrefix 0D, ASCII characters (1-0x7F) and a NUL.
//
// Resource descriptors. _CRS ("current resource settings") is a Buffer holding a list of
// descriptors in the format of the old ISA Plug and Play spec, ended by an End Tag. Small items
// have a one-byte header (bits 6:3 type, bits 2:0 length); large items have 0x80 | type, then a
// 16-bit length of what follows. We write:
//   I/O port, small type 8 (0x47, 8 bytes): decode-16 flag, minimum and maximum base (both the
//     port), alignment, number of ports; for the 16550 UART.
//   Memory32Fixed, large type 6 (0x86, 12 bytes): flags (bit 0: writable), base, length.
//   Extended Interrupt, large type 9 (0x89, 5 + 4n bytes): flags (bit 0: consumer, bit 1: edge,
//     bit 2: active low, bit 3: shared, bit 4: wake capable), a count n and n 32-bit GSIs.
//   End Tag, small type 0xF (0x79, 2 bytes): a checksum byte; 0 means "do not check".
// In ASL the virtio-mmio disk's template reads
//   Memory32Fixed (ReadWrite, 0xd0001000, 0x1000)
//   Interrupt (ResourceConsumer, Level, ActiveHigh, Exclusive) { 5 }
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>
#include <vector>

namespace deploylab::hv::aml {

using Bytes = std::vector<std::uint8_t>;

// Opcodes and prefixes (ACPI 6.x, chapter 20 "ACPI Machine Language Specification").
inline constexpr std::uint8_t kZeroOp = 0x00;
inline constexpr std::uint8_t kOneOp = 0x01;
inline constexpr std::uint8_t kNameOp = 0x08;
inline constexpr std::uint8_t kBytePrefix = 0x0a;
inline constexpr std::uint8_t kWordPrefix = 0x0b;
inline constexpr std::uint8_t kDWordPrefix = 0x0c;
inline constexpr std::uint8_t kStringPrefix = 0x0d;
inline constexpr std::uint8_t kQWordPrefix = 0x0e;
inline constexpr std::uint8_t kScopeOp = 0x10;
inline constexpr std::uint8_t kBufferOp = 0x11;
inline constexpr std::uint8_t kPackageOp = 0x12;
inline constexpr std::uint8_t kDualNamePrefix = 0x2e;
inline constexpr std::uint8_t kMultiNamePrefix = 0x2f;
inline constexpr std::uint8_t kExtOpPrefix = 0x5b;
inline constexpr std::uint8_t kDeviceOp = 0x82;  // after kExtOpPrefix
inline constexpr std::uint8_t kRootChar = 0x5c;  // '\'

// Resource descriptor headers.
inline constexpr std::uint8_t kIoPortDescriptor = 0x47;
inline constexpr std::uint8_t kMemory32FixedDescriptor = 0x86;
inline constexpr std::uint8_t kExtendedInterruptDescriptor = 0x89;
inline constexpr std::uint8_t kEndTag = 0x79;

// The largest value a PkgLength can hold (4 bytes: 4 + 8 + 8 + 8 bits).
inline constexpr std::uint32_t kMaxPkgLength = (1u << 28) - 1;

// Invalid input (a bad name, a string with a NUL, a length beyond kMaxPkgLength, no GSIs) is a bug
// in the caller, not in the guest's configuration: these functions throw ErrorException for it.

// Concatenation, so callers read like the ASL they encode.
void append(Bytes& to, const Bytes& bytes);
Bytes concat(std::initializer_list<Bytes> parts);

// "_HID" -> 5F 48 49 44; "SB" -> "SB__".
Bytes name_seg(std::string_view name);
// "\\_SB" -> 5C "_SB_"; "_SB.VR00" -> 2E "_SB_" "VR00"; "VR00" -> "VR00".
Bytes name_string(std::string_view path);
// The PkgLength encoding of `value` (which already counts the PkgLength bytes themselves).
Bytes pkg_length(std::uint32_t value);
// `contents` prefixed by the PkgLength that spans it: the body of Scope, Device and Buffer.
Bytes package(const Bytes& contents);

Bytes integer(std::uint64_t value);
Bytes string(std::string_view text);

// Name (name, object): binds a name to a data object (an integer, string or buffer).
Bytes name(std::string_view name, const Bytes& object);
// Scope (path) { body }: opens an existing part of the namespace, such as \_SB.
Bytes scope(std::string_view path, const Bytes& body);
// Device (name) { body }: a device node; body holds its Name()s (_HID, _UID, _CRS).
Bytes device(std::string_view name, const Bytes& body);
// Buffer () { bytes }: BufferOp, PkgLength, the size as an integer, the bytes.
Bytes buffer(const Bytes& bytes);
// Package () { elements }: PackageOp, PkgLength, the element count (one byte), the elements.
Bytes package_of(std::initializer_list<Bytes> elements);

// Resource descriptors (see the header comment).
enum class Access { read_only, read_write };
enum class Trigger { level, edge };
enum class Polarity { active_high, active_low };
enum class Sharing { exclusive, shared };

// IO (Decode16, port, port, 1, count): `count` ports fixed at `port`.
Bytes io_port(std::uint16_t port, std::uint8_t count);
Bytes memory32_fixed(Access access, std::uint32_t base, std::uint32_t length);
// Interrupt (ResourceConsumer, trigger, polarity, sharing) { gsis... }; at least one GSI.
Bytes extended_interrupt(Trigger trigger, Polarity polarity, Sharing sharing,
                         std::span<const std::uint32_t> gsis);
Bytes end_tag();
// ResourceTemplate () { descriptors }: a Buffer of the descriptors followed by an End Tag.
Bytes resource_template(std::initializer_list<Bytes> descriptors);

}  // namespace deploylab::hv::aml
