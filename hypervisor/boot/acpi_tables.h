// hypervisor/boot/acpi_tables.h: the minimal "hardware-reduced" ACPI tables minivmm gives a Linux
// guest, so that the kernel finds its CPUs, its I/O APIC and its virtio-mmio disk (lab 04).
//
// Part of boot/, next to mptable.h (the older, smaller way to describe CPUs and interrupts) and
// aml.h (the bytecode encoder the DSDT is written with). Pure code over GuestMemory: the tables
// are bytes in guest RAM; the tests read them back the way the kernel does.
//
// What ACPI is for. A PC kernel cannot discover much by itself: how many CPUs there are, where the
// interrupt controllers live, which devices sit at fixed addresses and which interrupt each one
// raises. Firmware tells it, through ACPI (the Advanced Configuration and Power Interface): a tree
// of tables in memory, found from one pointer. Static facts are C-like structs (the MADT lists
// interrupt controllers); devices are described by a small program in AML (the DSDT), which the
// kernel's ACPI interpreter runs to build its device tree.
//
// Why we need it. Debian's kernel binds virtio_mmio.ko only to an ACPI device with _HID
// "LNRO0005" (its CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES is off, so `virtio_mmio.device=` does
// nothing). No ACPI device, no /dev/vda.
//
// Why hardware-reduced. "Full" ACPI also promises PC power-management hardware: PM1 event and
// control registers, a PM timer, GPE blocks and an SCI interrupt, a FACS shared with firmware.
// minivmm has none of it. ACPI 5.0 added the hardware-reduced profile (FADT flag HW_REDUCED_ACPI)
// for machines like ours, and every microVM (Firecracker, cloud-hypervisor, QEMU's microvm) uses
// it. What Linux does differently then (arch/x86/kernel/acpi/boot.c, acpi_generic_reduced_hw_init):
//   - no legacy PIC: Linux never programs the 8259 and treats the machine as having no ISA
//     interrupts at all; so ISA IRQs 0-15 are NOT identity-mapped to I/O APIC pins as they are
//     with the MP table. A device using a "legacy" line must be described in the DSDT, with its
//     GSI, or it gets no interrupt: the 8250 driver then runs ttyS0 polled ("irq = 0"). Hence the
//     optional serial ports below (a PNP0501 device with its port range and GSI 4).
//   - no PIT or HPET set-up as the timer: on KVM the kernel uses kvmclock and the local APIC timer.
//   - the MP table is ignored when the MADT is present (it stays useful with acpi=off).
//
// The tables, in the order we place them from `base` (each 8-byte aligned, all in kAcpiTablesSize):
//
//   RSDP  "RSD PTR " (36 bytes, revision 2): the root pointer. The kernel gets its address from the
//         zero page (boot_params.acpi_rsdp_addr, offset 0x070) or by scanning 0xe0000-0xfffff on
//         16-byte boundaries; we put it at `base` so both work. Two checksums: bytes 0-19 (the
//         ACPI 1.0 part) and all 36 bytes. It points at the XSDT (64-bit); RsdtAddress is 0.
//   XSDT  the list of the other tables' addresses (u64 each): the FADT and the MADT.
//   FADT  "FACP" (276 bytes, revision 6.4): flags (HW_REDUCED_ACPI), the PC-legacy summary
//         IAPC_BOOT_ARCH, the DSDT's address, and the hypervisor's name.
//   MADT  "APIC": the local APIC address, one Processor Local APIC entry per vCPU, the I/O APIC,
//         and the NMI wiring of LINT1. Read early by arch/x86/kernel/acpi/boot.c.
//   DSDT  the AML program: Scope (\_SB) { one Device per virtio-mmio device and serial port }.
//         Read by ACPICA; drivers/acpi/scan.c turns each Device into a platform device.
//
// Every table starts with the same 36-byte header: signature (4), length (4), revision (1),
// checksum (1; all `length` bytes sum to 0 mod 256), OEM id (6), OEM table id (8), OEM revision
// (4), creator id (4), creator revision (4). ACPICA refuses a table whose checksum is wrong, and
// does not find an RSDP whose checksums are wrong at all (the kernel then boots without ACPI).
//
// Choices, and why:
//   FADT flags = HW_REDUCED_ACPI | PWR_BUTTON | SLP_BUTTON. The two button bits mean "no fixed-
//     hardware power/sleep button"; with them clear Linux would make up button devices that
//     hardware-reduced ACPI cannot have. No RESET_REG: a guest `reboot` falls back to the keyboard
//     controller pulse and then a triple fault, which KVM reports to the VMM as a shutdown.
//   IAPC_BOOT_ARCH = LEGACY_DEVICES | NO_VGA | NO_CMOS_RTC, and 8042 clear:
//     - LEGACY_DEVICES: we do have an ISA-style device, the 16550 UART (Linux only uses the bit to
//       skip the 32-bit PnP BIOS probe);
//     - 8042 clear: there is no PS/2 keyboard controller; Linux then does not probe ports
//       0x60/0x64 (with the MP table alone it does, and minivmm would see stray port exits);
//     - NO_VGA: no VGA memory or ports; the kernel must not probe them;
//     - NO_CMOS_RTC: no MC146818 at ports 0x70/0x71; Linux registers no rtc_cmos device, and takes
//       the wall-clock time from kvmclock instead.
//     MSI_NOT_SUPPORTED and PCIE_ASPM_CONTROLS stay clear: there is no PCI bus to speak of.
//   MADT flags: PCAT_COMPAT = 0. The bit says "there is also a dual 8259 that you must mask";
//     hardware-reduced Linux ignores the PIC anyway, and recent kernels take a set bit as a
//     promise that a PIC exists. KVM does emulate a PIC, but nothing in this guest should use it.
//   No Interrupt Source Overrides: they rename ISA IRQs, which hardware-reduced Linux does not
//     use. The I/O APIC starts at GSI 0 and KVM gives it 24 pins, so GSIs are 0-23.
//   Local APIC NMI: every processor (UID 0xff), LINT1, flags 0 ("conforms to the bus"). Linux
//     only checks that it says LINT1; it is the ACPI twin of the MP table's LINT1 entry.
//   Processor UIDs: vCPU n gets ACPI UID n and APIC id n (KVM's numbering, as in mptable.h).
//
// A trap for the VMM (not for these tables). KVM's in-kernel PIC starts unprogrammed: vector
// base 0, nothing masked. If vCPU 0's LINT0 is left as unmasked ExtINT (local_apic.h's virtual wire
// mode), Linux keeps it so (setup_local_APIC keeps an unmasked LINT0 on the BSP), and since
// hardware-reduced Linux never masks the PIC, an interrupt on KVM line n < 16 (the disk's GSI 5,
// the UART's 4) would also arrive through the PIC as CPU exception vector n. With ACPI, leave
// LINT0 masked, or program KVM's PIC (KVM_SET_IRQCHIP: masked, vectors 0x20+) before booting.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/result.h"
#include "hypervisor/boot/linux_layout.h"
#include "hypervisor/kvm/guest_memory.h"

namespace deploylab::hv {

// The area the tables may use: 0xe0000-0xeffff with the default base. All of it must be RAM (the
// e820 map marks it reserved, so the kernel leaves it alone).
inline constexpr std::uint64_t kAcpiTablesSize = 0x10000;

// KVM's in-kernel I/O APIC has 24 input pins: GSIs 0-23.
inline constexpr std::uint32_t kIoApicPins = 24;

// One virtio-mmio transport: its register page and its interrupt (see devices/virtio_mmio.h).
struct AcpiVirtioDevice {
  std::uint64_t address = 0;  // guest-physical, below 4 GiB (Memory32Fixed)
  std::uint64_t size = 0;     // bytes, e.g. 0x1000
  std::uint32_t gsi = 0;      // I/O APIC input, < kIoApicPins; level-triggered, active high
};

// One 16550 UART: 8 I/O ports from `port`, edge-triggered interrupt on `gsi` (as on ISA).
struct AcpiSerialPort {
  std::uint16_t port = 0;
  std::uint32_t gsi = 0;
};

// The two 8-bit registers through which a hardware-reduced ACPI machine is put to sleep or powered
// off (FADT SLEEP_CONTROL_REG at `port`, SLEEP_STATUS_REG at `port` + 1), plus `\_S5` in the
// DSDT. The kernel's power-off writes (kSleepTypeS5 << 2) | SLP_EN to the control register:
// minivmm's AcpiSleepControl device (hypervisor/devices/acpi_sleep.h) stops the VM there.
struct AcpiSleepRegisters {
  std::uint16_t port = 0;
};
inline constexpr std::uint8_t kSleepTypeS5 = 5;  // the SLP_TYP value \_S5 tells the kernel to use

struct AcpiConfig {
  std::uint64_t base = linux_layout::kAcpiTables;  // 16-byte aligned: the RSDP goes here
  std::uint64_t area_size = kAcpiTablesSize;       // the tables must fit in [base, base + this)
  int vcpus = 1;                                   // 1 .. kMaxVcpus (mptable.h)
  std::uint64_t io_apic_address = linux_layout::kIoApic;
  std::uint8_t io_apic_id = 1;                     // mp_io_apic_id(vcpus): after the CPUs' ids
  std::vector<AcpiVirtioDevice> virtio_devices;    // become \_SB.VR00, VR01, ...
  std::vector<AcpiSerialPort> serial_ports;        // become \_SB.COM1, COM2, ...
  std::optional<AcpiSleepRegisters> sleep;         // power-off support (\_S5), or none
};

// Table signatures and revisions (ACPI 6.4).
inline constexpr char kRsdpSignature[] = "RSD PTR ";
inline constexpr std::uint8_t kRsdpRevision = 2;       // ACPI 2.0+: has the XSDT address
inline constexpr std::uint64_t kRsdpSize = 36;
inline constexpr std::uint64_t kRsdpV1Size = 20;       // what the first checksum covers
inline constexpr std::uint64_t kTableHeaderSize = 36;
inline constexpr std::uint8_t kXsdtRevision = 1;
inline constexpr std::uint8_t kFadtRevision = 6;
inline constexpr std::uint8_t kFadtMinorRevision = 4;  // 6.4
inline constexpr std::uint8_t kMadtRevision = 5;       // ACPI 6.3 and later
inline constexpr std::uint8_t kDsdtRevision = 2;       // 2 and up: AML integers are 64 bits

// FADT fields the tests and the curious look at (byte offsets from the table's start).
inline constexpr std::uint64_t kFadtSize = 276;
inline constexpr std::uint64_t kFadtDsdt = 40;              // u32
inline constexpr std::uint64_t kFadtBootArch = 109;          // u16 IAPC_BOOT_ARCH
inline constexpr std::uint64_t kFadtFlags = 112;             // u32
inline constexpr std::uint64_t kFadtMinorVersion = 131;      // u8
inline constexpr std::uint64_t kFadtXDsdt = 140;             // u64
inline constexpr std::uint64_t kFadtSleepControl = 244;      // GAS (12 bytes)
inline constexpr std::uint64_t kFadtSleepStatus = 256;       // GAS (12 bytes)
inline constexpr std::uint64_t kFadtHypervisorVendor = 268;  // u64, 8 ASCII characters

inline constexpr std::uint32_t kFadtPowerButton = 1u << 4;   // no fixed power button
inline constexpr std::uint32_t kFadtSleepButton = 1u << 5;   // no fixed sleep button
inline constexpr std::uint32_t kFadtHwReducedAcpi = 1u << 20;

inline constexpr std::uint16_t kBootArchLegacyDevices = 1u << 0;
inline constexpr std::uint16_t kBootArch8042 = 1u << 1;
inline constexpr std::uint16_t kBootArchNoVga = 1u << 2;
inline constexpr std::uint16_t kBootArchNoCmosRtc = 1u << 5;

// MADT: header, then entries of (type, length, ...).
inline constexpr std::uint64_t kMadtEntries = 44;  // after the header, LAPIC address and flags
inline constexpr std::uint8_t kMadtLocalApic = 0;     // 8 bytes: UID, APIC id, flags (1: enabled)
inline constexpr std::uint8_t kMadtIoApic = 1;        // 12 bytes: id, 0, address, GSI base
inline constexpr std::uint8_t kMadtLocalApicNmi = 4;  // 6 bytes: UID (0xff all), flags, LINT#
inline constexpr std::uint32_t kMadtPcatCompat = 1u << 0;

// The _HIDs we give devices: virtio-mmio (Linaro's id, which virtio_mmio.ko matches) and a
// 16550-compatible UART (which the 8250 driver's PnP part matches).
inline constexpr char kVirtioMmioHid[] = "LNRO0005";
inline constexpr char kSerialHid[] = "PNP0501";

// Writes RSDP, XSDT, FADT, MADT and DSDT into [config.base, config.base + config.area_size) and
// returns the RSDP's guest-physical address (config.base), for boot_params.acpi_rsdp_addr.
// Fails, writing nothing, when: vcpus is outside 1 .. kMaxVcpus; base is not 16-byte aligned or
// the area reaches above 4 GiB; the area is not all RAM; the I/O APIC id collides with a CPU's;
// a device is above 4 GiB, has size 0, or uses a GSI >= kIoApicPins or one another device uses;
// there are more than 256 virtio-mmio devices or 4 serial ports; or the tables do not fit.
Result<std::uint64_t> write_acpi_tables(const GuestMemory& memory, const AcpiConfig& config);

}  // namespace deploylab::hv
