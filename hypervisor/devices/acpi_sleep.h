// hypervisor/devices/acpi_sleep.h: AcpiSleepControl, the register through which a Linux guest
// powers its machine off (lab 04).
//
// Part of devices/. On a PC the kernel powers off through ACPI: it looks up the sleep type of the
// "soft off" state S5 in the DSDT (\_S5) and writes it, with the SLP_EN bit, to a register the
// FADT names. minivmm's hardware-reduced ACPI tables (hypervisor/boot/acpi_tables.h) name two
// 8-bit I/O ports: the sleep control register (linux_layout::kAcpiSleepPort) and the sleep status
// register after it. A write of SLP_TYP = 5 with SLP_EN to the control register is the guest
// saying "off": the device asks the VMM to stop, the way pressing the power switch's wire would.
//
//   control register:  bit 5 SLP_EN (go to sleep now), bits 4:2 SLP_TYP (which state)
//   status register:   bit 7 WAK_STS (the machine woke up); reads 0, writes are ignored
//
// Without this device (or booted with acpi=off) Linux turns `poweroff` into a halt: it prints
// "reboot: System halted" and stops its CPUs, and the VMM only learns it from the console
// (hypervisor/vmm/kernel_console.h).
#pragma once

#include <cstdint>

#include "hypervisor/devices/device.h"

namespace deploylab::hv {

inline constexpr std::uint8_t kSleepEnable = 1u << 5;
inline constexpr std::uint8_t kSleepTypeShift = 2;
inline constexpr std::uint8_t kSleepTypeMask = 0x7u << kSleepTypeShift;

class AcpiSleepControl : public Device {
 public:
  // `base`: the control register's port; the status register is base + 1. `soft_off_type` is
  // the SLP_TYP the DSDT's \_S5 gives.
  AcpiSleepControl(std::uint16_t base, std::uint8_t soft_off_type) : base_(base), soft_off_type_(soft_off_type) {}

  std::string name() const override { return "ACPI sleep control"; }
  // A control write of SLP_EN with the soft-off type stops the VM as a guest exit with code 0.
  // Other sleep states are not offered (the DSDT has only \_S5) and are ignored with a log line.
  std::optional<StopRequest> access(IoAccess& access) override;

 private:
  std::uint16_t base_;
  std::uint8_t soft_off_type_;
};

}  // namespace deploylab::hv
