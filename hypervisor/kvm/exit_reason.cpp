// hypervisor/kvm/exit_reason.cpp: names and explanations of KVM exit codes (see exit_reason.h).
#include "hypervisor/kvm/exit_reason.h"

#include <linux/kvm.h>

#include <array>
#include <utility>

#include "hypervisor/kvm/guest_memory.h"

namespace deploylab::hv {

std::string exit_reason_name(std::uint32_t reason) {
  static constexpr std::array<std::pair<std::uint32_t, const char*>, 16> kNames{{
      {KVM_EXIT_UNKNOWN, "KVM_EXIT_UNKNOWN"},
      {KVM_EXIT_EXCEPTION, "KVM_EXIT_EXCEPTION"},
      {KVM_EXIT_IO, "KVM_EXIT_IO"},
      {KVM_EXIT_HYPERCALL, "KVM_EXIT_HYPERCALL"},
      {KVM_EXIT_DEBUG, "KVM_EXIT_DEBUG"},
      {KVM_EXIT_HLT, "KVM_EXIT_HLT"},
      {KVM_EXIT_MMIO, "KVM_EXIT_MMIO"},
      {KVM_EXIT_IRQ_WINDOW_OPEN, "KVM_EXIT_IRQ_WINDOW_OPEN"},
      {KVM_EXIT_SHUTDOWN, "KVM_EXIT_SHUTDOWN"},
      {KVM_EXIT_FAIL_ENTRY, "KVM_EXIT_FAIL_ENTRY"},
      {KVM_EXIT_INTR, "KVM_EXIT_INTR"},
      {KVM_EXIT_NMI, "KVM_EXIT_NMI"},
      {KVM_EXIT_INTERNAL_ERROR, "KVM_EXIT_INTERNAL_ERROR"},
      {KVM_EXIT_SYSTEM_EVENT, "KVM_EXIT_SYSTEM_EVENT"},
      {KVM_EXIT_X86_RDMSR, "KVM_EXIT_X86_RDMSR"},
      {KVM_EXIT_X86_WRMSR, "KVM_EXIT_X86_WRMSR"},
  }};
  for (const auto& [number, name] : kNames) {
    if (number == reason) return name;
  }
  return "exit reason " + std::to_string(reason);
}

namespace {

// The VMX basic exit reasons that can end a VM entry (Intel SDM vol. 3, appendix C).
std::string describe_vmx_entry_failure(std::uint32_t basic) {
  switch (basic) {
    case 33:
      return "invalid guest state (VMX exit reason 33): a segment, control register or RFLAGS value "
             "breaks the rules for entering the guest; check the sregs you set (e.g. CS type, CR0.PE vs. "
             "CR0.PG, EFER.LMA vs. CS.L)";
    case 34:
      return "MSR loading failed (VMX exit reason 34): an MSR value given to the guest is invalid";
    case 41:
      return "machine-check event during VM entry (VMX exit reason 41): a hardware problem";
    default:
      return "VMX exit reason " + std::to_string(basic) + " during VM entry";
  }
}

}  // namespace

std::string describe_entry_failure(std::uint64_t hardware_reason) {
  // AMD reports VMEXIT_INVALID, -1 as an unsigned 64-bit number.
  if (hardware_reason == ~std::uint64_t{0}) {
    return "VMRUN found an illegal guest state (SVM VMEXIT_INVALID): check the sregs you set (segments, "
           "CR0/CR4/EFER consistency)";
  }
  constexpr std::uint64_t kEntryFailureBit = 1ull << 31;
  if (hardware_reason & kEntryFailureBit) {
    return describe_vmx_entry_failure(static_cast<std::uint32_t>(hardware_reason & 0xffff));
  }
  return "hardware entry failure reason " + hex(hardware_reason);
}

std::string describe_internal_error(std::uint32_t suberror) {
  switch (suberror) {
    case KVM_INTERNAL_ERROR_EMULATION:
      return "KVM could not emulate an instruction (KVM_INTERNAL_ERROR_EMULATION): the guest ran "
             "something KVM's emulator does not handle, often code executing from MMIO or garbage";
    case KVM_INTERNAL_ERROR_SIMUL_EX:
      return "an exception happened while delivering another (KVM_INTERNAL_ERROR_SIMUL_EX)";
    case KVM_INTERNAL_ERROR_DELIVERY_EV:
      return "KVM could not deliver an event to the guest (KVM_INTERNAL_ERROR_DELIVERY_EV): the guest's "
             "IDT or page tables point at memory that is not RAM";
    case KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON:
      return "the hardware exited for a reason KVM does not handle "
             "(KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON)";
    default:
      return "KVM internal error, sub-error " + std::to_string(suberror);
  }
}

}  // namespace deploylab::hv
