// hypervisor/vmm/exit_handler.h: what to do about one VM exit. The heart of lab 02.
//
// KVM_RUN came back; kvm_run says why. handle_exit() reads it, sends port and MMIO accesses to the
// device bus, answers hypercalls, counts the exit, and tells the exit loop (exit_loop.h) what to
// do next: run the guest again, stop this vCPU (it halted), or stop the VM (an error or the guest
// asked to exit). It touches nothing but its arguments: no ioctl, no /dev/kvm. That is what makes
// it testable: a test fills a kvm_run by hand with the exit it wants and checks the verdict, the
// way Firecracker's run_emulation() tests feed it fake exits.
//
// Inputs it may change: the data area of an IN or MMIO read (the device's answer goes there, and
// KVM completes the instruction with it on the next KVM_RUN), the synced registers (a port
// hypercall's result; kvm_dirty_regs tells KVM), and kvm_run::hypercall.ret.
#pragma once

#include <linux/kvm.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "hypervisor/devices/device_bus.h"
#include "hypervisor/vmm/exit_stats.h"

namespace deploylab::hv {

enum class UnclaimedMmio { stop, ignore };

// A hypercall the guest made with VMCALL/VMMCALL that KVM passed on to us (KVM_EXIT_HYPERCALL).
struct KvmHypercall {
  std::uint64_t number = 0;
  std::array<std::uint64_t, 6> args{};
};

// Everything handling an exit may use, owned by the caller.
struct ExitContext {
  DeviceBus& bus;
  ExitStats& stats;
  std::vector<KvmHypercall>& kvm_hypercalls;
  int vcpu = 0;
  bool long_mode = false;  // the guest runs 64-bit code: hypercall arguments are 64-bit
  UnclaimedMmio unclaimed_mmio = UnclaimedMmio::stop;
  // The RIP at this vCPU's previous exit (0: none yet), kept by handle_exit() for crash reports:
  // on AMD, KVM resets a vCPU that triple-faulted before telling us, so its RIP is then 0xfff0.
  std::uint64_t previous_rip = 0;
};

enum class Next { resume, halt_vcpu, stop_vm };

struct Verdict {
  Next next = Next::resume;
  ExitKind kind = ExitKind::other;
  StopRequest stop;  // when next == stop_vm: why
};

// Handles the exit described by `run`, whose mapped area is `run_size` bytes long.
Verdict handle_exit(kvm_run& run, std::size_t run_size, ExitContext& context);

}  // namespace deploylab::hv
