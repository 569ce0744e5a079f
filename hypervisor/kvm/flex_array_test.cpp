// hypervisor/kvm/flex_array_test.cpp: KvmFlexArray puts the entries where the kernel reads them,
// and the request numbers are the ones a C program would send.
#include "hypervisor/kvm/flex_array.h"

#include <gtest/gtest.h>

namespace deploylab::hv {
namespace {

TEST(KvmFlexArray, EntriesStartAtByte8) {
  KvmFlexArray<kvm_cpuid2, kvm_cpuid_entry2> cpuid(3);
  auto* block = reinterpret_cast<const std::uint8_t*>(cpuid.get());
  EXPECT_EQ(reinterpret_cast<const std::uint8_t*>(cpuid.entries().data()) - block, 8)
      << "the kernel reads kvm_cpuid2's entries at offset 8, whatever C++ thinks of the struct";
  EXPECT_EQ(cpuid.count(), 3u);
  EXPECT_EQ(*reinterpret_cast<const std::uint32_t*>(block), 3u) << "nent comes first";
}

TEST(KvmFlexArray, EntriesStopAtTheCountKvmReturned) {
  KvmFlexArray<kvm_msrs, kvm_msr_entry> msrs(8);
  msrs.set_count(2);  // as KVM does after filling fewer than asked
  EXPECT_EQ(msrs.entries().size(), 2u);
  msrs.set_count(100);  // a count beyond the block is never trusted
  EXPECT_EQ(msrs.entries().size(), 8u);
}

TEST(KvmFlexArray, RequestNumbersMatchTheKernelsCLayout) {
  // The values <linux/kvm.h> gives a C compiler on x86-64 (sizeof the structs = 8).
  EXPECT_EQ(kRequestGetSupportedCpuid, 0xc008ae05ul);
  EXPECT_EQ(kRequestSetCpuid2, 0x4008ae90ul);
  EXPECT_EQ(kRequestGetMsrs, 0xc008ae88ul);
  EXPECT_EQ(kRequestSetMsrs, 0x4008ae89ul);
}

}  // namespace
}  // namespace deploylab::hv
