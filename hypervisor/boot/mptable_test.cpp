// hypervisor/boot/mptable_test.cpp: the MP table read back from guest memory the way Linux's
// mpparse reads it: the "_MP_" pointer, the "PCMP" header, both checksums, and every field of every
// entry, for 1 to kMaxVcpus vCPUs; and the cases write_mp_table() must refuse.
#include "hypervisor/boot/mptable.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hypervisor/boot/linux_layout.h"

namespace deploylab::hv {
namespace {

constexpr std::uint64_t kAddress = linux_layout::kMpTable;

// Little-endian fields of a byte vector, as the guest reads them.
std::uint8_t u8_at(const std::vector<std::uint8_t>& bytes, std::size_t at) { return bytes.at(at); }
std::uint16_t u16_at(const std::vector<std::uint8_t>& bytes, std::size_t at) {
  return static_cast<std::uint16_t>(bytes.at(at) | bytes.at(at + 1) << 8);
}
std::uint32_t u32_at(const std::vector<std::uint8_t>& bytes, std::size_t at) {
  return static_cast<std::uint32_t>(u16_at(bytes, at) | u16_at(bytes, at + 2) << 16);
}
std::string text_at(const std::vector<std::uint8_t>& bytes, std::size_t at, std::size_t length) {
  return std::string(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                     bytes.begin() + static_cast<std::ptrdiff_t>(at + length));
}
unsigned byte_sum(const std::vector<std::uint8_t>& bytes, std::size_t begin, std::size_t end) {
  unsigned sum = 0;
  for (std::size_t i = begin; i < end; ++i) sum += bytes.at(i);
  return sum % 256;
}

// The first MiB of a guest, the MP table written at kAddress, and its bytes read back.
struct WrittenTable {
  GuestMemory memory;
  std::vector<std::uint8_t> bytes;  // pointer first, then the configuration table
};

WrittenTable write_table(int vcpus) {
  WrittenTable table;
  table.memory.add_region(0, 1 << 20).value();
  write_mp_table(table.memory, kAddress, vcpus).value();
  table.bytes = table.memory.read(kAddress, mp_table_size(vcpus)).value();
  return table;
}

// Where the entries start, and where each kind of entry starts, in WrittenTable::bytes.
constexpr std::size_t kEntries = kMpFloatingPointerSize + kMpConfigHeaderSize;
std::size_t bus_offset(int vcpus) { return kEntries + kMpProcessorEntrySize * vcpus; }
std::size_t io_apic_offset(int vcpus) { return bus_offset(vcpus) + kMpSmallEntrySize; }
std::size_t io_interrupt_offset(int vcpus, int irq) {
  return io_apic_offset(vcpus) + kMpSmallEntrySize * (1 + irq);
}
std::size_t local_interrupt_offset(int vcpus, int pin) {
  return io_interrupt_offset(vcpus, kMpIsaIrqs) + kMpSmallEntrySize * pin;
}

TEST(MpTable, FloatingPointerIsWhatLinuxScansFor) {
  const auto table = write_table(2);
  const auto& b = table.bytes;
  EXPECT_EQ(text_at(b, 0, 4), "_MP_") << "Linux scans 16-byte boundaries for this signature";
  EXPECT_EQ(u32_at(b, 4), kAddress + 16) << "the configuration table follows the pointer";
  EXPECT_EQ(u8_at(b, 8), 1) << "length is counted in 16-byte paragraphs: 1";
  EXPECT_EQ(u8_at(b, 9), 4) << "spec revision 1.4 is written as 4";
  EXPECT_EQ(byte_sum(b, 0, 16), 0u) << "the 16 pointer bytes must sum to 0 mod 256; Linux skips "
                                       "a pointer whose sum is not 0";
  EXPECT_EQ(u8_at(b, 11), 0) << "feature byte 1 must be 0: a configuration table follows";
  EXPECT_EQ(u8_at(b, 12), 0) << "feature byte 2 bit 7 (IMCRP) must be clear: virtual wire mode";
  EXPECT_EQ(text_at(b, 13, 3), std::string(3, '\0')) << "feature bytes 3-5 are reserved, zero";
}

TEST(MpTable, HeaderDescribesTheWholeTable) {
  const int vcpus = 3;
  const auto table = write_table(vcpus);
  const auto& b = table.bytes;
  const std::size_t h = kMpFloatingPointerSize;
  EXPECT_EQ(text_at(b, h, 4), "PCMP");
  EXPECT_EQ(u16_at(b, h + 4), b.size() - 16) << "base table length = header + every entry";
  EXPECT_EQ(u8_at(b, h + 6), 4) << "spec revision 1.4";
  EXPECT_EQ(byte_sum(b, h, b.size()), 0u)
      << "header and entries must sum to 0 mod 256, or Linux ignores the table";
  EXPECT_EQ(text_at(b, h + 8, 8), "DEPLOYLB");
  EXPECT_EQ(text_at(b, h + 16, 12), "MINIVMM     ") << "ids are space-padded, not NUL-padded";
  EXPECT_EQ(u32_at(b, h + 28), 0u) << "no OEM table";
  EXPECT_EQ(u16_at(b, h + 32), 0u);
  EXPECT_EQ(u16_at(b, h + 34), vcpus + 1 + 1 + 16 + 2)
      << "entries: one per vCPU, the bus, the I/O APIC, 16 IRQs, LINT0 and LINT1";
  EXPECT_EQ(u32_at(b, h + 36), linux_layout::kLocalApic) << "Linux refuses a table with no "
                                                            "local APIC address";
  EXPECT_EQ(u16_at(b, h + 40), 0u) << "no extended table";
  EXPECT_EQ(u8_at(b, h + 42), 0u) << "no extended table, so its checksum is 0";
  EXPECT_EQ(u8_at(b, h + 43), 0u) << "reserved";
}

TEST(MpTable, OneEnabledProcessorPerVcpuWithTheBspFirst) {
  const int vcpus = 4;
  const auto table = write_table(vcpus);
  for (int cpu = 0; cpu < vcpus; ++cpu) {
    const std::size_t e = kEntries + kMpProcessorEntrySize * cpu;
    SCOPED_TRACE("processor entry of vCPU " + std::to_string(cpu));
    EXPECT_EQ(u8_at(table.bytes, e), kMpEntryProcessor);
    EXPECT_EQ(u8_at(table.bytes, e + 1), cpu) << "APIC id must be the vCPU index (KVM's numbering)";
    EXPECT_EQ(u8_at(table.bytes, e + 2), 0x14) << "KVM's local APIC is version 0x14";
    const std::uint8_t flags = cpu == 0 ? 0x3 : 0x1;
    EXPECT_EQ(u8_at(table.bytes, e + 3), flags)
        << "bit 0 = enabled on every CPU, bit 1 = bootstrap processor on vCPU 0 only";
    EXPECT_EQ(u32_at(table.bytes, e + 4), 0x600u) << "CPU signature: family 6";
    EXPECT_EQ(u32_at(table.bytes, e + 8), 0x201u) << "feature flags: FPU (bit 0), APIC (bit 9)";
    EXPECT_EQ(text_at(table.bytes, e + 12, 8), std::string(8, '\0')) << "reserved";
  }
}

TEST(MpTable, OneIsaBusAndOneIoApicAfterTheCpus) {
  const int vcpus = 2;
  const auto table = write_table(vcpus);
  const std::size_t bus = bus_offset(vcpus);
  EXPECT_EQ(u8_at(table.bytes, bus), kMpEntryBus);
  EXPECT_EQ(u8_at(table.bytes, bus + 1), 0) << "bus id 0";
  EXPECT_EQ(text_at(table.bytes, bus + 2, 6), "ISA   ") << "bus type, space-padded to 6";
  const std::size_t io = io_apic_offset(vcpus);
  EXPECT_EQ(u8_at(table.bytes, io), kMpEntryIoApic);
  EXPECT_EQ(u8_at(table.bytes, io + 1), vcpus) << "I/O APIC id = the first id after the CPUs'";
  EXPECT_EQ(u8_at(table.bytes, io + 2), 0x11) << "KVM's I/O APIC is version 0x11";
  EXPECT_EQ(u8_at(table.bytes, io + 3), 1) << "flags: enabled";
  EXPECT_EQ(u32_at(table.bytes, io + 4), linux_layout::kIoApic);
}

TEST(MpTable, IsaIrqsGoToTheSameIoApicPinTimerIncluded) {
  const int vcpus = 2;
  const auto table = write_table(vcpus);
  for (int irq = 0; irq < kMpIsaIrqs; ++irq) {
    const std::size_t e = io_interrupt_offset(vcpus, irq);
    SCOPED_TRACE("I/O interrupt entry for ISA IRQ " + std::to_string(irq));
    EXPECT_EQ(u8_at(table.bytes, e), kMpEntryIoInterrupt);
    EXPECT_EQ(u8_at(table.bytes, e + 1), kMpInterruptInt) << "a vectored interrupt";
    EXPECT_EQ(u16_at(table.bytes, e + 2), 0) << "polarity and trigger conform to ISA: high, edge";
    EXPECT_EQ(u8_at(table.bytes, e + 4), 0) << "source bus: the ISA bus";
    EXPECT_EQ(u8_at(table.bytes, e + 5), irq) << "source IRQ";
    EXPECT_EQ(u8_at(table.bytes, e + 6), vcpus) << "destination: our I/O APIC's id";
    EXPECT_EQ(u8_at(table.bytes, e + 7), irq)
        << "KVM's default routing wires line n to I/O APIC pin n; for IRQ 0 (the in-kernel PIT) "
           "that is pin 0, not the pin 2 of a real PC";
  }
}

TEST(MpTable, Lint0IsExtIntAndLint1IsNmiOnEveryCpu) {
  const int vcpus = 2;
  const auto table = write_table(vcpus);
  const std::uint8_t types[] = {kMpInterruptExtInt, kMpInterruptNmi};
  for (int pin = 0; pin < 2; ++pin) {
    const std::size_t e = local_interrupt_offset(vcpus, pin);
    SCOPED_TRACE("local interrupt entry for LINT" + std::to_string(pin));
    EXPECT_EQ(u8_at(table.bytes, e), kMpEntryLocalInterrupt);
    EXPECT_EQ(u8_at(table.bytes, e + 1), types[pin]) << "LINT0 = ExtINT (3), LINT1 = NMI (1)";
    EXPECT_EQ(u16_at(table.bytes, e + 2), 0);
    EXPECT_EQ(u8_at(table.bytes, e + 4), 0);
    EXPECT_EQ(u8_at(table.bytes, e + 5), 0);
    EXPECT_EQ(u8_at(table.bytes, e + 6), 0xff) << "destination 0xff = every local APIC";
    EXPECT_EQ(u8_at(table.bytes, e + 7), pin);
  }
  EXPECT_EQ(local_interrupt_offset(vcpus, 2), table.bytes.size()) << "LINT1 is the last entry";
}

TEST(MpTable, ChecksumsAndCountsHoldForEveryVcpuCount) {
  for (int vcpus = 1; vcpus <= kMaxVcpus; ++vcpus) {
    SCOPED_TRACE(std::to_string(vcpus) + " vCPUs");
    const auto table = write_table(vcpus);
    const auto& b = table.bytes;
    EXPECT_EQ(byte_sum(b, 0, 16), 0u) << "floating pointer checksum";
    EXPECT_EQ(byte_sum(b, 16, b.size()), 0u) << "configuration table checksum";
    EXPECT_EQ(u16_at(b, 16 + 34), vcpus + 20) << "entry count";
    // Walk the entries by their type byte, as Linux does, and check they are sorted by type.
    std::size_t at = kEntries;
    int seen = 0;
    std::uint8_t previous_type = 0;
    while (at < b.size()) {
      const std::uint8_t type = b[at];
      ASSERT_LE(type, kMpEntryLocalInterrupt) << "unknown entry type at offset " << at;
      EXPECT_GE(type, previous_type) << "the spec wants entries sorted by type";
      previous_type = type;
      at += type == kMpEntryProcessor ? kMpProcessorEntrySize : kMpSmallEntrySize;
      ++seen;
    }
    EXPECT_EQ(at, b.size()) << "the last entry must end exactly at the table's end";
    EXPECT_EQ(seen, vcpus + 20);
  }
}

TEST(MpTable, LargestTableFitsInTheLastKibOfBaseMemory) {
  EXPECT_EQ(mp_table_size(1), 240u) << "16 + 44 + 20 + 20 entries of 8";
  EXPECT_LE(kAddress + mp_table_size(kMaxVcpus), 0xa0000u)
      << "the table must end before the 640 KiB line, inside the reserved last KiB";
}

TEST(MpTable, RejectsVcpuCountsOutsideOneToTheCap) {
  GuestMemory memory;
  memory.add_region(0, 1 << 20).value();
  for (int vcpus : {0, -1, kMaxVcpus + 1, 255}) {
    auto result = write_mp_table(memory, kAddress, vcpus);
    EXPECT_FALSE(result.ok()) << "expected " << vcpus << " vCPUs to be refused";
  }
  EXPECT_EQ(memory.read_value<std::uint32_t>(kAddress).value(), 0u)
      << "a refused table must not be partly written";
}

TEST(MpTable, RejectsAnAddressLinuxWouldNotScan) {
  GuestMemory memory;
  memory.add_region(0, 1 << 20).value();
  auto result = write_mp_table(memory, kAddress + 8, 1);
  ASSERT_FALSE(result.ok()) << "expected an address that is not 16-byte aligned to be refused";
  EXPECT_NE(result.error().message().find("16-byte"), std::string::npos)
      << "the error should say why: " << result.error().message();
}

TEST(MpTable, FailsCleanlyWhenTheTableDoesNotFitInRam) {
  GuestMemory memory;
  memory.add_region(0, 0x1000).value();
  auto result = write_mp_table(memory, 0x1000 - 64, 2);
  ASSERT_FALSE(result.ok()) << "expected an error: the table runs past the end of guest RAM";
  EXPECT_NE(result.error().message().find("MP table"), std::string::npos)
      << "the error should name the MP table: " << result.error().message();
  EXPECT_EQ(memory.read_value<std::uint32_t>(0x1000 - 64).value(), 0u)
      << "nothing may be written when the table does not fit";
}

}  // namespace
}  // namespace deploylab::hv
