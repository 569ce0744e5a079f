// hypervisor/kvm/first_run.h: lab 01's exit loop, the smallest one that works: run the vCPU until
// the guest halts, keeping what it writes to the debug console port. Anything else the guest does
// is an error here; lab 02 replaces this with the real exit loop (hypervisor/vmm/exit_loop.h),
// which dispatches every exit reason to devices.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"
#include "hypervisor/kvm/vcpu.h"

namespace deploylab::hv {

struct FirstRun {
  std::string console;     // the bytes the guest wrote to port DL_PORT_DEBUG_CONSOLE
  std::uint64_t exits = 0; // how many times KVM_RUN returned to us, the final HLT included
};

// Runs until KVM_EXIT_HLT. Fails on any other exit, naming it, or after `max_exits` exits (a
// guest that never halts must not hang the caller).
Result<FirstRun> run_until_halt(Vcpu& vcpu, std::uint64_t max_exits = 1'000'000);

}  // namespace deploylab::hv
