// hypervisor/boot/guest_msrs.cpp: the boot MSR list and the kvm_msrs buffer (see guest_msrs.h for
// why each MSR has the value it has).
#include "hypervisor/boot/guest_msrs.h"

#include <cstddef>

#include "hypervisor/kvm/guest_memory.h"

namespace deploylab::hv {

static_assert(offsetof(kvm_msrs, pad) + sizeof(std::uint32_t) == KvmMsrs::kEntriesOffset,
              "nmsrs and pad are the kernel's header; the entries follow them");

std::vector<MsrValue> boot_msrs() {
  return {
      {kMsrIa32MiscEnable,
       kMiscEnableFastStrings | kMiscEnableBtsUnavailable | kMiscEnablePebsUnavailable},
      {kMsrIa32MtrrDefType, kMtrrDefTypeEnable | kMtrrTypeWriteBack},
      {kMsrIa32SysenterCs, 0},
      {kMsrIa32SysenterEsp, 0},
      {kMsrIa32SysenterEip, 0},
      {kMsrStar, 0},
      {kMsrLstar, 0},
      {kMsrCstar, 0},
      {kMsrKernelGsBase, 0},
      {kMsrSfmask, 0},
      {kMsrIa32Tsc, 0},
  };
}

std::string msr_name(std::uint32_t index) {
  struct Named {
    std::uint32_t index;
    const char* name;
  };
  static constexpr Named kNames[] = {
      {kMsrIa32Tsc, "IA32_TSC"},
      {kMsrIa32SysenterCs, "IA32_SYSENTER_CS"},
      {kMsrIa32SysenterEsp, "IA32_SYSENTER_ESP"},
      {kMsrIa32SysenterEip, "IA32_SYSENTER_EIP"},
      {kMsrIa32MiscEnable, "IA32_MISC_ENABLE"},
      {kMsrIa32MtrrDefType, "IA32_MTRR_DEF_TYPE"},
      {kMsrStar, "IA32_STAR"},
      {kMsrLstar, "IA32_LSTAR"},
      {kMsrCstar, "IA32_CSTAR"},
      {kMsrSfmask, "IA32_FMASK"},
      {kMsrKernelGsBase, "IA32_KERNEL_GS_BASE"},
  };
  for (const Named& named : kNames) {
    if (named.index == index) return std::string(named.name) + " (" + hex(index) + ")";
  }
  return "MSR " + hex(index);
}

KvmMsrs KvmMsrs::to_set(std::span<const MsrValue> values) {
  KvmMsrs msrs(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    msrs.entries()[i].index = values[i].index;
    msrs.entries()[i].data = values[i].value;
  }
  return msrs;
}

KvmMsrs KvmMsrs::to_get(std::span<const std::uint32_t> indices) {
  KvmMsrs msrs(indices.size());
  for (std::size_t i = 0; i < indices.size(); ++i) msrs.entries()[i].index = indices[i];
  return msrs;
}

std::vector<MsrValue> KvmMsrs::values() const {
  std::vector<MsrValue> out;
  out.reserve(size());
  for (const kvm_msr_entry& entry : entries()) out.push_back({entry.index, entry.data});
  return out;
}

}  // namespace deploylab::hv
