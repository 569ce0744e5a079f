// hypervisor/vmm/exit_loop.cpp: KVM_RUN in a loop (see exit_loop.h).
#include "hypervisor/vmm/exit_loop.h"

#include "common/error.h"  // NotImplemented: what the student kit's stubs throw
#include "hypervisor/vmm/register_dump.h"

namespace deploylab::hv {

namespace {

// Fills in what a crash report needs. Best effort: a vCPU KVM gave up on may refuse even this.
void describe_crash(const Vcpu& vcpu, VcpuOutcome& outcome) {
  auto regs = vcpu.regs();
  auto sregs = vcpu.sregs();
  if (!regs.ok() || !sregs.ok()) return;
  outcome.last_rip = regs.value().rip;
  outcome.register_dump = format_register_dump(regs.value(), sregs.value());
}

}  // namespace

Result<VcpuOutcome> run_vcpu(Vcpu& vcpu, DeviceBus& bus, const VcpuLoopOptions& options,
                             const std::atomic<bool>& stop_requested) {
  VcpuOutcome outcome;
  ExitContext context{bus, outcome.stats, outcome.kvm_hypercalls, vcpu.id(), options.long_mode,
                      options.unclaimed_mmio};
  vcpu.sync_registers_through_kvm_run(true);
  // BEGIN SOLUTION lab 2: the exit loop: run, handle the exit, repeat until halt or stop
  while (!stop_requested.load()) {
    if (DL_TRY(vcpu.run_once()) == RunStatus::interrupted) {
      outcome.stats.add(ExitKind::interrupted);
      continue;
    }
    Verdict verdict = handle_exit(*vcpu.run(), vcpu.run_size(), context);
    if (verdict.next == Next::resume) continue;
    outcome.last_rip = vcpu.run()->s.regs.regs.rip;
    if (verdict.next == Next::halt_vcpu) return outcome;
    outcome.end = VcpuOutcome::End::stop_vm;
    outcome.stop = verdict.stop;
    if (verdict.stop.kind == StopRequest::Kind::error) describe_crash(vcpu, outcome);
    return outcome;
  }
  outcome.end = VcpuOutcome::End::stopped;
  return outcome;
  // END SOLUTION
}

}  // namespace deploylab::hv
