// hypervisor/devices/device_bus.h: DeviceBus, which device answers which port or MMIO address.
//
// Devices claim ranges in one of two address spaces: x86 I/O ports (0-0xffff, IN/OUT) and
// guest-physical MMIO addresses (any address that is not RAM). An access nobody claimed is not
// dropped silently: the bus counts it per address so the VMM can report it, like a logic analyser
// on a real bus. Port reads nobody answers return all ones (0xff...), as on a PC where nothing
// drives the bus. Whether an unclaimed MMIO access is fatal is the exit handler's decision.
//
// vCPU threads share the bus; a mutex serialises accesses (real VMMs lock per device; one lock
// is simpler to reason about and costs ~20 ns next to an exit's microseconds).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "common/result.h"
#include "hypervisor/devices/device.h"

namespace deploylab::hv {

struct UnclaimedAccess {
  Space space = Space::port;
  AccessKind kind = AccessKind::read;
  std::uint64_t address = 0;
  std::uint64_t count = 0;
};

// The result of one access through the bus.
struct BusResult {
  bool claimed = false;
  std::optional<StopRequest> stop;  // set when the device asked to stop the VM
};

class DeviceBus {
 public:
  // Claims [first, first + size) in `space` for `device`. Overlapping an earlier claim is an error
  // that names both devices.
  Result<void> claim(Space space, std::uint64_t first, std::uint64_t size, std::shared_ptr<Device> device);

  // Sends the access to the device that claimed its address, or counts it as unclaimed.
  BusResult dispatch(IoAccess& access);

  // Unclaimed accesses so far, one entry per (space, kind, address), in address order.
  std::vector<UnclaimedAccess> unclaimed() const;
  std::uint64_t unclaimed_total() const;

 private:
  struct Claim {
    std::uint64_t first = 0, size = 0;
    std::shared_ptr<Device> device;
  };
  const Claim* find(Space space, std::uint64_t address) const;

  mutable std::mutex mutex_;
  std::map<std::uint64_t, Claim> ports_, mmio_;  // keyed by first address
  std::map<std::tuple<Space, AccessKind, std::uint64_t>, std::uint64_t> unclaimed_;
};

std::string to_string(Space space);
// "port 0x3f8" or "MMIO 0xa0000".
std::string describe_address(Space space, std::uint64_t address);

}  // namespace deploylab::hv
