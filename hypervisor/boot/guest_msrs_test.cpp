// hypervisor/boot/guest_msrs_test.cpp: the boot MSR values, their names for error messages, and
// KvmMsrs laid out exactly as KVM_SET_MSRS reads struct kvm_msrs.
#include "hypervisor/boot/guest_msrs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstring>

#include "hypervisor/kvm/guest_memory.h"

namespace deploylab::hv {
namespace {

// The value boot_msrs() gives `index`, or a failure naming the missing MSR.
::testing::AssertionResult has_value(std::uint32_t index, std::uint64_t expected) {
  const auto msrs = boot_msrs();
  auto it = std::find_if(msrs.begin(), msrs.end(),
                         [&](const MsrValue& m) { return m.index == index; });
  if (it == msrs.end()) return ::testing::AssertionFailure() << msr_name(index) << " is missing";
  if (it->value != expected) {
    return ::testing::AssertionFailure() << msr_name(index) << ": expected " << hex(expected)
                                         << ", got " << hex(it->value);
  }
  return ::testing::AssertionSuccess();
}

TEST(BootMsrs, MiscEnableTurnsOnFastStringsAndKeepsKvmsResetBits) {
  EXPECT_TRUE(has_value(kMsrIa32MiscEnable, 0x1801))
      << "bit 0 fast strings, bits 11 and 12 'BTS/PEBS unavailable' as KVM resets them";
}

TEST(BootMsrs, MtrrsAreOnWithWriteBackDefault) {
  EXPECT_TRUE(has_value(kMsrIa32MtrrDefType, 0x806))
      << "bit 11 enables the MTRRs, type 6 is write-back; 0 would leave memory uncacheable";
}

TEST(BootMsrs, SystemCallAndTscMsrsStartAtZero) {
  for (std::uint32_t index : {kMsrIa32SysenterCs, kMsrIa32SysenterEsp, kMsrIa32SysenterEip,
                              kMsrStar, kMsrLstar, kMsrCstar, kMsrKernelGsBase, kMsrSfmask,
                              kMsrIa32Tsc}) {
    EXPECT_TRUE(has_value(index, 0));
  }
}

TEST(BootMsrs, ListsEachMsrOnce) {
  auto msrs = boot_msrs();
  EXPECT_EQ(msrs.size(), 11u) << "misc enable, MTRR default, 3 SYSENTER, 4 SYSCALL, GS base, TSC";
  std::sort(msrs.begin(), msrs.end(), [](auto& a, auto& b) { return a.index < b.index; });
  auto dup = std::adjacent_find(msrs.begin(), msrs.end(),
                                [](auto& a, auto& b) { return a.index == b.index; });
  EXPECT_EQ(dup, msrs.end()) << "an MSR listed twice: " << msr_name(dup->index);
}

TEST(MsrName, NamesKnownMsrsAndNumbersOthers) {
  EXPECT_EQ(msr_name(0x2ff), "IA32_MTRR_DEF_TYPE (0x2ff)");
  EXPECT_EQ(msr_name(0xc0000082), "IA32_LSTAR (0xc0000082)");
  EXPECT_EQ(msr_name(0x123), "MSR 0x123") << "unknown MSRs are named by number";
}

// Reads a little-endian field of `T` at byte `at` of the block, as the kernel would.
template <class T>
T field_at(const std::byte* block, std::size_t at) {
  T value;
  std::memcpy(&value, block + at, sizeof value);
  return value;
}

TEST(KvmMsrs, LaysOutTheBlockAsTheKernelReadsIt) {
  const std::vector<MsrValue> values = {{0x10, 0}, {0x2ff, 0x806}, {0xc0000102, 0xabcdef}};
  KvmMsrs buffer = KvmMsrs::to_set(values);
  const auto* block = reinterpret_cast<const std::byte*>(buffer.get());
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(field_at<std::uint32_t>(block, 0), 3u) << "nmsrs tells KVM how many entries follow";
  EXPECT_EQ(field_at<std::uint32_t>(block, 4), 0u) << "pad must be zero";
  // The kernel (C) finds the entries at byte 8, 16 bytes each: index, reserved, data.
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::size_t at = 8 + i * 16;
    EXPECT_EQ(field_at<std::uint32_t>(block, at), values[i].index) << "entry " << i;
    EXPECT_EQ(field_at<std::uint32_t>(block, at + 4), 0u) << "entry " << i << ": reserved = 0";
    EXPECT_EQ(field_at<std::uint64_t>(block, at + 8), values[i].value) << "entry " << i;
  }
  EXPECT_EQ(reinterpret_cast<const std::byte*>(buffer.entries().data()) - block, 8)
      << "entries() must point where the kernel's entries are, whatever C++ thinks of "
         "kvm_msrs::entries (see guest_msrs.h)";
  EXPECT_EQ(buffer.values(), values) << "values() gives the pairs back in order";
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(block) % 8, 0u) << "the block is 8-byte aligned";
}

TEST(KvmMsrs, IndicesOnlyForGetMsrsStartWithZeroValues) {
  const std::vector<std::uint32_t> indices = {0x1a0, 0x2ff};
  KvmMsrs buffer = KvmMsrs::to_get(indices);
  ASSERT_EQ(buffer.size(), 2u);
  EXPECT_EQ(buffer.entries()[0].index, 0x1a0u);
  EXPECT_EQ(buffer.entries()[1].data, 0u) << "KVM_GET_MSRS fills the values in";
  buffer.entries()[1].data = 0x806;  // what KVM would write back
  EXPECT_EQ(buffer.values()[1], (MsrValue{0x2ff, 0x806}));
}

TEST(KvmMsrs, EmptyListIsAValidBufferAndMovesKeepTheBlock) {
  KvmMsrs empty = KvmMsrs::to_set({});
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_EQ(field_at<std::uint32_t>(reinterpret_cast<const std::byte*>(empty.get()), 0), 0u);
  KvmMsrs original = KvmMsrs::to_set(boot_msrs());
  const kvm_msrs* block = original.get();
  KvmMsrs moved(std::move(original));
  EXPECT_EQ(moved.get(), block) << "moving must hand over the block, not copy it";
  EXPECT_EQ(moved.size(), boot_msrs().size());
  EXPECT_EQ(KvmMsrs::bytes_for(2), 8u + 2 * 16u) << "8-byte header, 16 bytes per entry";
}

}  // namespace
}  // namespace deploylab::hv
