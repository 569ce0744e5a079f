// hypervisor/kvm/guest_memory.h: GuestMemory, the guest's RAM as the host sees it.
//
// Guest RAM is ordinary host memory: anonymous mmap regions, each placed at a guest-physical
// address (GPA). KVM is told about each region with KVM_SET_USER_MEMORY_REGION (hypervisor/kvm/
// vm.cpp); this class only owns the regions and translates GPAs into host pointers, with bounds
// checks, so loaders (boot/), devices and tests can read and write guest memory safely. It never
// touches /dev/kvm, so it is unit-tested without KVM.
//
// A GPA that no region holds is not RAM: when the guest touches it, the access becomes an MMIO
// exit (hypervisor/kvm/exit.h) that a device may claim.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "common/mapping.h"
#include "common/result.h"

namespace deploylab::hv {

struct MemoryRegion {
  std::uint64_t guest_address = 0;  // where the guest sees it
  Mapping host;                     // where we see it (its size is the region's size)

  std::uint64_t end() const { return guest_address + host.size(); }
};

class GuestMemory {
 public:
  // Adds `size` bytes of zeroed RAM at `guest_address`. Both must be page-aligned (KVM requires
  // it) and the region must not overlap another.
  Result<void> add_region(std::uint64_t guest_address, std::uint64_t size);

  const std::vector<MemoryRegion>& regions() const { return regions_; }
  std::uint64_t total_size() const;

  // Whether [address, address + length) lies entirely inside one region.
  bool contains(std::uint64_t address, std::uint64_t length) const;

  // The host view of [address, address + length), or an error naming the range when some of it
  // is not RAM.
  Result<std::span<std::uint8_t>> slice(std::uint64_t address, std::uint64_t length) const;

  Result<void> write(std::uint64_t address, std::span<const std::uint8_t> bytes) const;
  Result<std::vector<std::uint8_t>> read(std::uint64_t address, std::uint64_t length) const;

  // Little-endian scalars, as the x86 guest stores them.
  template <class T>
  Result<T> read_value(std::uint64_t address) const {
    auto bytes = DL_TRY(slice(address, sizeof(T)));
    T value;
    std::memcpy(&value, bytes.data(), sizeof(T));
    return value;
  }
  template <class T>
  Result<void> write_value(std::uint64_t address, T value) const {
    auto bytes = DL_TRY(slice(address, sizeof(T)));
    std::memcpy(bytes.data(), &value, sizeof(T));
    return {};
  }

  // A NUL-terminated string of at most `max_length` bytes (for the guest's messages).
  Result<std::string> read_string(std::uint64_t address, std::uint64_t max_length) const;

 private:
  const MemoryRegion* find(std::uint64_t address) const;
  std::string describe_regions() const;
  std::vector<MemoryRegion> regions_;
};

// "0x1000" for 4096: addresses in messages are always hex.
std::string hex(std::uint64_t value);

}  // namespace deploylab::hv
