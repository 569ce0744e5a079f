// hypervisor/boot/guest_cpuid.cpp: turning KVM's supported CPUID list into one vCPU's table (see
// guest_cpuid.h for every field we change and why Linux reads it).
#include "hypervisor/boot/guest_cpuid.h"

#include <string>

#include "common/error.h"
#include "hypervisor/boot/mptable.h"

namespace deploylab::hv {

namespace {

// The guest's shape: one package of `vcpus` cores, one thread each; this vCPU is core `index`.
struct Topology {
  std::uint32_t index;
  std::uint32_t vcpus;
};

// Replaces bits [shift, shift + width) of `reg` by `value`.
void set_field(std::uint32_t& reg, int shift, int width, std::uint32_t value) {
  const std::uint32_t mask = ((1u << width) - 1) << shift;
  reg = (reg & ~mask) | ((value << shift) & mask);
}

void set_bit(std::uint32_t& reg, std::uint32_t bit, bool on) { reg = on ? reg | bit : reg & ~bit; }

void adjust_features_leaf(kvm_cpuid_entry2& entry, Topology topology) {
  set_field(entry.ebx, 24, 8, topology.index);  // initial APIC id
  set_field(entry.ebx, 16, 8, topology.vcpus);  // logical processors in the package
  set_bit(entry.edx, kCpuid1EdxHtt, topology.vcpus > 1);
  set_bit(entry.ecx, kCpuid1EcxHypervisor, true);
}

void adjust_cache_leaf(kvm_cpuid_entry2& entry, Topology topology) {
  const bool describes_a_cache = (entry.eax & 0x1f) != 0;  // EAX[4:0] = 0: no more caches
  if (!describes_a_cache) return;
  set_field(entry.eax, 26, 6, topology.vcpus - 1);  // cores per package - 1
}

void adjust_amd_topology_leaf(kvm_cpuid_entry2& entry, Topology topology) {
  entry.eax = topology.index;                // extended APIC id
  entry.ebx = topology.index & 0xff;         // core id; EBX[15:8] = threads per core - 1 = 0
  entry.ecx = 0;                             // node 0; ECX[10:8] = nodes per package - 1 = 0
}

// One subleaf of leaf 0xB or 0x1F: the shift that strips this level's bits off the x2APIC id, how
// many logical processors the level holds, its type, and this vCPU's x2APIC id.
kvm_cpuid_entry2 topology_subleaf(std::uint32_t leaf, std::uint32_t subleaf, std::uint32_t shift,
                                  std::uint32_t count, std::uint32_t type, Topology topology) {
  kvm_cpuid_entry2 entry{};
  entry.function = leaf;
  entry.index = subleaf;
  entry.flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX;  // KVM must match ECX too
  entry.eax = shift;
  entry.ebx = count;
  entry.ecx = (type << 8) | subleaf;
  entry.edx = topology.index;
  return entry;
}

void append_topology_leaf(std::vector<kvm_cpuid_entry2>& out, std::uint32_t leaf,
                          Topology topology) {
  const int vcpus = static_cast<int>(topology.vcpus);
  out.push_back(topology_subleaf(leaf, 0, 0, 1, kTopologyLevelSmt, topology));
  out.push_back(topology_subleaf(leaf, 1, apic_id_bits(vcpus), topology.vcpus,
                                 kTopologyLevelCore, topology));
  out.push_back(topology_subleaf(leaf, 2, 0, 0, kTopologyLevelInvalid, topology));
}

bool is_topology_leaf(std::uint32_t function) {
  return function == kCpuidExtendedTopology || function == kCpuidExtendedTopologyV2;
}

void check_arguments(int vcpu_index, int vcpus) {
  if (vcpus < 1 || vcpus > kMaxVcpus || vcpu_index < 0 || vcpu_index >= vcpus) {
    throw ErrorException(Error::invalid(
        "CPUID for vCPU " + std::to_string(vcpu_index) + " of " + std::to_string(vcpus), "CPUID",
        "the VMM must check --vcpus (1-" + std::to_string(kMaxVcpus) + ") before this"));
  }
}

}  // namespace

std::vector<kvm_cpuid_entry2> guest_cpuid(std::vector<kvm_cpuid_entry2> supported, int vcpu_index,
                                          int vcpus) {
  check_arguments(vcpu_index, vcpus);
  const Topology topology{static_cast<std::uint32_t>(vcpu_index),
                          static_cast<std::uint32_t>(vcpus)};
  std::vector<kvm_cpuid_entry2> out;
  out.reserve(supported.size() + 6);
  bool topology_written[2] = {false, false};  // 0xB, 0x1F
  for (kvm_cpuid_entry2 entry : supported) {
    if (is_topology_leaf(entry.function)) {
      // Every subleaf KVM listed is replaced by our three, written where the first one was.
      bool& written = topology_written[entry.function == kCpuidExtendedTopologyV2 ? 1 : 0];
      if (!written) append_topology_leaf(out, entry.function, topology);
      written = true;
      continue;
    }
    if (entry.function == kCpuidFeatures) adjust_features_leaf(entry, topology);
    if (entry.function == kCpuidCacheParameters) adjust_cache_leaf(entry, topology);
    if (entry.function == kCpuidAmdTopology) adjust_amd_topology_leaf(entry, topology);
    out.push_back(entry);
  }
  return out;
}

}  // namespace deploylab::hv
