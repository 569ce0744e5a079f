// hypervisor/boot/guest_cpuid_test.cpp: guest_cpuid() on a made-up KVM_GET_SUPPORTED_CPUID list
// that looks like a 16-thread Intel host's: each vCPU gets its own APIC ids, a one-package
// topology of `vcpus` cores, the hypervisor bit, and every other leaf untouched.
#include "hypervisor/boot/guest_cpuid.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "common/error.h"
#include "hypervisor/boot/mptable.h"
#include "hypervisor/kvm/guest_memory.h"

namespace deploylab::hv {
namespace {

kvm_cpuid_entry2 leaf(std::uint32_t function, std::uint32_t index, std::uint32_t eax,
                      std::uint32_t ebx, std::uint32_t ecx, std::uint32_t edx,
                      std::uint32_t flags = 0) {
  kvm_cpuid_entry2 entry{};
  entry.function = function;
  entry.index = index;
  entry.flags = flags;
  entry.eax = eax;
  entry.ebx = ebx;
  entry.ecx = ecx;
  entry.edx = edx;
  return entry;
}

constexpr std::uint32_t kIndexed = KVM_CPUID_FLAG_SIGNIFCANT_INDEX;

// The host: APIC id 0x0e, 16 logical processors in its package, 2 threads per core, 8 cores; a
// die level in leaf 0x1F; KVM's own leaves; AMD's 0x8000001E as KVM reports it (zeros).
std::vector<kvm_cpuid_entry2> supported_list() {
  return {
      leaf(0x0, 0, 0x1f, 0x756e6547, 0x6c65746e, 0x49656e69),  // max leaf 0x1f, "GenuineIntel"
      // leaf 1: EBX = APIC id 0x0e | 16 logical | CLFLUSH 8 (x 8 bytes) | brand 0;
      // ECX: SSE3 (bit 0) and x2APIC (bit 21), no hypervisor bit; EDX: FPU, APIC, no HTT.
      leaf(0x1, 0, 0x000906ea, 0x0e100800, 0x00200001, 0x00000201),
      leaf(0x4, 0, 0x1c004121, 0x01c0003f, 0x3f, 0, kIndexed),  // L1d, 8 cores - 1 = 7 << 26
      leaf(0x4, 1, 0x1c004143, 0x01c0003f, 0xff, 0, kIndexed),  // L2
      leaf(0x4, 2, 0x1c03c163, 0x03c0003f, 0x3fff, 6, kIndexed),  // L3
      leaf(0x4, 3, 0, 0, 0, 0, kIndexed),  // no more caches
      leaf(0x7, 0, 0, 0x029c6fbf, 0, 0, kIndexed),
      leaf(0xb, 0, 1, 2, 0x100, 0x0e, kIndexed),   // host SMT level: 2 threads
      leaf(0xb, 1, 4, 16, 0x201, 0x0e, kIndexed),  // host core level: 16 logical
      leaf(0xb, 2, 0, 0, 0x2, 0x0e, kIndexed),
      leaf(0x1f, 0, 1, 2, 0x100, 0x0e, kIndexed),
      leaf(0x1f, 1, 4, 16, 0x201, 0x0e, kIndexed),
      leaf(0x1f, 2, 5, 32, 0x502, 0x0e, kIndexed),  // a die level
      leaf(0x1f, 3, 0, 0, 0x3, 0x0e, kIndexed),
      leaf(0x40000000, 0, 0x40000001, 0x4b4d564b, 0x564b4d56, 0x4d),  // "KVMKVMKVM"
      leaf(0x40000001, 0, 0x01007afb, 0, 0, 0),  // KVM's paravirtual features
      leaf(0x80000000, 0, 0x8000001e, 0, 0, 0),
      leaf(0x8000001e, 0, 0, 0, 0, 0),
  };
}

const kvm_cpuid_entry2* find(const std::vector<kvm_cpuid_entry2>& entries, std::uint32_t function,
                             std::uint32_t index = 0) {
  for (const auto& entry : entries) {
    if (entry.function == function && entry.index == index) return &entry;
  }
  return nullptr;
}

int count(const std::vector<kvm_cpuid_entry2>& entries, std::uint32_t function) {
  int n = 0;
  for (const auto& entry : entries) n += entry.function == function ? 1 : 0;
  return n;
}

bool same_entry(const kvm_cpuid_entry2& a, const kvm_cpuid_entry2& b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

TEST(GuestCpuid, Leaf1CarriesThisVcpusApicIdAndThePackageSize) {
  const auto cpuid = guest_cpuid(supported_list(), 2, 4);
  const auto* features = find(cpuid, 0x1);
  ASSERT_NE(features, nullptr) << "leaf 1 must survive";
  EXPECT_EQ(features->ebx >> 24, 2u) << "EBX[31:24] = initial APIC id = the vCPU index";
  EXPECT_EQ((features->ebx >> 16) & 0xff, 4u) << "EBX[23:16] = logical processors = vcpus";
  EXPECT_EQ(features->ebx & 0xffff, 0x0800u) << "CLFLUSH size and brand index are the host's";
  EXPECT_NE(features->edx & kCpuid1EdxHtt, 0u) << "HTT must be set when EBX[23:16] > 1";
  EXPECT_EQ(features->edx & ~kCpuid1EdxHtt, 0x201u) << "other EDX feature bits are untouched";
  EXPECT_NE(features->ecx & kCpuid1EcxHypervisor, 0u)
      << "ECX bit 31 tells Linux to look for KVM's leaves at 0x40000000";
  EXPECT_EQ(features->ecx & ~kCpuid1EcxHypervisor, 0x00200001u) << "other ECX bits untouched";
  EXPECT_EQ(features->eax, 0x000906eau) << "family/model/stepping are the host's";
}

TEST(GuestCpuid, OneVcpuHasNoHtt) {
  const auto cpuid = guest_cpuid(supported_list(), 0, 1);
  const auto* features = find(cpuid, 0x1);
  ASSERT_NE(features, nullptr);
  EXPECT_EQ(features->ebx >> 24, 0u);
  EXPECT_EQ((features->ebx >> 16) & 0xff, 1u);
  EXPECT_EQ(features->edx & kCpuid1EdxHtt, 0u) << "a one-CPU package must not claim HTT";
}

// Checks the three subleaves guest_cpuid() writes for leaf 0xB or 0x1F.
void expect_topology_leaf(const std::vector<kvm_cpuid_entry2>& cpuid, std::uint32_t function,
                          std::uint32_t index, std::uint32_t vcpus, std::uint32_t core_shift) {
  SCOPED_TRACE("leaf " + hex(function));
  ASSERT_EQ(count(cpuid, function), 3) << "SMT level, core level, end of list; the host's "
                                          "subleaves are all replaced";
  const auto* smt = find(cpuid, function, 0);
  const auto* core = find(cpuid, function, 1);
  const auto* end = find(cpuid, function, 2);
  ASSERT_TRUE(smt && core && end) << "expected subleaves 0, 1 and 2";
  EXPECT_EQ(smt->eax, 0u) << "one thread per core: no SMT bits in the APIC id";
  EXPECT_EQ(smt->ebx, 1u) << "one logical processor at the SMT level (0 would hide the leaf)";
  EXPECT_EQ(smt->ecx, 0x100u) << "level type 1 (SMT), subleaf 0";
  EXPECT_EQ(core->eax, core_shift) << "APIC id >> this = package number";
  EXPECT_EQ(core->ebx, vcpus) << "logical processors in the package";
  EXPECT_EQ(core->ecx, 0x201u) << "level type 2 (core), subleaf 1";
  EXPECT_EQ(end->eax, 0u);
  EXPECT_EQ(end->ebx, 0u);
  EXPECT_EQ(end->ecx, 0x2u) << "level type 0 ends the list; ECX[7:0] echoes the subleaf";
  for (const auto* entry : {smt, core, end}) {
    EXPECT_EQ(entry->edx, index) << "EDX = x2APIC id in every subleaf, subleaf " << entry->index;
    EXPECT_EQ(entry->flags, kIndexed) << "KVM must match on the subleaf (ECX) too";
  }
}

TEST(GuestCpuid, ExtendedTopologyLeavesDescribeOnePackageOfCores) {
  expect_topology_leaf(guest_cpuid(supported_list(), 2, 3), 0xb, 2, 3, 2);
  expect_topology_leaf(guest_cpuid(supported_list(), 2, 3), 0x1f, 2, 3, 2);
  expect_topology_leaf(guest_cpuid(supported_list(), 0, 1), 0xb, 0, 1, 0);
  expect_topology_leaf(guest_cpuid(supported_list(), 7, 8), 0x1f, 7, 8, 3);
}

TEST(GuestCpuid, TopologySubleavesStayWhereTheHostsWere) {
  const auto cpuid = guest_cpuid(supported_list(), 1, 2);
  ASSERT_EQ(cpuid.size(), supported_list().size() - 1) << "0xB: 3 for 3, 0x1F: 3 for 4";
  EXPECT_EQ(cpuid[7].function, 0xbu) << "0xB's subleaves follow leaf 7, as in KVM's list";
  EXPECT_EQ(cpuid[10].function, 0x1fu);
  EXPECT_EQ(cpuid[13].function, 0x40000000u);
}

TEST(GuestCpuid, NoTopologyLeafIsInventedWhenKvmHasNone) {
  std::vector<kvm_cpuid_entry2> list = {leaf(0x0, 0, 0xd, 0, 0, 0), leaf(0x1, 0, 0, 0, 0, 0)};
  const auto cpuid = guest_cpuid(list, 0, 2);
  EXPECT_EQ(cpuid.size(), 2u) << "a host without leaf 0xB must not get one";
  EXPECT_EQ(count(cpuid, 0xb), 0);
}

TEST(GuestCpuid, CacheLeafCountsTheGuestsCores) {
  const auto cpuid = guest_cpuid(supported_list(), 0, 4);
  const auto host_list = supported_list();  // kept alive: find() returns a pointer into it
  for (std::uint32_t sub = 0; sub < 3; ++sub) {
    const auto* cache = find(cpuid, 0x4, sub);
    const auto* host = find(host_list, 0x4, sub);
    ASSERT_TRUE(cache && host);
    EXPECT_EQ(cache->eax >> 26, 3u) << "EAX[31:26] = cores per package - 1, subleaf " << sub;
    EXPECT_EQ(cache->eax & 0x03ffffff, host->eax & 0x03ffffff)
        << "cache type, level and sharing count are the host's, subleaf " << sub;
    EXPECT_EQ(cache->ebx, host->ebx);
  }
  const auto* none = find(cpuid, 0x4, 3);
  ASSERT_NE(none, nullptr);
  EXPECT_EQ(none->eax, 0u) << "the 'no more caches' subleaf must stay all zero";
}

TEST(GuestCpuid, AmdTopologyLeafGivesEachVcpuItsOwnCore) {
  const auto cpuid = guest_cpuid(supported_list(), 5, 8);
  const auto* amd = find(cpuid, 0x8000001e);
  ASSERT_NE(amd, nullptr);
  EXPECT_EQ(amd->eax, 5u) << "EAX = extended APIC id";
  EXPECT_EQ(amd->ebx, 5u) << "EBX[7:0] = core id, EBX[15:8] = threads per core - 1 = 0";
  EXPECT_EQ(amd->ecx, 0u) << "ECX = node 0, one node";
}

TEST(GuestCpuid, LeavesEverythingElseAlone) {
  const auto host = supported_list();
  const auto cpuid = guest_cpuid(host, 3, 4);
  for (std::uint32_t function : {0x0u, 0x7u, 0x40000000u, 0x40000001u, 0x80000000u}) {
    const auto* mine = find(cpuid, function);
    const auto* theirs = find(host, function);
    ASSERT_TRUE(mine && theirs) << "leaf " << hex(function) << " must survive";
    EXPECT_TRUE(same_entry(*mine, *theirs))
        << "leaf " << hex(function) << " must be passed through unchanged (KVM's paravirtual "
                                       "leaves at 0x40000000 are what kvm-clock needs)";
  }
}

TEST(GuestCpuid, RefusesImpossibleVcpuNumbers) {
  EXPECT_THROW(guest_cpuid(supported_list(), 0, 0), ErrorException) << "no vCPUs";
  EXPECT_THROW(guest_cpuid(supported_list(), 2, 2), ErrorException) << "index past the end";
  EXPECT_THROW(guest_cpuid(supported_list(), -1, 2), ErrorException) << "negative index";
  EXPECT_THROW(guest_cpuid(supported_list(), 0, kMaxVcpus + 1), ErrorException)
      << "more vCPUs than the MP table describes";
}

TEST(GuestCpuid, ApicIdBitsRoundUpToAPowerOfTwo) {
  EXPECT_EQ(apic_id_bits(1), 0u);
  EXPECT_EQ(apic_id_bits(2), 1u);
  EXPECT_EQ(apic_id_bits(3), 2u) << "3 cores need ids 0-2: two bits";
  EXPECT_EQ(apic_id_bits(4), 2u);
  EXPECT_EQ(apic_id_bits(5), 3u);
  EXPECT_EQ(apic_id_bits(8), 3u);
}

}  // namespace
}  // namespace deploylab::hv
