// hypervisor/kvm/first_run.cpp: run until HLT, collecting debug-console output (see first_run.h).
#include "hypervisor/kvm/first_run.h"

#include "common/error.h"  // NotImplemented: what the student kit's stubs throw
#include "hypervisor/guests/abi.h"
#include "hypervisor/kvm/exit_reason.h"
#include "hypervisor/kvm/guest_memory.h"

namespace deploylab::hv {

namespace {

// The guest wrote to a port: kvm_run::io says which port, how many bytes, and where the bytes are
// (data_offset, counted from the start of the kvm_run area). Only the debug console is known here.
Result<void> take_port_output(const kvm_run& run, std::string& console) {
  // BEGIN SOLUTION lab 1: copy the bytes of an OUT to the debug console port
  if (run.io.direction != KVM_EXIT_IO_OUT || run.io.port != DL_PORT_DEBUG_CONSOLE) {
    return Error::invalid(std::string("unexpected port ") + (run.io.direction == KVM_EXIT_IO_OUT ? "write to " : "read from ") +
                              hex(run.io.port),
                          "guest", "lab 01 only knows the debug console (port 0xe9); lab 02 adds a device bus");
  }
  const auto* data = reinterpret_cast<const char*>(&run) + run.io.data_offset;
  console.append(data, static_cast<std::size_t>(run.io.size) * run.io.count);
  return {};
  // END SOLUTION
}

}  // namespace

Result<FirstRun> run_until_halt(Vcpu& vcpu, std::uint64_t max_exits) {
  FirstRun result;
  // BEGIN SOLUTION lab 1: run the vCPU until the guest halts
  while (result.exits < max_exits) {
    if (DL_TRY(vcpu.run_once()) == RunStatus::interrupted) continue;
    ++result.exits;
    const kvm_run& run = *vcpu.run();
    if (run.exit_reason == KVM_EXIT_HLT) return result;
    if (run.exit_reason != KVM_EXIT_IO) {
      return Error::invalid("unexpected exit " + exit_reason_name(run.exit_reason), vcpu.name(),
                            "lab 01's loop handles only port output and HLT");
    }
    DL_TRY(take_port_output(run, result.console));
  }
  return Error::invalid("the guest did not halt within " + std::to_string(max_exits) + " exits", vcpu.name(),
                        "a guest must end with HLT");
  // END SOLUTION
}

}  // namespace deploylab::hv
