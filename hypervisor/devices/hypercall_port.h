// hypervisor/devices/hypercall_port.h: hypercalls over port I/O, served by the VMM in userspace
// (lab 02, the first of three ways a guest can call its hypervisor).
//
// The guest puts a call number and arguments in registers and writes to the doorbell port 0xea
// (abi.h has the ABI). The OUT exits to us; we read the registers that KVM copied into kvm_run,
// do the work, and leave the result in RAX. This is how simple VMMs and many paravirtual devices
// talk to their guests: no special instruction, just an exit every VMM already handles.
//
// The calls: print a string from guest memory, read the VM's clock, and stop the VM with an exit
// code. An unknown number answers DL_HC_ERROR_UNKNOWN, like a syscall answering ENOSYS.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "hypervisor/devices/debug_console.h"
#include "hypervisor/devices/device.h"
#include "hypervisor/kvm/guest_memory.h"

namespace deploylab::hv {

class HypercallPort : public Device {
 public:
  // The longest string DL_HC_PRINT accepts; longer requests are an error the guest sees in RAX.
  static constexpr std::uint64_t kMaxPrint = 4096;

  HypercallPort(const GuestMemory& memory, std::shared_ptr<DebugConsole> console);

  std::string name() const override { return "hypercall port"; }
  std::optional<StopRequest> access(IoAccess& access) override;

  std::uint64_t calls() const { return calls_; }

 private:
  std::optional<StopRequest> serve(kvm_regs& regs, bool long_mode);

  const GuestMemory& memory_;
  std::shared_ptr<DebugConsole> console_;
  std::chrono::steady_clock::time_point start_;
  std::uint64_t calls_ = 0;
};

}  // namespace deploylab::hv
