// hypervisor/boot/guest_cpuid.h: what the CPUID instruction tells each vCPU of a Linux guest
// (lab 04).
//
// Part of boot/, next to mptable.h (the CPUs as the firmware describes them) and guest_msrs.h (the
// MSRs each vCPU starts with). Pure code over <linux/kvm.h> structs: the VMM passes the result to
// KVM_SET_CPUID2 (Vcpu::set_cpuid), once per vCPU, before the vCPU first runs and before
// KVM_SET_MSRS (KVM checks some MSR writes against the CPUID it was given).
//
// CPUID in one paragraph. The instruction takes a leaf number in EAX (and for some leaves a
// subleaf in ECX) and returns four registers of facts: the vendor, the family and model, feature
// bits ("has SSE4.2", "has x2APIC"), cache sizes, and the CPU's place in the machine's topology.
// Linux runs it on every CPU at boot and believes what it says. In a VM, KVM answers CPUID from a
// table the VMM gives it per vCPU (a CPUID exit would be far too slow for an instruction this
// common), so the VMM decides what each vCPU sees.
//
// Where the table comes from. KVM_GET_SUPPORTED_CPUID (Kvm::supported_cpuid) lists every leaf the
// host's KVM can offer, with the feature bits KVM can virtualise. It is one list for the whole
// host, so it cannot know which vCPU will read it or how many there are: the per-CPU fields hold
// the host CPU's values (its APIC id, its core counts) or zeros. guest_cpuid() makes one vCPU's
// copy and changes exactly these fields, treating the guest as one package (socket) of `vcpus`
// cores with one thread each:
//
//   leaf 1 EBX[31:24]  initial APIC id = vcpu_index. Linux compares it with the local APIC's id
//                      and with the MP table's processor entry; all three must agree.
//   leaf 1 EBX[23:16]  logical processors per package = vcpus, and EDX bit 28 (HTT, "that field
//                      is valid") set iff vcpus > 1. Linux sizes the package from it when the
//                      topology leaves below are missing.
//   leaf 1 ECX bit 31  "running under a hypervisor". Linux looks for the hypervisor leaves
//                      0x40000000.. only when it is set: without it the guest never finds KVM's
//                      paravirtual features (kvm-clock, PV EOI, ...) and calibrates its clocks the
//                      slow way, against the PIT. KVM's supported list does not promise it.
//   leaf 4 EAX[31:26]  (Intel caches) cores per package - 1 = vcpus - 1, on each cache subleaf.
//                      Linux divides leaf 1's count by this to get threads per core.
//   leaves 0xB, 0x1F   (extended topology) replaced by: subleaf 0 = SMT level, 1 thread, shift 0;
//                      subleaf 1 = core level, vcpus cores, shift = bits needed for vcpus;
//                      subleaf 2 = end of list. EDX = x2APIC id = vcpu_index in every subleaf.
//                      Linux derives core and package ids from these and the APIC id, and an
//                      inconsistent set makes it build wrong sibling maps (host SMT leaking in).
//                      Written only if the supported list has the leaf at all.
//   leaf 0x8000001E    (AMD topology) EAX = extended APIC id = vcpu_index, EBX = core id =
//                      vcpu_index with 1 thread per core, ECX = node 0 of 1. KVM's supported
//                      list holds zeros here, which would give every vCPU core id 0. Written only
//                      if the supported list has the leaf.
//
// Left alone on purpose: everything else, in particular the hypervisor leaves 0x40000000 ("KVMKVM
// KVM" and KVM's paravirtual feature bits, which kvm-clock needs), the feature bits (KVM already
// removed what it cannot virtualise), leaf 4's cache-sharing counts EAX[25:14] (they only shape
// the scheduler's cache domains) and AMD's 0x80000008 ECX core count (vendor-specific; Linux then
// may count each vCPU as its own package, which it handles).
#pragma once

#include <linux/kvm.h>

#include <cstdint>
#include <vector>

namespace deploylab::hv {

// CPUID leaves and bits guest_cpuid() touches (Intel SDM vol. 2A "CPUID", AMD APM vol. 3 "CPUID").
inline constexpr std::uint32_t kCpuidFeatures = 0x1;
inline constexpr std::uint32_t kCpuidCacheParameters = 0x4;
inline constexpr std::uint32_t kCpuidExtendedTopology = 0xb;
inline constexpr std::uint32_t kCpuidExtendedTopologyV2 = 0x1f;
inline constexpr std::uint32_t kCpuidHypervisorBase = 0x40000000;
inline constexpr std::uint32_t kCpuidAmdTopology = 0x8000001e;

inline constexpr std::uint32_t kCpuid1EdxHtt = 1u << 28;         // EBX[23:16] is valid
inline constexpr std::uint32_t kCpuid1EcxHypervisor = 1u << 31;  // a hypervisor is present

// Level types in ECX[15:8] of leaves 0xB and 0x1F.
inline constexpr std::uint32_t kTopologyLevelInvalid = 0;
inline constexpr std::uint32_t kTopologyLevelSmt = 1;
inline constexpr std::uint32_t kTopologyLevelCore = 2;

// One vCPU's CPUID table: `supported` (KVM_GET_SUPPORTED_CPUID's list) with the topology and
// identity fields above set for vCPU `vcpu_index` of `vcpus`. Entries keep their order; the 0xB and
// 0x1F subleaves are replaced, in place, by the three described above. Requires 1 <= vcpus <=
// kMaxVcpus (mptable.h) and 0 <= vcpu_index < vcpus; throws ErrorException otherwise, because
// that is a bug in the caller, not a condition to handle.
std::vector<kvm_cpuid_entry2> guest_cpuid(std::vector<kvm_cpuid_entry2> supported, int vcpu_index,
                                          int vcpus);

// How many low bits of an APIC id number `count` things: 0 for 1, 1 for 2, 2 for 3 or 4, ... This
// is the "shift" of leaf 0xB's core level: the APIC id >> shift is the package number.
constexpr std::uint32_t apic_id_bits(int count) {
  std::uint32_t bits = 0;
  while ((1 << bits) < count) ++bits;
  return bits;
}

}  // namespace deploylab::hv
