// hypervisor/kvm/flex_array.h: KvmFlexArray, the memory block for a KVM struct that ends in a
// variable-length array (kvm_cpuid2, kvm_msrs): an 8-byte header (a 32-bit count and 32 bits of
// padding) followed by the entries.
//
// Why not just use the struct? C has "flexible array members": `struct kvm_msrs { __u32 nmsrs;
// __u32 pad; struct kvm_msr_entry entries[]; }`, allocated with room for n entries after it. C++
// has no such thing, and Linux 6.1's headers (Debian 12) spell the array with __DECLARE_FLEX_ARRAY,
// which wraps it in a struct beside an *empty* struct. An empty struct is 0 bytes in GNU C and 1
// byte in C++, so a C++ compiler puts `entries` at offset 12 (kvm_cpuid2) or 16 (kvm_msrs), while
// the kernel reads and writes them at offset 8. Code that uses `->entries` in C++ silently hands
// KVM garbage. This class places the entries at offset 8 itself and never touches `->entries`.
//
// The same trap changes the ioctl request numbers: _IOW/_IOWR encode sizeof(the struct) in the
// number, and sizeof(kvm_cpuid2) is 12 in C++ instead of 8, so KVM_SET_CPUID2 spelled in C++ is a
// request the kernel does not know (EINVAL). The kRequest* constants below are computed from the
// kernel's 8-byte header instead; use them, never the KVM_* macros, for these four requests.
//
// Used by Kvm::supported_cpuid, Vcpu::set_cpuid, Vcpu::set_msrs (hypervisor/kvm) and KvmMsrs
// (hypervisor/boot).
#pragma once

#include <linux/kvm.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <span>

namespace deploylab::hv {

// The C layout of the header of kvm_cpuid2 and kvm_msrs: a count and 32 bits of padding.
struct KvmFlexHeader {
  std::uint32_t count;
  std::uint32_t padding;
};
static_assert(sizeof(KvmFlexHeader) == 8);

inline constexpr unsigned long kRequestGetSupportedCpuid = _IOWR(KVMIO, 0x05, KvmFlexHeader);
inline constexpr unsigned long kRequestSetCpuid2 = _IOW(KVMIO, 0x90, KvmFlexHeader);
inline constexpr unsigned long kRequestGetMsrs = _IOWR(KVMIO, 0x88, KvmFlexHeader);
inline constexpr unsigned long kRequestSetMsrs = _IOW(KVMIO, 0x89, KvmFlexHeader);

template <class Header, class Entry>
class KvmFlexArray {
 public:
  // Where the kernel's struct has its entries: right after the count and the padding.
  static constexpr std::size_t kEntriesOffset = 2 * sizeof(std::uint32_t);
  static_assert(alignof(Entry) <= alignof(std::uint64_t) && kEntriesOffset % alignof(Entry) == 0,
                "the block's 8-byte words must suit the entries' alignment");

  // A block with room for `capacity` entries, all zero, and the count field set to `capacity`.
  explicit KvmFlexArray(std::size_t capacity)
      : storage_(std::make_unique<std::uint64_t[]>((kEntriesOffset + capacity * sizeof(Entry) + 7) / 8)),
        capacity_(capacity) {
    std::byte* block = reinterpret_cast<std::byte*>(storage_.get());
    // Placement-new starts the lifetime of the header words and of each entry at the kernel's offsets.
    count_ = new (block) std::uint32_t(static_cast<std::uint32_t>(capacity));
    new (block + sizeof(std::uint32_t)) std::uint32_t(0);
    entries_ = reinterpret_cast<Entry*>(block + kEntriesOffset);
    for (std::size_t i = 0; i < capacity; ++i) new (&entries_[i]) Entry{};
  }

  // What to pass to the ioctl, valid while this object lives. Only the kernel reads through it.
  Header* get() { return reinterpret_cast<Header*>(storage_.get()); }
  const Header* get() const { return reinterpret_cast<const Header*>(storage_.get()); }

  // The count field (nent, nmsrs): the caller's capacity before the ioctl, KVM's answer after.
  std::uint32_t count() const { return *count_; }
  void set_count(std::uint32_t count) { *count_ = count; }
  std::size_t capacity() const { return capacity_; }

  // The first count() entries (never more than the capacity).
  std::span<Entry> entries() { return {entries_, count() < capacity_ ? count() : capacity_}; }
  std::span<const Entry> entries() const { return {entries_, count() < capacity_ ? count() : capacity_}; }

 private:
  std::unique_ptr<std::uint64_t[]> storage_;
  std::size_t capacity_ = 0;
  std::uint32_t* count_ = nullptr;
  Entry* entries_ = nullptr;
};

}  // namespace deploylab::hv
