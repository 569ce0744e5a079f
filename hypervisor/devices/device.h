// hypervisor/devices/device.h: what every emulated device is to the VMM: something that answers
// reads and writes at the port or MMIO addresses it claimed on the bus (device_bus.h).
//
// A guest's IN/OUT instruction or a load/store to an address that is not RAM makes the CPU exit to
// KVM, which hands it to us as KVM_EXIT_IO or KVM_EXIT_MMIO. The exit handler (hypervisor/vmm/
// exit_handler.h) turns that into an IoAccess and the bus finds the device. Devices are plain
// objects, so tests drive them with made-up accesses and no /dev/kvm.
#pragma once

#include <linux/kvm.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace deploylab::hv {

enum class AccessKind { read, write };
enum class Space { port, mmio };

// Why a VM stops (rather than one vCPU halting).
struct StopRequest {
  enum class Kind { guest_exit, error } kind = Kind::guest_exit;
  int exit_code = 0;    // guest_exit: the code the guest asked for
  std::string message;  // error: what went wrong, in one line
};

struct IoAccess {
  Space space = Space::port;
  AccessKind kind = AccessKind::read;
  std::uint64_t address = 0;       // the port number, or the guest-physical address
  std::span<std::uint8_t> data;    // read: the device fills it; write: the bytes written
  int vcpu = 0;                    // which vCPU did it
  // The vCPU's general registers when the VMM has them (KVM_CAP_SYNC_REGS), else null. A device
  // that changes them sets registers_changed so the VMM hands them back to KVM.
  kvm_regs* registers = nullptr;
  bool registers_changed = false;
  bool long_mode = false;          // whether the guest runs 64-bit code (else registers are 32-bit)
};

class Device {
 public:
  virtual ~Device() = default;
  virtual std::string name() const = 0;
  // Serves one access at an address this device claimed. Returns a StopRequest to stop the whole
  // VM (the exit hypercall does), nothing to let the guest go on. Called with the bus lock held.
  virtual std::optional<StopRequest> access(IoAccess& access) = 0;
};

}  // namespace deploylab::hv
