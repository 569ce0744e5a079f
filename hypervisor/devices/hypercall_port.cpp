// hypervisor/devices/hypercall_port.cpp: the port-I/O hypercall ABI (see hypercall_port.h).
#include "hypervisor/devices/hypercall_port.h"

#include "common/error.h"  // NotImplemented: what the student kit's stubs throw
#include "hypervisor/guests/abi.h"

namespace deploylab::hv {

HypercallPort::HypercallPort(const GuestMemory& memory, std::shared_ptr<DebugConsole> console)
    : memory_(memory), console_(std::move(console)), start_(std::chrono::steady_clock::now()) {}

std::optional<StopRequest> HypercallPort::access(IoAccess& access) {
  if (access.kind == AccessKind::read) {
    std::fill(access.data.begin(), access.data.end(), 0xff);  // the doorbell is write-only
    return std::nullopt;
  }
  if (access.registers == nullptr) {
    return StopRequest{StopRequest::Kind::error, 1,
                       "hypercall port: the VMM did not pass the vCPU's registers (enable KVM_CAP_SYNC_REGS)"};
  }
  ++calls_;
  auto stop = serve(*access.registers, access.long_mode);
  access.registers_changed = true;
  return stop;
}

std::optional<StopRequest> HypercallPort::serve(kvm_regs& regs, bool long_mode) {
  // Outside 64-bit mode the guest only controls the low 32 bits of each register (as KVM does for
  // VMCALL, we ignore the rest).
  auto arg = [&](std::uint64_t value) { return long_mode ? value : value & 0xffffffffu; };
  // BEGIN SOLUTION lab 2: serve print, get-time and exit; answer anything else with an error
  switch (arg(regs.rax)) {
    case DL_HC_PRINT: {
      std::uint64_t length = arg(regs.rcx);
      auto bytes = length <= kMaxPrint ? memory_.slice(arg(regs.rbx), length) : Error::invalid("too long");
      if (!bytes.ok()) {
        regs.rax = DL_HC_ERROR_UNKNOWN;
        return std::nullopt;
      }
      console_->write(std::string_view(reinterpret_cast<const char*>(bytes.value().data()), length));
      regs.rax = 0;
      return std::nullopt;
    }
    case DL_HC_GET_TIME:
      regs.rax = static_cast<std::uint64_t>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start_).count());
      return std::nullopt;
    case DL_HC_EXIT:
      return StopRequest{StopRequest::Kind::guest_exit, static_cast<int>(arg(regs.rbx) & 0xff), {}};
    default:
      regs.rax = DL_HC_ERROR_UNKNOWN;
      return std::nullopt;
  }
  // END SOLUTION
}

}  // namespace deploylab::hv
