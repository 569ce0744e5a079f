// hypervisor/boot/acpi_tables.cpp: building the RSDP, XSDT, FADT, MADT and DSDT byte by byte,
// placing them one after the other and writing them into guest memory in one go (see
// acpi_tables.h for the layout and the choices).
#include "hypervisor/boot/acpi_tables.h"

#include <algorithm>
#include <set>
#include <string>
#include <string_view>

#include "common/error.h"
#include "hypervisor/boot/aml.h"
#include "hypervisor/boot/mptable.h"

namespace deploylab::hv {

namespace {

using Bytes = std::vector<std::uint8_t>;

// Who made the tables. Linux prints them: "ACPI: FACP 0x00000000000E0060 000114 (v06 DPLAB
// MINIVMM 00000001 DPLB 00000001)". Fixed width, padded with spaces.
constexpr std::string_view kOemId = "DPLAB";         // 6 characters
constexpr std::string_view kOemTableId = "MINIVMM";  // 8 characters
constexpr std::uint32_t kOemRevision = 1;
constexpr std::string_view kCreatorId = "DPLB";      // 4 characters: the "compiler", us
constexpr std::uint32_t kCreatorRevision = 1;
constexpr std::string_view kHypervisorVendor = "DEPLOYLB";  // 8 characters, no version

constexpr std::size_t kMaxVirtioDevices = 256;  // VR00 .. VRFF
constexpr std::size_t kMaxSerialPorts = 4;      // COM1 .. COM4
constexpr std::uint64_t k4GiB = 1ull << 32;

// `size` little-endian bytes of `value` at bytes[at].
void put(Bytes& bytes, std::size_t at, std::uint64_t value, int size) {
  for (int i = 0; i < size; ++i) bytes.at(at + i) = static_cast<std::uint8_t>(value >> (8 * i));
}
// `text` at bytes[at], padded with spaces to `width`.
void put_text(Bytes& bytes, std::size_t at, std::string_view text, std::size_t width) {
  for (std::size_t i = 0; i < width; ++i) bytes.at(at + i) = i < text.size() ? text[i] : ' ';
}
// Stores at bytes[at] the byte that makes bytes[0, end) sum to 0 modulo 256.
void fill_checksum(Bytes& bytes, std::size_t end, std::size_t at) {
  bytes.at(at) = 0;
  std::uint8_t sum = 0;
  for (std::size_t i = 0; i < end; ++i) sum = static_cast<std::uint8_t>(sum + bytes[i]);
  bytes[at] = static_cast<std::uint8_t>(-sum);
}

// A table of `body` bytes after the common 36-byte header, with length and checksum filled in.
Bytes table(std::string_view signature, std::uint8_t revision, const Bytes& body) {
  Bytes bytes(kTableHeaderSize);
  put_text(bytes, 0, signature, 4);
  put(bytes, 4, kTableHeaderSize + body.size(), 4);
  put(bytes, 8, revision, 1);
  put_text(bytes, 10, kOemId, 6);
  put_text(bytes, 16, kOemTableId, 8);
  put(bytes, 24, kOemRevision, 4);
  put_text(bytes, 28, kCreatorId, 4);
  put(bytes, 32, kCreatorRevision, 4);
  aml::append(bytes, body);
  fill_checksum(bytes, bytes.size(), 9);
  return bytes;
}

Bytes rsdp(std::uint64_t xsdt_address) {
  Bytes bytes(kRsdpSize);
  put_text(bytes, 0, kRsdpSignature, 8);
  put_text(bytes, 9, kOemId, 6);
  put(bytes, 15, kRsdpRevision, 1);
  put(bytes, 16, 0, 4);  // RsdtAddress: no RSDT, ACPI 2.0+ kernels use the XSDT
  put(bytes, 20, kRsdpSize, 4);
  put(bytes, 24, xsdt_address, 8);
  fill_checksum(bytes, kRsdpV1Size, 8);  // the ACPI 1.0 part, bytes 0-19
  fill_checksum(bytes, kRsdpSize, 32);   // the whole structure
  return bytes;
}

Bytes xsdt(const std::vector<std::uint64_t>& tables) {
  Bytes body(8 * tables.size());
  for (std::size_t i = 0; i < tables.size(); ++i) put(body, 8 * i, tables[i], 8);
  return table("XSDT", kXsdtRevision, body);
}

// A Generic Address Structure for one 8-bit I/O port: space 1 (system I/O), 8 bits at bit 0,
// byte access.
void put_io_port_gas(Bytes& body, std::uint64_t at, std::uint16_t port) {
  put(body, at, 1, 1);
  put(body, at + 1, 8, 1);
  put(body, at + 2, 0, 1);
  put(body, at + 3, 1, 1);
  put(body, at + 4, port, 8);
}

// Everything not set here is 0: no FACS, no PM register blocks, no SCI, no reset register.
Bytes fadt(std::uint64_t dsdt_address, const AcpiConfig& config) {
  Bytes body(kFadtSize - kTableHeaderSize);
  auto field = [&](std::uint64_t offset) { return offset - kTableHeaderSize; };
  put(body, field(kFadtDsdt), dsdt_address, 4);  // below 4 GiB, so both DSDT fields agree
  put(body, field(kFadtBootArch), kBootArchLegacyDevices | kBootArchNoVga | kBootArchNoCmosRtc, 2);
  put(body, field(kFadtFlags), kFadtHwReducedAcpi | kFadtPowerButton | kFadtSleepButton, 4);
  put(body, field(kFadtMinorVersion), kFadtMinorRevision, 1);
  put(body, field(kFadtXDsdt), dsdt_address, 8);
  put_text(body, field(kFadtHypervisorVendor), kHypervisorVendor, 8);
  if (config.sleep) {
    put_io_port_gas(body, field(kFadtSleepControl), config.sleep->port);
    put_io_port_gas(body, field(kFadtSleepStatus), static_cast<std::uint16_t>(config.sleep->port + 1));
  }
  return table("FACP", kFadtRevision, body);
}

Bytes madt(const AcpiConfig& config) {
  Bytes body(8);
  put(body, 0, linux_layout::kLocalApic, 4);
  put(body, 4, 0, 4);  // flags: PCAT_COMPAT clear, see the header
  for (int cpu = 0; cpu < config.vcpus; ++cpu) {
    const auto id = static_cast<std::uint8_t>(cpu);
    aml::append(body, {kMadtLocalApic, 8, id /* ACPI UID */, id /* APIC id */, 1, 0, 0, 0});
  }
  Bytes io_apic{kMadtIoApic, 12, config.io_apic_id, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  put(io_apic, 4, config.io_apic_address, 4);  // GSI base (bytes 8-11) stays 0
  aml::append(body, io_apic);
  aml::append(body, {kMadtLocalApicNmi, 6, 0xff /* every CPU */, 0, 0 /* flags */, 1 /* LINT1 */});
  return table("APIC", kMadtRevision, body);
}

// "VR0A" for index 10: a prefix and two hex digits, so names stay valid NameSegs.
std::string device_name(std::string_view prefix, std::size_t index) {
  constexpr char kHex[] = "0123456789ABCDEF";
  return std::string(prefix) + kHex[(index >> 4) & 0xf] + kHex[index & 0xf];
}

// Device (VRnn) { _HID "LNRO0005", _UID n, _CRS { Memory32Fixed, Interrupt (Level, ActiveHigh) } }
aml::Bytes virtio_device(std::size_t index, const AcpiVirtioDevice& device) {
  using namespace aml;
  const std::uint32_t gsi[] = {device.gsi};
  const Bytes crs = resource_template(
      {memory32_fixed(Access::read_write, static_cast<std::uint32_t>(device.address),
                      static_cast<std::uint32_t>(device.size)),
       extended_interrupt(Trigger::level, Polarity::active_high, Sharing::exclusive, gsi)});
  return aml::device(device_name("VR", index),
                     concat({name("_HID", string(kVirtioMmioHid)), name("_UID", integer(index)),
                             name("_CRS", crs)}));
}

// Device (COMn) { _HID "PNP0501", _UID n, _CRS { IO (8 ports), Interrupt (Edge, ActiveHigh) } }
aml::Bytes serial_device(std::size_t index, const AcpiSerialPort& serial) {
  using namespace aml;
  const std::uint32_t gsi[] = {serial.gsi};
  const Bytes crs = resource_template(
      {io_port(serial.port, 8),
       extended_interrupt(Trigger::edge, Polarity::active_high, Sharing::exclusive, gsi)});
  return aml::device("COM" + std::to_string(index + 1),
                     concat({name("_HID", string(kSerialHid)), name("_UID", integer(index + 1)),
                             name("_CRS", crs)}));
}

Bytes dsdt(const AcpiConfig& config) {
  aml::Bytes devices;
  for (std::size_t i = 0; i < config.serial_ports.size(); ++i) {
    aml::append(devices, serial_device(i, config.serial_ports[i]));
  }
  for (std::size_t i = 0; i < config.virtio_devices.size(); ++i) {
    aml::append(devices, virtio_device(i, config.virtio_devices[i]));
  }
  aml::Bytes body;
  // Name (_S5, Package () { 5, 0 }): the sleep type for "soft off", which makes Linux offer power-off.
  if (config.sleep) aml::append(body, aml::name("_S5", aml::package_of({aml::integer(kSleepTypeS5), aml::integer(0)})));
  aml::append(body, aml::scope("\\_SB", devices));
  return table("DSDT", kDsdtRevision, body);
}

Result<void> check_area(const GuestMemory& memory, const AcpiConfig& config) {
  const std::string area =
      "[" + hex(config.base) + ", " + hex(config.base + config.area_size) + ")";
  if (config.base % 16 != 0) {
    return Error::invalid("ACPI tables at " + hex(config.base) + " are not 16-byte aligned",
                          "ACPI tables", "Linux scans for the RSDP on 16-byte boundaries");
  }
  if (config.base + config.area_size > k4GiB) {
    return Error::invalid("ACPI area " + area + " reaches above 4 GiB", "ACPI tables",
                          "the FADT's DSDT field is 32 bits: put the tables in low memory");
  }
  if (!memory.contains(config.base, config.area_size)) {
    return Error::invalid("ACPI area " + area + " is not all guest RAM", "ACPI tables",
                          "place the tables inside a RAM region (linux_layout::kAcpiTables)");
  }
  return {};
}

Result<void> check_cpus(const AcpiConfig& config) {
  if (config.vcpus < 1 || config.vcpus > kMaxVcpus) {
    return Error::invalid("ACPI tables for " + std::to_string(config.vcpus) + " vCPUs", "MADT",
                          "give between 1 and " + std::to_string(kMaxVcpus) + " vCPUs");
  }
  if (config.io_apic_id < config.vcpus || config.io_apic_id == 0xff) {
    return Error::invalid("I/O APIC id " + std::to_string(config.io_apic_id) +
                              " collides with a CPU's APIC id or is the broadcast id",
                          "MADT", "use mp_io_apic_id(vcpus), the first id after the CPUs'");
  }
  return {};
}

// Each GSI may be used once: every device's interrupt is "Exclusive".
Result<void> check_gsi(std::uint32_t gsi, std::set<std::uint32_t>& used, const std::string& what) {
  if (gsi >= kIoApicPins) {
    return Error::invalid(what + " uses GSI " + std::to_string(gsi), "DSDT",
                          "the I/O APIC has pins 0-" + std::to_string(kIoApicPins - 1));
  }
  if (!used.insert(gsi).second) {
    return Error::invalid(what + " uses GSI " + std::to_string(gsi) + ", as another device does",
                          "DSDT", "give every device its own interrupt line");
  }
  return {};
}

Result<void> check_devices(const AcpiConfig& config) {
  if (config.virtio_devices.size() > kMaxVirtioDevices ||
      config.serial_ports.size() > kMaxSerialPorts) {
    return Error::invalid("too many devices for the DSDT", "DSDT",
                          "at most 256 virtio-mmio devices and 4 serial ports");
  }
  std::set<std::uint32_t> used;
  for (const auto& serial : config.serial_ports) {
    DL_TRY(check_gsi(serial.gsi, used, "serial port " + hex(serial.port)));
  }
  for (const auto& device : config.virtio_devices) {
    const std::string what = "virtio-mmio device at " + hex(device.address);
    if (device.size == 0 || device.address + device.size > k4GiB) {
      return Error::invalid(what + " of size " + hex(device.size), "DSDT",
                            "Memory32Fixed describes a non-empty range below 4 GiB");
    }
    DL_TRY(check_gsi(device.gsi, used, what));
  }
  return {};
}

std::uint64_t align8(std::uint64_t offset) { return (offset + 7) & ~std::uint64_t{7}; }

}  // namespace

Result<std::uint64_t> write_acpi_tables(const GuestMemory& memory, const AcpiConfig& config) {
  DL_TRY(check_area(memory, config));
  DL_TRY(check_cpus(config));
  DL_TRY(check_devices(config));

  // Where each table goes, as offsets from base: RSDP, XSDT, FADT, MADT, DSDT.
  const Bytes madt_bytes = madt(config);
  const Bytes dsdt_bytes = dsdt(config);
  const std::uint64_t xsdt_at = align8(kRsdpSize);
  const std::uint64_t fadt_at = align8(xsdt_at + kTableHeaderSize + 2 * 8);
  const std::uint64_t madt_at = align8(fadt_at + kFadtSize);
  const std::uint64_t dsdt_at = align8(madt_at + madt_bytes.size());
  const std::uint64_t end = dsdt_at + dsdt_bytes.size();
  if (end > config.area_size) {
    return Error::invalid("ACPI tables need " + hex(end) + " bytes, the area has " +
                              hex(config.area_size),
                          "ACPI tables", "give fewer devices or a larger area");
  }

  const std::uint64_t base = config.base;
  Bytes image(end);
  auto place = [&](std::uint64_t at, const Bytes& bytes) {
    std::copy(bytes.begin(), bytes.end(), image.begin() + static_cast<std::ptrdiff_t>(at));
  };
  place(0, rsdp(base + xsdt_at));
  place(xsdt_at, xsdt({base + fadt_at, base + madt_at}));
  place(fadt_at, fadt(base + dsdt_at, config));
  place(madt_at, madt_bytes);
  place(dsdt_at, dsdt_bytes);
  DL_TRY(memory.write(base, image).context("writing the ACPI tables (" + hex(end) + " bytes) at " +
                                           hex(base)));
  return base;
}

}  // namespace deploylab::hv
