// hypervisor/devices/test_devices.h: two devices that exist to be measured and tested.
//
//   NullDevice (port 0xeb): writes vanish, reads return 0. The cheapest possible exit to userspace,
//     which is what `minivmm bench-exits` needs to time the round trip itself.
//   MmioTestDevice (one page at 0xa0000): a scratch register that reads back the last value
//     written, and a counter of every access it has seen (abi.h lists the registers). It shows an
//     MMIO exit end to end: a plain guest load/store becomes KVM_EXIT_MMIO with an address.
#pragma once

#include <cstdint>

#include "hypervisor/devices/device.h"

namespace deploylab::hv {

class NullDevice : public Device {
 public:
  std::string name() const override { return "null device"; }
  std::optional<StopRequest> access(IoAccess& access) override;
  std::uint64_t accesses() const { return accesses_; }

 private:
  std::uint64_t accesses_ = 0;
};

class MmioTestDevice : public Device {
 public:
  // `base` is the guest-physical address the device was claimed at (offsets are relative to it).
  explicit MmioTestDevice(std::uint64_t base) : base_(base) {}
  std::string name() const override { return "MMIO test device"; }
  std::optional<StopRequest> access(IoAccess& access) override;

 private:
  std::uint64_t base_;
  std::uint32_t scratch_ = 0;
  std::uint32_t counter_ = 0;
};

}  // namespace deploylab::hv
