// hypervisor/kvm/cpu_vendor.cpp: the host CPU's vendor from CPUID (see cpu_vendor.h).
#include "hypervisor/kvm/cpu_vendor.h"

#include <cpuid.h>

#include <cstring>

namespace deploylab::hv {

CpuVendor vendor_from_id(const std::string& vendor_id) {
  if (vendor_id == "GenuineIntel") return CpuVendor::intel;
  if (vendor_id == "AuthenticAMD" || vendor_id == "HygonGenuine") return CpuVendor::amd;
  return CpuVendor::other;
}

CpuVendor host_cpu_vendor() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid(0, &eax, &ebx, &ecx, &edx) == 0) return CpuVendor::other;
  // The 12-character vendor id is spread over EBX, EDX, ECX, in that order.
  char id[13] = {};
  std::memcpy(id, &ebx, 4);
  std::memcpy(id + 4, &edx, 4);
  std::memcpy(id + 8, &ecx, 4);
  return vendor_from_id(id);
}

std::string native_hypercall_instruction(CpuVendor vendor) { return vendor == CpuVendor::intel ? "vmcall" : "vmmcall"; }

std::string foreign_hypercall_instruction(CpuVendor vendor) { return vendor == CpuVendor::intel ? "vmmcall" : "vmcall"; }

}  // namespace deploylab::hv
