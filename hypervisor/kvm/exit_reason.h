// hypervisor/kvm/exit_reason.h: words for the numbers KVM_RUN leaves in kvm_run.
//
// When KVM_RUN returns, kvm_run::exit_reason says why (KVM_EXIT_IO, KVM_EXIT_HLT, ...). Some
// reasons carry a second number from the hardware or from KVM that only makes sense with the
// manual open: the VMX exit reason of a failed VM entry, the sub-error of an internal error.
// These functions turn those numbers into a sentence a student can act on. Pure: no /dev/kvm.
#pragma once

#include <cstdint>
#include <string>

namespace deploylab::hv {

// "KVM_EXIT_IO" for 2; "exit reason 99" for a number this table does not know.
std::string exit_reason_name(std::uint32_t reason);

// KVM_EXIT_FAIL_ENTRY: the CPU refused to enter the guest. On Intel the hardware reason is a VMX
// exit reason with bit 31 set ("VM-entry failure"); on AMD it is VMEXIT_INVALID (-1): the VMCB
// holds an illegal state. Says which, and what usually causes it.
std::string describe_entry_failure(std::uint64_t hardware_reason);

// KVM_EXIT_INTERNAL_ERROR: KVM itself could not go on (e.g. it had to emulate an instruction it
// does not know, or an exception hit while delivering another: the guest's IDT is missing).
std::string describe_internal_error(std::uint32_t suberror);

}  // namespace deploylab::hv
