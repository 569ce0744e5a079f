// hypervisor/devices/irq_line.h: IrqLine, the wire from a device to the interrupt controller
// (lab 04).
//
// A device on a PC raises an interrupt by driving its line (IRQ 4 for COM1) high; the interrupt
// controller (the PIC or I/O APIC, which KVM emulates in the kernel when the VMM asks for
// KVM_CREATE_IRQCHIP) turns that into an interrupt vector for a vCPU. In minivmm the "wire" is
// the KVM_IRQ_LINE ioctl: the machine (hypervisor/vmm/linux_machine.h) connects each device's
// IrqLine to it. Tests connect it to a recorder instead, so devices are tested without KVM.
//
// The line remembers its level and only calls out when it changes, so a device may simply say
// set(interrupt_pending()) after every register access. For an edge-triggered ISA line such as
// the UART's, the controller sees an interrupt on each low-to-high change.
//
// Not thread-safe by itself: a device calls set() while holding its own lock.
#pragma once

#include <cstdint>
#include <functional>
#include <utility>

namespace deploylab::hv {

class IrqLine {
 public:
  using Setter = std::function<void(std::uint32_t irq, bool high)>;

  IrqLine() = default;  // not connected: set() only remembers the level
  IrqLine(std::uint32_t irq, Setter setter) : irq_(irq), setter_(std::move(setter)) {}

  void set(bool high) {
    if (high == high_) return;
    high_ = high;
    if (setter_) setter_(irq_, high);
  }
  bool high() const { return high_; }
  std::uint32_t number() const { return irq_; }

 private:
  std::uint32_t irq_ = 0;
  Setter setter_;
  bool high_ = false;
};

}  // namespace deploylab::hv
