// hypervisor/minivmm/exit_bench.h: measuring what a VM exit costs (`minivmm bench-exits`).
//
// Five round trips are timed side by side, in one run, batch after batch interleaved so that a
// noisy neighbour slows all of them alike:
//   a host function call and a host syscall (getpid): the yardsticks;
//   a hypercall KVM answers inside the kernel: guest -> KVM -> guest, no userspace;
//   a port write and an MMIO write that exit to minivmm: guest -> KVM -> minivmm -> KVM -> guest;
//   the same port write with a bare KVM_RUN loop that does nothing but re-enter, to show what
//   minivmm's own dispatch (exit_handler.h) adds.
// Each guest batch is one run of a bench guest (hypervisor/guests/bench_*.S) that loops RCX times;
// the exits counted at the end must equal RCX, so a broken guest cannot produce a number.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "common/result.h"
#include "hypervisor/minivmm/exit_bench_report.h"

namespace deploylab::hv {

struct BenchOptions {
  std::string kvm_device = "/dev/kvm";
  std::string guest_dir;                       // where bench_*.bin are
  int repeats = 15;                            // batches per row
  std::uint64_t iterations = 0;                // round trips per batch; 0: calibrate to batch_target
  std::chrono::milliseconds batch_target{20};
  bool kernel_hypercall = true;                // false: skip it (it hangs KVM_RUN under kvm_pvm)
  std::string skip_reason;                     // said in the report when kernel_hypercall is false
  std::string virtualization;                  // what to call this machine's KVM in the report
};

Result<BenchReport> run_exit_bench(const BenchOptions& options);

}  // namespace deploylab::hv
