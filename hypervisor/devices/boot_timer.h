// hypervisor/devices/boot_timer.h: BootTimer, a one-page MMIO device at linux_layout::kBootTimer
// that the guest writes to when its userspace starts, so minivmm can say how long the boot took
// (lab 04).
//
// Timing a boot from outside is harder than it sounds: the VMM knows when it started the vCPU,
// but "booted" is an event inside the guest. So the guest tells us: its init script writes any
// value to the page (busybox: `devmem 0xd0000000 8 1`), which exits to the VMM as an MMIO write,
// and we note the time. Firecracker measures boots the same way. The first write is the mark;
// later writes are only counted (a test can write again to check the device is alive). Reads
// return 0, so a curious guest learns nothing and breaks nothing.
//
// Thread-safe: access() runs on a vCPU thread, the machine asks first_write() from its own. The
// optional callback runs once, on the vCPU thread that wrote first, after the lock is released.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>

#include "hypervisor/devices/device.h"

namespace deploylab::hv {

class BootTimer : public Device {
 public:
  using Clock = std::chrono::steady_clock;
  // Told about the first write: when, and the value written (little-endian, up to 8 bytes).
  using OnFirstWrite = std::function<void(Clock::time_point when, std::uint64_t value)>;

  explicit BootTimer(OnFirstWrite on_first_write = {}) : on_first_write_(std::move(on_first_write)) {}

  std::string name() const override { return "boot timer"; }
  std::optional<StopRequest> access(IoAccess& access) override;

  // When the guest first wrote, or nothing yet.
  std::optional<Clock::time_point> first_write() const;
  // The value of that first write.
  std::optional<std::uint64_t> first_value() const;
  // How many writes so far, the first included.
  std::uint64_t writes() const;

 private:
  const OnFirstWrite on_first_write_;
  mutable std::mutex mutex_;
  // Guarded by mutex_.
  std::optional<Clock::time_point> first_write_;
  std::uint64_t first_value_ = 0;
  std::uint64_t writes_ = 0;
};

}  // namespace deploylab::hv
