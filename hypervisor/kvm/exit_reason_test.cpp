// hypervisor/kvm/exit_reason_test.cpp: the words minivmm prints for KVM's exit numbers: exit
// reason names, failed VM entries on Intel (VMX reasons with bit 31) and AMD (VMEXIT_INVALID), and
// the sub-errors of KVM_EXIT_INTERNAL_ERROR. Pure: no /dev/kvm.
#include "hypervisor/kvm/exit_reason.h"

#include <gtest/gtest.h>
#include <linux/kvm.h>

namespace deploylab::hv {
namespace {

constexpr std::uint64_t kVmEntryFailure = 1ull << 31;

#define EXPECT_MENTIONS(text, part) \
  EXPECT_NE((text).find(part), std::string::npos) << "expected \"" << (part) << "\" in:\n  " << (text)

TEST(ExitReasonName, NamesTheExitsMinivmmSees) {
  EXPECT_EQ(exit_reason_name(KVM_EXIT_IO), "KVM_EXIT_IO");
  EXPECT_EQ(exit_reason_name(KVM_EXIT_HLT), "KVM_EXIT_HLT");
  EXPECT_EQ(exit_reason_name(KVM_EXIT_MMIO), "KVM_EXIT_MMIO");
  EXPECT_EQ(exit_reason_name(KVM_EXIT_SHUTDOWN), "KVM_EXIT_SHUTDOWN");
  EXPECT_EQ(exit_reason_name(KVM_EXIT_FAIL_ENTRY), "KVM_EXIT_FAIL_ENTRY");
  EXPECT_EQ(exit_reason_name(KVM_EXIT_INTERNAL_ERROR), "KVM_EXIT_INTERNAL_ERROR");
  EXPECT_EQ(exit_reason_name(KVM_EXIT_HYPERCALL), "KVM_EXIT_HYPERCALL");
  EXPECT_EQ(exit_reason_name(KVM_EXIT_UNKNOWN), "KVM_EXIT_UNKNOWN") << "reason 0 is a real name, not 'unknown number'";
  EXPECT_EQ(exit_reason_name(KVM_EXIT_X86_WRMSR), "KVM_EXIT_X86_WRMSR");
}

TEST(ExitReasonName, UnknownNumbersAreShownAsNumbers) {
  EXPECT_EQ(exit_reason_name(99), "exit reason 99");
  EXPECT_EQ(exit_reason_name(0xffffffffu), "exit reason 4294967295");
}

TEST(EntryFailure, VmxInvalidGuestStatePointsAtTheSregs) {
  std::string text = describe_entry_failure(kVmEntryFailure | 33);
  EXPECT_MENTIONS(text, "invalid guest state (VMX exit reason 33)");
  EXPECT_MENTIONS(text, "sregs");
}

TEST(EntryFailure, VmxMsrLoadingAndMachineCheck) {
  EXPECT_MENTIONS(describe_entry_failure(kVmEntryFailure | 34), "MSR loading failed (VMX exit reason 34)");
  EXPECT_MENTIONS(describe_entry_failure(kVmEntryFailure | 41), "machine-check event during VM entry (VMX exit reason 41)");
}

TEST(EntryFailure, OtherVmxReasonsAreNamedByNumber) {
  EXPECT_EQ(describe_entry_failure(kVmEntryFailure | 2), "VMX exit reason 2 during VM entry");
  // Only the basic exit reason (bits 15:0) counts; bit 31 and any other flag bits are not part of it.
  EXPECT_MENTIONS(describe_entry_failure(kVmEntryFailure | (1u << 27) | 33), "VMX exit reason 33");
}

TEST(EntryFailure, WithoutBit31ItIsNotAVmxEntryFailure) {
  std::string text = describe_entry_failure(33);
  EXPECT_EQ(text, "hardware entry failure reason 0x21") << "33 without bit 31 must not read as 'invalid guest state'";
  EXPECT_EQ(describe_entry_failure(0), "hardware entry failure reason 0x0");
}

TEST(EntryFailure, AmdVmexitInvalidIsMinusOne) {
  std::string text = describe_entry_failure(~std::uint64_t{0});
  EXPECT_MENTIONS(text, "SVM VMEXIT_INVALID");
  EXPECT_MENTIONS(text, "sregs");
  EXPECT_EQ(text.find("VMX"), std::string::npos) << "-1 has bit 31 set but is AMD's code, not a VMX reason: " << text;
}

TEST(InternalError, EachSubErrorSaysWhatHappened) {
  EXPECT_MENTIONS(describe_internal_error(KVM_INTERNAL_ERROR_EMULATION), "KVM_INTERNAL_ERROR_EMULATION");
  EXPECT_MENTIONS(describe_internal_error(KVM_INTERNAL_ERROR_EMULATION), "could not emulate");
  EXPECT_MENTIONS(describe_internal_error(KVM_INTERNAL_ERROR_SIMUL_EX), "KVM_INTERNAL_ERROR_SIMUL_EX");
  EXPECT_MENTIONS(describe_internal_error(KVM_INTERNAL_ERROR_DELIVERY_EV), "KVM_INTERNAL_ERROR_DELIVERY_EV");
  EXPECT_MENTIONS(describe_internal_error(KVM_INTERNAL_ERROR_DELIVERY_EV), "IDT");
  EXPECT_MENTIONS(describe_internal_error(KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON),
                  "KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON");
}

TEST(InternalError, UnknownSubErrorIsNamedByNumber) {
  EXPECT_EQ(describe_internal_error(0), "KVM internal error, sub-error 0");
  EXPECT_EQ(describe_internal_error(77), "KVM internal error, sub-error 77");
}

}  // namespace
}  // namespace deploylab::hv
