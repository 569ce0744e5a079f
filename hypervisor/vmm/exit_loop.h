// hypervisor/vmm/exit_loop.h: run one vCPU until it halts or the VM must stop (lab 02).
//
// The loop every VMM has at its centre (kvmtool's kvm_cpu__start, Firecracker's run_emulation):
//
//   loop: KVM_RUN -> the guest runs until an exit KVM leaves to us -> handle_exit() -> again
//
// This file is the I/O half (the ioctl, kicks, fetching registers for a crash report); the
// decisions are in exit_handler.h, where tests can reach them without /dev/kvm.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "common/result.h"
#include "hypervisor/kvm/vcpu.h"
#include "hypervisor/vmm/exit_handler.h"

namespace deploylab::hv {

struct VcpuLoopOptions {
  bool long_mode = false;
  UnclaimedMmio unclaimed_mmio = UnclaimedMmio::stop;
};

// How one vCPU's run ended.
struct VcpuOutcome {
  enum class End { halted, stop_vm, stopped } end = End::halted;  // stopped: the VM told it to
  StopRequest stop;              // end == stop_vm: why
  std::string register_dump;     // when the guest crashed or KVM gave up on it
  std::uint64_t last_rip = 0;
  ExitStats stats;
  std::vector<KvmHypercall> kvm_hypercalls;
};

// Runs `vcpu` until it halts, something stops the VM, or `stop_requested` becomes true (the caller
// then kicks the vCPU so KVM_RUN returns). The bus is shared with the other vCPUs.
Result<VcpuOutcome> run_vcpu(Vcpu& vcpu, DeviceBus& bus, const VcpuLoopOptions& options,
                             const std::atomic<bool>& stop_requested);

}  // namespace deploylab::hv
