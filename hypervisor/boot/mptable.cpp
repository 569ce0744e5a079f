// hypervisor/boot/mptable.cpp: building the MP floating pointer and configuration table byte by
// byte and writing them into guest memory (see mptable.h for the layout and the choices).
#include "hypervisor/boot/mptable.h"

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "hypervisor/boot/linux_layout.h"

namespace deploylab::hv {

namespace {

// Names the kernel prints ("MPTABLE: OEM ID: DEPLOYLB Product ID: MINIVMM"). Fixed width, padded
// with spaces, no NUL, as the spec wants.
constexpr std::string_view kOemId = "DEPLOYLB";      // 8 characters
constexpr std::string_view kProductId = "MINIVMM";   // padded to 12
constexpr std::string_view kIsaBusType = "ISA";      // padded to 6

// What the processor entries claim CPUID leaf 1 says: family 6, and the FPU (bit 0) and on-chip
// APIC (bit 9) feature flags. Linux reads the real values from CPUID and only prints these.
constexpr std::uint32_t kCpuSignature = 6u << 8;
constexpr std::uint32_t kCpuFeatures = (1u << 0) | (1u << 9);

// Flags of interrupt entries: polarity (bits 1:0) and trigger mode (bits 3:2) both 0, "conforms to
// the bus". For ISA that means active high and edge-triggered, which is what KVM's PIT, the UART
// and the virtio-mmio device (which raise and lower their line per interrupt) produce.
constexpr std::uint16_t kConformsToBus = 0;

// Little-endian bytes appended in order: the table is built exactly as the spec's tables read.
class TableBytes {
 public:
  void u8(std::uint8_t value) { bytes_.push_back(value); }
  void u16(std::uint16_t value) {
    for (int shift = 0; shift < 16; shift += 8) u8(static_cast<std::uint8_t>(value >> shift));
  }
  void u32(std::uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8) u8(static_cast<std::uint8_t>(value >> shift));
  }
  // `text` in a field of `width` bytes, padded with spaces.
  void text(std::string_view text, std::size_t width) {
    for (std::size_t i = 0; i < width; ++i) u8(i < text.size() ? text[i] : ' ');
  }
  void zeros(std::size_t count) { bytes_.insert(bytes_.end(), count, 0); }

  std::size_t size() const { return bytes_.size(); }
  std::vector<std::uint8_t>& bytes() { return bytes_; }

 private:
  std::vector<std::uint8_t> bytes_;
};

// The byte that makes bytes[begin, end) sum to 0 modulo 256 when stored at `at` (which must lie in
// that range and hold 0 while we sum).
void fill_checksum(std::vector<std::uint8_t>& bytes, std::size_t begin, std::size_t end,
                   std::size_t at) {
  std::uint8_t sum = 0;
  for (std::size_t i = begin; i < end; ++i) sum = static_cast<std::uint8_t>(sum + bytes[i]);
  bytes[at] = static_cast<std::uint8_t>(-sum);
}

void put_processors(TableBytes& table, int vcpus) {
  for (int cpu = 0; cpu < vcpus; ++cpu) {
    table.u8(kMpEntryProcessor);
    table.u8(static_cast<std::uint8_t>(cpu));  // local APIC id = vCPU index, as KVM numbers them
    table.u8(kMpLocalApicVersion);
    table.u8(cpu == 0 ? kMpCpuEnabled | kMpCpuBootstrap : kMpCpuEnabled);
    table.u32(kCpuSignature);
    table.u32(kCpuFeatures);
    table.zeros(8);  // reserved
  }
}

void put_bus_and_io_apic(TableBytes& table, int vcpus) {
  table.u8(kMpEntryBus);
  table.u8(kMpIsaBus);
  table.text(kIsaBusType, 6);

  table.u8(kMpEntryIoApic);
  table.u8(mp_io_apic_id(vcpus));
  table.u8(kMpIoApicVersion);
  table.u8(1);  // flags bit 0: enabled
  table.u32(static_cast<std::uint32_t>(linux_layout::kIoApic));
}

// ISA IRQ n -> I/O APIC pin n for n = 0..15, IRQ 0 included (see "IRQ 0 goes to pin 0" in the
// header). IRQ 2 is listed too: on a PC it is the PIC's cascade and never a device's, but KVM's
// default routing connects line 2 to pin 2 like every other line, so the identity map is true.
void put_io_interrupts(TableBytes& table, int vcpus) {
  for (int irq = 0; irq < kMpIsaIrqs; ++irq) {
    table.u8(kMpEntryIoInterrupt);
    table.u8(kMpInterruptInt);
    table.u16(kConformsToBus);
    table.u8(kMpIsaBus);
    table.u8(static_cast<std::uint8_t>(irq));  // source: the ISA IRQ number
    table.u8(mp_io_apic_id(vcpus));
    table.u8(static_cast<std::uint8_t>(irq));  // destination: the I/O APIC input pin (INTIN)
  }
}

// LINT0 carries the PIC's interrupts (ExtINT: the CPU asks the PIC for the vector), LINT1 the NMI,
// on every local APIC. Linux keeps only the BSP's LINT0/LINT1 unmasked when it sets up the APICs.
void put_local_interrupts(TableBytes& table) {
  const std::uint8_t types[kMpLocalInterrupts] = {kMpInterruptExtInt, kMpInterruptNmi};
  for (int pin = 0; pin < kMpLocalInterrupts; ++pin) {
    table.u8(kMpEntryLocalInterrupt);
    table.u8(types[pin]);
    table.u16(kConformsToBus);
    table.u8(kMpIsaBus);
    table.u8(0);  // source bus IRQ: unused for these
    table.u8(kMpAllLocalApics);
    table.u8(static_cast<std::uint8_t>(pin));  // LINTIN0 or LINTIN1
  }
}

void put_floating_pointer(TableBytes& table, std::uint32_t config_table_address) {
  table.text("_MP_", 4);
  table.u32(config_table_address);
  table.u8(kMpFloatingPointerSize / 16);  // length in 16-byte paragraphs
  table.u8(kMpSpecRevision);
  table.u8(0);  // checksum, filled in last
  table.u8(0);  // feature byte 1: the configuration table is present
  table.u8(0);  // feature byte 2: IMCRP clear = virtual wire mode
  table.zeros(3);
}

void put_config_header(TableBytes& table, int vcpus) {
  const std::uint16_t entries = static_cast<std::uint16_t>(vcpus + 1 + 1 + kMpIsaIrqs +
                                                           kMpLocalInterrupts);
  const std::uint16_t length =
      static_cast<std::uint16_t>(mp_table_size(vcpus) - kMpFloatingPointerSize);
  table.text("PCMP", 4);
  table.u16(length);  // header plus every entry
  table.u8(kMpSpecRevision);
  table.u8(0);  // checksum, filled in last
  table.text(kOemId, 8);
  table.text(kProductId, 12);
  table.u32(0);  // no OEM table
  table.u16(0);
  table.u16(entries);
  table.u32(static_cast<std::uint32_t>(linux_layout::kLocalApic));
  table.u16(0);  // no extended table: length 0 ...
  table.u8(0);   // ... and its checksum 0
  table.u8(0);   // reserved
}

Result<void> check_placement(std::uint64_t address, int vcpus) {
  if (vcpus < 1 || vcpus > kMaxVcpus) {
    return Error::invalid("an MP table for " + std::to_string(vcpus) + " vCPUs", "MP table",
                          "give between 1 and " + std::to_string(kMaxVcpus) + " vCPUs");
  }
  if (address % 16 != 0) {
    return Error::invalid("MP table address " + hex(address) + " is not 16-byte aligned",
                          "MP table", "Linux only finds \"_MP_\" on 16-byte boundaries");
  }
  if (address + mp_table_size(vcpus) > (1ull << 32)) {
    return Error::invalid("MP table at " + hex(address) + " reaches above 4 GiB", "MP table",
                          "its pointers are 32 bits: put it in low memory");
  }
  return {};
}

}  // namespace

Result<void> write_mp_table(const GuestMemory& memory, std::uint64_t address, int vcpus) {
  DL_TRY(check_placement(address, vcpus));
  TableBytes table;
  put_floating_pointer(table, static_cast<std::uint32_t>(address + kMpFloatingPointerSize));
  put_config_header(table, vcpus);
  put_processors(table, vcpus);
  put_bus_and_io_apic(table, vcpus);
  put_io_interrupts(table, vcpus);
  put_local_interrupts(table);

  // Offsets of the two checksum bytes: pointer byte 10, header byte 7.
  auto& bytes = table.bytes();
  fill_checksum(bytes, 0, kMpFloatingPointerSize, 10);
  fill_checksum(bytes, kMpFloatingPointerSize, bytes.size(), kMpFloatingPointerSize + 7);
  return memory.write(address, bytes)
      .context("writing the MP table (" + std::to_string(bytes.size()) + " bytes) at " +
               hex(address));
}

}  // namespace deploylab::hv
