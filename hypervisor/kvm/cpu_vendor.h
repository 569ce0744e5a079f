// hypervisor/kvm/cpu_vendor.h: whose CPU this is (CPUID leaf 0), because the hypercall instruction
// differs: Intel's VMX has VMCALL (0f 01 c1), AMD's SVM has VMMCALL (0f 01 d9). A guest that uses
// the other vendor's instruction takes an invalid-opcode fault, which KVM catches and, by
// default, fixes by rewriting the instruction in guest memory (lab 02 shows it happen).
#pragma once

#include <string>

namespace deploylab::hv {

enum class CpuVendor { intel, amd, other };

// Pure: "GenuineIntel" -> intel; "AuthenticAMD" and "HygonGenuine" (AMD's design) -> amd.
CpuVendor vendor_from_id(const std::string& vendor_id);
CpuVendor host_cpu_vendor();

// "vmcall" on Intel, "vmmcall" on AMD and others (the guest images are named after it).
std::string native_hypercall_instruction(CpuVendor vendor);
// The other vendor's instruction: the one KVM has to patch.
std::string foreign_hypercall_instruction(CpuVendor vendor);

}  // namespace deploylab::hv
