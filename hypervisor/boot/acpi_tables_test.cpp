// hypervisor/boot/acpi_tables_test.cpp: the ACPI tables read back from guest memory the way Linux
// finds them: the RSDP and its two checksums, the XSDT's pointers, every table's header and
// checksum, the FADT's flags, the DSDT's AML for each device, the MADT's entries for 1 and 4 vCPUs;
// and the configurations write_acpi_tables() must refuse without writing anything.
#include "hypervisor/boot/acpi_tables.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "hypervisor/boot/linux_layout.h"
#include "hypervisor/boot/mptable.h"

namespace deploylab::hv {
namespace {

using Bytes = std::vector<std::uint8_t>;

std::uint64_t le(const Bytes& bytes, std::size_t at, int size) {
  std::uint64_t value = 0;
  for (int i = size - 1; i >= 0; --i) value = value << 8 | bytes.at(at + i);
  return value;
}
std::string text_at(const Bytes& bytes, std::size_t at, std::size_t length) {
  return std::string(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                     bytes.begin() + static_cast<std::ptrdiff_t>(at + length));
}
unsigned byte_sum(const Bytes& bytes, std::size_t end) {
  unsigned sum = 0;
  for (std::size_t i = 0; i < end; ++i) sum += bytes.at(i);
  return sum % 256;
}
bool contains(const Bytes& haystack, const Bytes& needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}
Bytes ascii(std::string_view text) { return Bytes(text.begin(), text.end()); }
Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

// minivmm's configuration: the virtio-mmio disk of linux_layout.h, optionally COM1.
AcpiConfig config_for(int vcpus) {
  AcpiConfig config;
  config.vcpus = vcpus;
  config.io_apic_id = mp_io_apic_id(vcpus);
  config.virtio_devices = {{linux_layout::kVirtioBlock, linux_layout::kVirtioBlockSize,
                            linux_layout::kVirtioBlockIrq}};
  return config;
}

// The first MiB of a guest with the tables written, and a reader that follows their pointers.
struct Guest {
  GuestMemory memory;
  std::uint64_t rsdp = 0;

  Bytes read(std::uint64_t address, std::uint64_t length) const {
    return memory.read(address, length).value();
  }
  // A whole table: its header's length field says how much to read.
  Bytes table_at(std::uint64_t address) const {
    return read(address, le(read(address, kTableHeaderSize), 4, 4));
  }
  std::vector<std::uint64_t> xsdt_entries() const {
    const Bytes xsdt = table_at(le(read(rsdp, kRsdpSize), 24, 8));
    std::vector<std::uint64_t> entries;
    for (std::size_t at = kTableHeaderSize; at + 8 <= xsdt.size(); at += 8) {
      entries.push_back(le(xsdt, at, 8));
    }
    return entries;
  }
  // The table the XSDT lists with this signature; the DSDT is found through the FADT.
  Bytes find(std::string_view signature) const {
    for (auto address : xsdt_entries()) {
      Bytes table = table_at(address);
      if (text_at(table, 0, 4) == signature) return table;
    }
    ADD_FAILURE() << "no " << signature << " table in the XSDT";
    return Bytes(kTableHeaderSize);
  }
  Bytes dsdt() const { return table_at(le(find("FACP"), kFadtXDsdt, 8)); }
};

Guest write(const AcpiConfig& config) {
  Guest guest;
  guest.memory.add_region(0, 1 << 20).value();
  guest.rsdp = write_acpi_tables(guest.memory, config).value();
  return guest;
}

void expect_valid_table(const Bytes& table, std::string_view signature, std::uint64_t address,
                        const AcpiConfig& config) {
  SCOPED_TRACE(std::string(signature) + " at " + hex(address));
  EXPECT_EQ(text_at(table, 0, 4), signature);
  EXPECT_EQ(byte_sum(table, table.size()), 0u) << "every table's bytes must sum to 0 mod 256";
  EXPECT_EQ(text_at(table, 10, 6), "DPLAB ") << "OEM id, padded with spaces";
  EXPECT_EQ(address % 8, 0u) << "tables are placed 8-byte aligned";
  EXPECT_GE(address, config.base);
  EXPECT_LE(address + table.size(), config.base + kAcpiTablesSize)
      << "every table must lie in the ACPI area, which the e820 map reserves";
}

TEST(AcpiTables, RsdpIsWhereLinuxLooksAndBothChecksumsHold) {
  const auto config = config_for(2);
  const auto guest = write(config);
  EXPECT_EQ(guest.rsdp, linux_layout::kAcpiTables) << "the RSDP comes first in the area";
  EXPECT_EQ(guest.rsdp % 16, 0u) << "Linux scans 0xe0000-0xfffff on 16-byte boundaries";
  const Bytes rsdp = guest.read(guest.rsdp, kRsdpSize);
  EXPECT_EQ(text_at(rsdp, 0, 8), "RSD PTR ") << "the signature ends with a space";
  EXPECT_EQ(byte_sum(rsdp, 20), 0u) << "bytes 0-19 (the ACPI 1.0 RSDP) must sum to 0";
  EXPECT_EQ(byte_sum(rsdp, 36), 0u) << "all 36 bytes (the extended checksum) must sum to 0";
  EXPECT_EQ(rsdp[15], 2) << "revision 2: the XSDT address is valid";
  EXPECT_EQ(le(rsdp, 20, 4), 36u) << "length of the RSDP";
  const std::uint64_t xsdt = le(rsdp, 24, 8);
  expect_valid_table(guest.table_at(xsdt), "XSDT", xsdt, config);
}

TEST(AcpiTables, XsdtPointsAtFadtAndMadtAndFadtAtDsdt) {
  const auto config = config_for(2);
  const auto guest = write(config);
  const auto entries = guest.xsdt_entries();
  ASSERT_EQ(entries.size(), 2u) << "the XSDT lists the FADT and the MADT";
  expect_valid_table(guest.table_at(entries[0]), "FACP", entries[0], config);
  expect_valid_table(guest.table_at(entries[1]), "APIC", entries[1], config);
  const std::uint64_t dsdt = le(guest.find("FACP"), kFadtXDsdt, 8);
  expect_valid_table(guest.table_at(dsdt), "DSDT", dsdt, config);
  EXPECT_EQ(guest.table_at(dsdt)[8], kDsdtRevision) << "DSDT revision 2: 64-bit integers";
}

TEST(AcpiTables, FadtIsHardwareReducedWithoutPcLegacy) {
  const auto guest = write(config_for(1));
  const Bytes fadt = guest.find("FACP");
  ASSERT_EQ(fadt.size(), kFadtSize) << "the ACPI 6.x FADT is 276 bytes";
  EXPECT_EQ(fadt[8], 6) << "FADT revision 6";
  EXPECT_EQ(fadt[kFadtMinorVersion], 4) << "minor version 4: ACPI 6.4";
  const auto flags = le(fadt, kFadtFlags, 4);
  EXPECT_TRUE(flags & kFadtHwReducedAcpi) << "HW_REDUCED_ACPI (bit 20) must be set";
  EXPECT_TRUE(flags & kFadtPowerButton) << "no fixed power button (bit 4 set)";
  EXPECT_TRUE(flags & kFadtSleepButton) << "no fixed sleep button (bit 5 set)";
  const auto boot_arch = le(fadt, kFadtBootArch, 2);
  EXPECT_FALSE(boot_arch & kBootArch8042) << "no PS/2 controller: Linux must not probe 0x60/0x64";
  EXPECT_TRUE(boot_arch & kBootArchNoVga);
  EXPECT_TRUE(boot_arch & kBootArchNoCmosRtc);
  EXPECT_EQ(le(fadt, 36, 4), 0u) << "FIRMWARE_CTRL: no FACS in hardware-reduced ACPI";
  EXPECT_EQ(le(fadt, 132, 8), 0u) << "X_FIRMWARE_CTRL: no FACS";
  EXPECT_EQ(le(fadt, 46, 2), 0u) << "SCI_INT: no SCI";
  EXPECT_EQ(le(fadt, kFadtDsdt, 4), le(fadt, kFadtXDsdt, 8)) << "DSDT and X_DSDT agree";
  EXPECT_EQ(text_at(fadt, kFadtHypervisorVendor, 8), "DEPLOYLB");
}

TEST(AcpiTables, DsdtHasTheVirtioDiskWithHidUidAndResources) {
  const auto guest = write(config_for(1));
  const Bytes dsdt = guest.dsdt();
  EXPECT_EQ(dsdt[kTableHeaderSize], 0x10) << "the AML starts with Scope (\\_SB)";
  EXPECT_TRUE(contains(dsdt, cat({{0x5c}, ascii("_SB_")})));
  EXPECT_TRUE(contains(dsdt, cat({{0x5b, 0x82, 0x3a}, ascii("VR00")})))
      << "Device (VR00), PkgLength 58";
  EXPECT_TRUE(contains(dsdt, cat({{0x08}, ascii("_HID"), {0x0d}, ascii("LNRO0005"), {0x00}})))
      << "Name (_HID, \"LNRO0005\"): what virtio_mmio.ko matches";
  EXPECT_TRUE(contains(dsdt, cat({{0x08}, ascii("_UID"), {0x00}}))) << "Name (_UID, 0)";
  const Bytes crs = cat({{0x08}, ascii("_CRS"), {0x11, 0x1a, 0x0a, 0x17},
                         {0x86, 0x09, 0x00, 0x01, 0x00, 0x10, 0x00, 0xd0, 0x00, 0x10, 0x00, 0x00},
                         {0x89, 0x06, 0x00, 0x01, 0x01, 0x05, 0x00, 0x00, 0x00},
                         {0x79, 0x00}});
  EXPECT_TRUE(contains(dsdt, crs))
      << "Name (_CRS): Memory32Fixed (ReadWrite, 0xd0001000, 0x1000), Interrupt (Consumer, "
         "Level, ActiveHigh, Exclusive) {5}, End Tag";
}

TEST(AcpiTables, DsdtNumbersSeveralDevicesAndDescribesSerialPorts) {
  auto config = config_for(1);
  config.virtio_devices.push_back({0xd0002000, 0x1000, 6});
  config.serial_ports = {{linux_layout::kUartPort, linux_layout::kUartIrq}};
  const Bytes dsdt = write(config).dsdt();
  EXPECT_TRUE(contains(dsdt, ascii("VR01"))) << "the second virtio device is VR01";
  EXPECT_TRUE(contains(dsdt, cat({{0x08}, ascii("_UID"), {0x01}}))) << "Name (_UID, 1)";
  EXPECT_TRUE(contains(dsdt, {0x86, 0x09, 0x00, 0x01, 0x00, 0x20, 0x00, 0xd0}));
  EXPECT_TRUE(contains(dsdt, {0x89, 0x06, 0x00, 0x01, 0x01, 0x06, 0x00, 0x00, 0x00}));
  EXPECT_TRUE(contains(dsdt, cat({ascii("COM1"), {0x08}, ascii("_HID"), {0x0d},
                                  ascii("PNP0501"), {0x00}})));
  EXPECT_TRUE(contains(dsdt, {0x47, 0x01, 0xf8, 0x03, 0xf8, 0x03, 0x01, 0x08}))
      << "IO (Decode16, 0x3f8, 0x3f8, 1, 8)";
  EXPECT_TRUE(contains(dsdt, {0x89, 0x06, 0x00, 0x03, 0x01, 0x04, 0x00, 0x00, 0x00}))
      << "Interrupt (Consumer, Edge, ActiveHigh, Exclusive) {4}: ISA's convention";
}

void expect_madt(int vcpus) {
  SCOPED_TRACE(std::to_string(vcpus) + " vCPUs");
  const Bytes madt = write(config_for(vcpus)).find("APIC");
  EXPECT_EQ(madt[8], kMadtRevision);
  EXPECT_EQ(le(madt, 36, 4), linux_layout::kLocalApic) << "local APIC address";
  EXPECT_EQ(le(madt, 40, 4) & kMadtPcatCompat, 0u) << "PCAT_COMPAT clear: no 8259 to mask";
  int cpus = 0, io_apics = 0, nmis = 0;
  std::size_t at = kMadtEntries;
  while (at + 2 <= madt.size()) {
    const std::uint8_t type = madt[at], length = madt[at + 1];
    ASSERT_GE(length, 2) << "a zero-length entry would loop forever in the kernel too";
    if (type == kMadtLocalApic) {
      EXPECT_EQ(length, 8);
      EXPECT_EQ(madt[at + 2], cpus) << "ACPI processor UID = vCPU index";
      EXPECT_EQ(madt[at + 3], cpus) << "APIC id = vCPU index, as KVM numbers them";
      EXPECT_EQ(le(madt, at + 4, 4), 1u) << "flags: enabled";
      ++cpus;
    } else if (type == kMadtIoApic) {
      EXPECT_EQ(length, 12);
      EXPECT_EQ(madt[at + 2], mp_io_apic_id(vcpus)) << "I/O APIC id follows the CPUs' ids";
      EXPECT_EQ(le(madt, at + 4, 4), linux_layout::kIoApic);
      EXPECT_EQ(le(madt, at + 8, 4), 0u) << "GSI base 0: pin n is GSI n";
      ++io_apics;
    } else if (type == kMadtLocalApicNmi) {
      EXPECT_EQ(length, 6);
      EXPECT_EQ(madt[at + 2], 0xff) << "every processor";
      EXPECT_EQ(madt[at + 5], 1) << "NMI on LINT1, as Linux expects";
      ++nmis;
    } else {
      ADD_FAILURE() << "unexpected MADT entry type " << int(type);
    }
    at += length;
  }
  EXPECT_EQ(at, madt.size()) << "the entries must end exactly at the table's length";
  EXPECT_EQ(cpus, vcpus);
  EXPECT_EQ(io_apics, 1);
  EXPECT_EQ(nmis, 1);
}

TEST(AcpiTables, MadtListsEveryCpuTheIoApicAndTheNmi) {
  expect_madt(1);
  expect_madt(4);
}

TEST(AcpiTables, EveryVcpuCountGivesValidTables) {
  for (int vcpus = 1; vcpus <= kMaxVcpus; ++vcpus) {
    const auto config = config_for(vcpus);
    const auto guest = write(config);
    for (auto address : guest.xsdt_entries()) {
      const Bytes table = guest.table_at(address);
      expect_valid_table(table, text_at(table, 0, 4), address, config);
    }
  }
}

// Each bad configuration fails with an error and leaves the area untouched.
void expect_refused(const AcpiConfig& config, const std::string& why) {
  GuestMemory memory;
  memory.add_region(0, 1 << 20).value();
  const auto result = write_acpi_tables(memory, config);
  EXPECT_FALSE(result.ok()) << why;
  const Bytes area = memory.read(linux_layout::kAcpiTables, kAcpiTablesSize).value();
  EXPECT_EQ(std::count(area.begin(), area.end(), 0), static_cast<long>(area.size()))
      << why << ": nothing may be written when the tables are refused";
}

TEST(AcpiTables, RefusesBadConfigurationsWithoutWriting) {
  auto config = config_for(2);
  config.vcpus = 0;
  expect_refused(config, "0 vCPUs");
  config.vcpus = kMaxVcpus + 1;
  config.io_apic_id = mp_io_apic_id(kMaxVcpus + 1);
  expect_refused(config, "more vCPUs than kMaxVcpus");

  config = config_for(2);
  config.io_apic_id = 1;
  expect_refused(config, "an I/O APIC id equal to vCPU 1's APIC id");

  config = config_for(2);
  config.virtio_devices[0].gsi = kIoApicPins;
  expect_refused(config, "a GSI the I/O APIC does not have");
  config = config_for(2);
  config.serial_ports = {{0x3f8, linux_layout::kVirtioBlockIrq}};
  expect_refused(config, "two devices on one exclusive GSI");
  config = config_for(2);
  config.virtio_devices[0].address = 0xfffff000;
  config.virtio_devices[0].size = 0x2000;
  expect_refused(config, "a device reaching above 4 GiB");

  config = config_for(2);
  config.area_size = 0x100;
  expect_refused(config, "an area too small for the tables");
}

TEST(AcpiTables, RefusesAnAreaThatIsMisalignedOrNotRam) {
  auto config = config_for(1);
  config.base = linux_layout::kAcpiTables + 8;
  expect_refused(config, "a base that is not 16-byte aligned");

  GuestMemory small;
  small.add_region(0, 0x9f000).value();
  EXPECT_FALSE(write_acpi_tables(small, config_for(1)).ok())
      << "the area 0xe0000-0xeffff is not RAM in a guest whose RAM ends at 0x9f000";
}

}  // namespace
}  // namespace deploylab::hv
