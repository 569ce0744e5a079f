// hypervisor/boot/guest_msrs.h: the model-specific registers a vCPU starts a Linux guest with, and
// KvmMsrs, the buffer KVM_SET_MSRS and KVM_GET_MSRS take (lab 04).
//
// Part of boot/, next to guest_cpuid.h (what each vCPU says it is) and local_apic.h (its interrupt
// controller). Pure code: for every vCPU the VMM builds `KvmMsrs msrs = KvmMsrs::to_set(
// boot_msrs())` and passes msrs.get() to KVM_SET_MSRS, which returns how many entries it took. Do
// it after KVM_SET_CPUID2: KVM accepts some MSR values only if CPUID announced the feature.
//
// What an MSR is. Besides the registers instructions name (RAX, CR0, ...), an x86 CPU has
// thousands of "model-specific registers", read and written by number with RDMSR and WRMSR (in
// ring 0 only). They hold switches and addresses the OS sets once: where SYSCALL jumps, how memory
// is cached, the timestamp counter. KVM keeps a copy per vCPU, and KVM_SET_MSRS writes a list of
// {index, value} pairs into it.
//
// Why set them at all. A real PC runs firmware before the kernel, and the firmware leaves some
// MSRs in a state the kernel takes for granted. We have no firmware, so the VMM plays its part.
// boot_msrs() is that list, each entry with the reason it is there:
//
//   IA32_MISC_ENABLE (0x1a0) = fast strings | BTS unavailable | PEBS unavailable. BIOSes turn on
//       "fast string operations" (REP MOVS/STOS move whole cache lines). Linux reads the bit and,
//       if it is clear, prints "Disabled fast string operations" and stops using REP MOVSB for
//       memcpy. The two "unavailable" bits are KVM's own reset value, kept: clearing them would
//       tell Linux that branch-trace and PEBS hardware exists.
//   IA32_MTRR_DEF_TYPE (0x2ff) = MTRRs enabled, default type write-back. The memory type range
//       registers say how each physical range may be cached; at reset they are off, which means
//       "uncacheable everywhere". Firmware enables them with write-back as the default. Linux
//       finding them disabled also turns off PAT, so it cannot map anything write-combining, and
//       where KVM honours the guest's memory types (with non-coherent DMA) the guest would run
//       uncached. No ranges are needed: RAM is write-back, and our MMIO never reaches the cache
//       because every access exits to KVM or to us.
//   IA32_SYSENTER_CS/ESP/EIP (0x174-0x176), STAR, LSTAR, CSTAR, SFMASK (0xc0000081-84) = 0: where
//       SYSENTER and SYSCALL jump and with which segments and flags. Linux programs them in
//       syscall_init() before user space runs; zero means "not set up", and SYSCALL stays
//       disabled anyway until Linux sets EFER.SCE.
//   IA32_KERNEL_GS_BASE (0xc0000102) = 0: the GS base that SWAPGS swaps in on kernel entry. Linux
//       sets it per CPU; no stale value may survive into the guest.
//   IA32_TSC (0x10) = 0: the timestamp counter. Every vCPU starts at 0 at about the same moment, so
//       their TSCs agree; Linux checks that when it brings up each CPU (and KVM takes such writes,
//       made within about a second of each other, as a request to keep the vCPUs' TSCs in step).
//       TSCs that disagree make Linux mark the TSC unstable and fall back to a slower clock.
// KVM creates vCPUs with all but IA32_MISC_ENABLE's fast-string bit and MTRR_DEF_TYPE already at
// these values; writing them anyway makes the starting state explicit and lets a VMM reset a vCPU
// for a reboot with the same list.
#pragma once

#include <linux/kvm.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "hypervisor/kvm/flex_array.h"

namespace deploylab::hv {

// MSR numbers (Intel SDM vol. 4, "Model-Specific Registers"; the names are the manual's).
inline constexpr std::uint32_t kMsrIa32Tsc = 0x10;
inline constexpr std::uint32_t kMsrIa32SysenterCs = 0x174;
inline constexpr std::uint32_t kMsrIa32SysenterEsp = 0x175;
inline constexpr std::uint32_t kMsrIa32SysenterEip = 0x176;
inline constexpr std::uint32_t kMsrIa32MiscEnable = 0x1a0;
inline constexpr std::uint32_t kMsrIa32MtrrDefType = 0x2ff;
inline constexpr std::uint32_t kMsrStar = 0xc0000081;     // SYSCALL: segments
inline constexpr std::uint32_t kMsrLstar = 0xc0000082;    // SYSCALL: 64-bit entry point
inline constexpr std::uint32_t kMsrCstar = 0xc0000083;    // SYSCALL: compatibility-mode entry
inline constexpr std::uint32_t kMsrSfmask = 0xc0000084;   // SYSCALL: RFLAGS bits to clear
inline constexpr std::uint32_t kMsrKernelGsBase = 0xc0000102;

// Bits of IA32_MISC_ENABLE and IA32_MTRR_DEF_TYPE.
inline constexpr std::uint64_t kMiscEnableFastStrings = 1ull << 0;
inline constexpr std::uint64_t kMiscEnableBtsUnavailable = 1ull << 11;
inline constexpr std::uint64_t kMiscEnablePebsUnavailable = 1ull << 12;
inline constexpr std::uint64_t kMtrrTypeWriteBack = 0x6;          // bits 7:0, the default type
inline constexpr std::uint64_t kMtrrDefTypeEnable = 1ull << 11;   // E: MTRRs on

struct MsrValue {
  std::uint32_t index = 0;
  std::uint64_t value = 0;
  bool operator==(const MsrValue&) const = default;
};

// The MSRs every vCPU of a Linux guest starts with (the list and reasons above), in that order.
std::vector<MsrValue> boot_msrs();

// "IA32_MTRR_DEF_TYPE (0x2ff)" for the MSRs above, "MSR 0x123" for others: KVM_SET_MSRS returns
// how many entries it took, so the VMM names the first one it refused with this.
std::string msr_name(std::uint32_t index);

// The argument of KVM_SET_MSRS and KVM_GET_MSRS: struct kvm_msrs, a count followed by a
// variable-length array of kvm_msr_entry (8-byte header, then 16 bytes per entry), in one block.
// The block is a KvmFlexArray (hypervisor/kvm/flex_array.h), which explains why C++ must not reach
// the entries through kvm_msrs::entries. Move-only: it is one buffer that one ioctl fills or reads.
class KvmMsrs {
 public:
  using Block = KvmFlexArray<kvm_msrs, kvm_msr_entry>;
  static constexpr std::size_t kEntriesOffset = Block::kEntriesOffset;

  // For KVM_SET_MSRS: one entry per value, in order.
  static KvmMsrs to_set(std::span<const MsrValue> values);
  // For KVM_GET_MSRS: one entry per index, values 0 until KVM fills them in.
  static KvmMsrs to_get(std::span<const std::uint32_t> indices);

  KvmMsrs(KvmMsrs&&) noexcept = default;
  KvmMsrs& operator=(KvmMsrs&&) noexcept = default;

  // The address to pass to the ioctl, valid as long as this object lives.
  kvm_msrs* get() { return block_.get(); }
  const kvm_msrs* get() const { return block_.get(); }

  std::size_t size() const { return block_.capacity(); }
  std::span<kvm_msr_entry> entries() { return block_.entries(); }
  std::span<const kvm_msr_entry> entries() const { return block_.entries(); }

  // The entries as {index, value} pairs again (after KVM_GET_MSRS filled them in).
  std::vector<MsrValue> values() const;

  // The size in bytes of the block for `count` entries: the 8-byte header plus the array.
  static constexpr std::size_t bytes_for(std::size_t count) {
    return kEntriesOffset + count * sizeof(kvm_msr_entry);
  }

 private:
  explicit KvmMsrs(std::size_t count) : block_(count) {}
  Block block_;
};

}  // namespace deploylab::hv
