// hypervisor/vmm/exit_handler.cpp: one exit in, one verdict out (see exit_handler.h).
#include "hypervisor/vmm/exit_handler.h"

#include "common/error.h"  // NotImplemented: what the student kit's stubs throw
#include "hypervisor/guests/abi.h"
#include "hypervisor/kvm/exit_reason.h"
#include "hypervisor/kvm/guest_memory.h"

namespace deploylab::hv {

namespace {

Verdict stop_with_error(ExitKind kind, std::string message) {
  return Verdict{Next::stop_vm, kind, StopRequest{StopRequest::Kind::error, 1, std::move(message)}};
}

// The registers KVM copied into kvm_run at this exit, if we asked for them (KVM_CAP_SYNC_REGS).
kvm_regs* synced_registers(kvm_run& run) {
  return (run.kvm_valid_regs & KVM_SYNC_X86_REGS) ? &run.s.regs.regs : nullptr;
}

std::string at_rip(kvm_run& run) {
  kvm_regs* regs = synced_registers(run);
  return regs == nullptr ? "" : " (RIP " + hex(regs->rip) + ")";
}

std::string previous_exit(const ExitContext& context) {
  if (context.previous_rip == 0) return "";
  return " (its previous exit was at RIP " + hex(context.previous_rip) + "; on AMD the registers show the reset state)";
}

// Sends one access to the bus, with the vCPU's registers, and hands changed registers back to KVM.
BusResult send_to_bus(kvm_run& run, IoAccess& access, ExitContext& context) {
  access.vcpu = context.vcpu;
  access.registers = synced_registers(run);
  access.long_mode = context.long_mode;
  BusResult result = context.bus.dispatch(access);
  if (access.registers_changed) run.kvm_dirty_regs |= KVM_SYNC_X86_REGS;
  return result;
}

Verdict verdict_of(const BusResult& result, ExitKind kind) {
  if (result.stop) return Verdict{Next::stop_vm, kind, *result.stop};
  return Verdict{Next::resume, kind, {}};
}

Verdict handle_io(kvm_run& run, std::size_t run_size, ExitContext& context) {
  bool in = run.io.direction == KVM_EXIT_IO_IN;
  ExitKind kind = in ? ExitKind::io_in : ExitKind::io_out;
  std::uint64_t bytes = std::uint64_t{run.io.size} * run.io.count;
  if (run.io.data_offset > run_size || bytes > run_size - run.io.data_offset) {
    return stop_with_error(kind, "KVM_EXIT_IO data lies outside the kvm_run area (offset " + hex(run.io.data_offset) + ")");
  }
  // BEGIN SOLUTION lab 2: hand each element of the port access to the bus
  // A string instruction (REP OUTSB) arrives as `count` elements of `size` bytes, one after another.
  auto* data = reinterpret_cast<std::uint8_t*>(&run) + run.io.data_offset;
  Verdict verdict{Next::resume, kind, {}};
  for (std::uint32_t i = 0; i < run.io.count && verdict.next == Next::resume; ++i) {
    IoAccess access{Space::port, in ? AccessKind::read : AccessKind::write, run.io.port,
                    std::span<std::uint8_t>(data + std::size_t{i} * run.io.size, run.io.size)};
    verdict = verdict_of(send_to_bus(run, access, context), kind);
  }
  return verdict;
  // END SOLUTION
}

Verdict handle_mmio(kvm_run& run, ExitContext& context) {
  ExitKind kind = run.mmio.is_write ? ExitKind::mmio_write : ExitKind::mmio_read;
  if (run.mmio.len > sizeof run.mmio.data) return stop_with_error(kind, "KVM_EXIT_MMIO longer than 8 bytes");
  // BEGIN SOLUTION lab 2: send the MMIO access to the bus; an unclaimed one is an error by default
  IoAccess access{Space::mmio, run.mmio.is_write ? AccessKind::write : AccessKind::read, run.mmio.phys_addr,
                  std::span<std::uint8_t>(run.mmio.data, run.mmio.len)};
  BusResult result = send_to_bus(run, access, context);
  if (result.claimed || context.unclaimed_mmio == UnclaimedMmio::ignore) return verdict_of(result, kind);
  return stop_with_error(kind, "vcpu " + std::to_string(context.vcpu) + (run.mmio.is_write ? " wrote " : " read ") +
                                   std::to_string(run.mmio.len) + " bytes at guest-physical " + hex(run.mmio.phys_addr) +
                                   at_rip(run) + ", which is neither RAM nor a device: a wild pointer in the guest, or "
                                   "a device the VMM does not emulate");
  // END SOLUTION
}

// VMCALL/VMMCALL that KVM did not answer itself because we asked for it (KVM_CAP_EXIT_HYPERCALL).
Verdict handle_hypercall(kvm_run& run, ExitContext& context) {
  // BEGIN SOLUTION lab 2: record a KVM_EXIT_HYPERCALL and answer it
  KvmHypercall call{run.hypercall.nr, {}};
  std::copy(std::begin(run.hypercall.args), std::end(run.hypercall.args), call.args.begin());
  context.kvm_hypercalls.push_back(call);
  // The only one KVM forwards is KVM_HC_MAP_GPA_RANGE (a confidential guest telling the host which
  // pages it shares). We own no encrypted memory, so accept it; other numbers get -KVM_ENOSYS.
  run.hypercall.ret = call.number == DL_KVM_HC_MAP_GPA_RANGE ? 0 : static_cast<std::uint64_t>(-DL_KVM_ENOSYS);
  return Verdict{Next::resume, ExitKind::hypercall, {}};
  // END SOLUTION
}

Verdict dispatch_by_reason(kvm_run& run, std::size_t run_size, ExitContext& context) {
  // BEGIN SOLUTION lab 2: dispatch on the exit reason
  switch (run.exit_reason) {
    case KVM_EXIT_IO:
      return handle_io(run, run_size, context);
    case KVM_EXIT_MMIO:
      return handle_mmio(run, context);
    case KVM_EXIT_HLT:
      return Verdict{Next::halt_vcpu, ExitKind::hlt, {}};
    case KVM_EXIT_HYPERCALL:
      return handle_hypercall(run, context);
    case KVM_EXIT_SHUTDOWN:
      return stop_with_error(ExitKind::shutdown,
                             "vcpu " + std::to_string(context.vcpu) + " shut down" + at_rip(run) +
                                 ": a triple fault, i.e. an exception while handling an exception; with no IDT "
                                 "every exception ends here" + previous_exit(context));
    case KVM_EXIT_FAIL_ENTRY:
      return stop_with_error(ExitKind::fail_entry,
                             "KVM could not enter the guest: " +
                                 describe_entry_failure(run.fail_entry.hardware_entry_failure_reason));
    case KVM_EXIT_INTERNAL_ERROR:
      return stop_with_error(ExitKind::internal_error, describe_internal_error(run.internal.suberror) + at_rip(run));
    case KVM_EXIT_SYSTEM_EVENT:
      return stop_with_error(ExitKind::system_event, "the guest asked for a system event (reset or power off), type " +
                                                         std::to_string(run.system_event.type));
    default:
      return stop_with_error(ExitKind::other, "minivmm does not handle " + exit_reason_name(run.exit_reason) + at_rip(run));
  }
  // END SOLUTION
}

}  // namespace

Verdict handle_exit(kvm_run& run, std::size_t run_size, ExitContext& context) {
  Verdict verdict = dispatch_by_reason(run, run_size, context);
  context.stats.add(verdict.kind);
  if (kvm_regs* regs = synced_registers(run)) context.previous_rip = regs->rip;
  return verdict;
}

}  // namespace deploylab::hv
