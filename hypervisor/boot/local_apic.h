// hypervisor/boot/local_apic.h: reading and changing a vCPU's local APIC registers as KVM hands
// them over, and the "virtual wire" setup a PC BIOS leaves the boot CPU in (lab 04).
//
// Part of boot/, next to mptable.h (which tells Linux the same wiring in a table) and
// guest_msrs.h. Pure functions over struct kvm_lapic_state: the VMM gets it with KVM_GET_LAPIC,
// changes it here and gives it back with KVM_SET_LAPIC, so the tests need no /dev/kvm.
//
// The local APIC. Every x86 CPU has an interrupt controller of its own, the local APIC, which takes
// interrupts from the I/O APIC, from other CPUs (IPIs), from its own timer, and from two pins,
// LINT0 and LINT1. Software sees it as 4 KiB of memory-mapped registers at 0xfee00000, 32 bits each
// on a 16-byte stride. KVM_GET_LAPIC returns the first KiB of that page, the part holding
// registers, as `char regs[1024]`: register R sits at byte offset R, little-endian, exactly where
// the guest would read it.
//
// Local vector table (LVT) entries. One register per local interrupt source (timer, LINT0,
// LINT1, error, ...) says what to do when it fires:
//   bits 7:0   vector (for "fixed" delivery)
//   bits 10:8  delivery mode: 000 fixed, 010 SMI, 100 NMI, 111 ExtINT (ask the 8259 PIC for the
//              vector, as if the CPU's INTR pin had been raised)
//   bit 12     delivery status (read-only)   bit 13  pin polarity   bit 14  remote IRR (read-only)
//   bit 15     trigger mode (level = 1)      bit 16  mask: 1 = ignore this source
// After reset every LVT entry is masked, including LINT0, which is where a PC wires the PIC.
//
// Virtual wire mode. The MP table says the boot CPU starts in "virtual wire mode" (feature byte 2,
// see mptable.h): the PIC's interrupt output reaches the CPU through LINT0 programmed as ExtINT,
// and the NMI line through LINT1 programmed as NMI. A PC BIOS programs the BSP's LVT this way
// before it starts the OS, and Linux relies on it: until it has set up the I/O APIC, interrupts
// from the PIC (the timer's, early on) must reach the CPU. With LINT0 left masked, KVM delivers
// no PIC interrupt to the vCPU at all (KVM accepts a PIC interrupt only when LINT0 is unmasked
// ExtINT, or when the APIC is hardware-disabled in the IA32_APIC_BASE MSR). Apply it to vCPU 0 only: the application
// processors start with masked LVTs on a PC too, and Linux never routes the PIC to them.
//
// Left alone: the spurious-interrupt register's "APIC software enable" bit (Linux enables the
// APIC itself when it sets it up), and every LVT bit except delivery mode and mask.
#pragma once

#include <linux/kvm.h>

#include <cstdint>

namespace deploylab::hv {

// Register offsets in the local APIC page (Intel SDM vol. 3A, "Local APIC Register Address Map").
inline constexpr std::uint32_t kLapicId = 0x20;            // bits 31:24: the xAPIC id
inline constexpr std::uint32_t kLapicVersion = 0x30;
inline constexpr std::uint32_t kLapicSpuriousVector = 0xf0;
inline constexpr std::uint32_t kLapicLvtTimer = 0x320;
inline constexpr std::uint32_t kLapicLvtLint0 = 0x350;
inline constexpr std::uint32_t kLapicLvtLint1 = 0x360;
inline constexpr std::uint32_t kLapicLvtError = 0x370;

// LVT entry fields.
inline constexpr std::uint32_t kLvtDeliveryModeMask = 0x7u << 8;
inline constexpr std::uint32_t kLvtDeliveryFixed = 0x0u << 8;
inline constexpr std::uint32_t kLvtDeliveryNmi = 0x4u << 8;
inline constexpr std::uint32_t kLvtDeliveryExtInt = 0x7u << 8;
inline constexpr std::uint32_t kLvtMasked = 1u << 16;

// The 32-bit register at byte `offset` of the page. `offset` must be 16-byte aligned and inside the
// 1 KiB KVM returns; anything else is a bug in the caller and throws ErrorException.
std::uint32_t lapic_register(const kvm_lapic_state& state, std::uint32_t offset);
void set_lapic_register(kvm_lapic_state& state, std::uint32_t offset, std::uint32_t value);

// The xAPIC id (ID register bits 31:24). KVM gives vCPU n the id n, which the MP table and CPUID
// leaf 1 must repeat.
std::uint8_t lapic_id(const kvm_lapic_state& state);

// `state` with LINT0 = ExtINT and LINT1 = NMI, both unmasked, all their other bits and all other
// registers unchanged: the boot CPU as a PC BIOS leaves it (see above).
kvm_lapic_state virtual_wire_mode(kvm_lapic_state state);

// `state` with LINT0 = ExtINT but masked, and LINT1 = NMI unmasked: the boot CPU of a machine
// without a PIC, as minivmm's hardware-reduced ACPI describes it (acpi_tables.h). Linux then never
// programs KVM's in-kernel PIC, whose vector base stays 0: with LINT0 unmasked, a device's line
// (IRQ 4 of the UART, IRQ 5 of the disk) would also arrive through it as CPU exception 4 or 5.
// Linux keeps a masked LINT0 masked.
kvm_lapic_state without_legacy_pic(kvm_lapic_state state);

}  // namespace deploylab::hv
