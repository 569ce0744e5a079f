// hypervisor/devices/device_bus.cpp: claiming address ranges and dispatching accesses (see
// device_bus.h).
#include "hypervisor/devices/device_bus.h"

#include <algorithm>
#include <tuple>

#include "common/error.h"  // NotImplemented: what the student kit's stubs throw
#include "hypervisor/kvm/guest_memory.h"

namespace deploylab::hv {

std::string to_string(Space space) { return space == Space::port ? "port" : "MMIO"; }

std::string describe_address(Space space, std::uint64_t address) { return to_string(space) + " " + hex(address); }

Result<void> DeviceBus::claim(Space space, std::uint64_t first, std::uint64_t size, std::shared_ptr<Device> device) {
  std::string object = device->name() + " at " + describe_address(space, first);
  if (size == 0) return Error::invalid("a device must claim at least one address", object);
  std::lock_guard lock(mutex_);
  auto& claims = space == Space::port ? ports_ : mmio_;
  // BEGIN SOLUTION lab 2: refuse a claim that overlaps another, then record it
  for (const auto& [start, claim] : claims) {
    if (first < claim.first + claim.size && claim.first < first + size) {
      return Error::invalid("overlaps " + claim.device->name() + " at " + describe_address(space, claim.first), object,
                            "give each device its own addresses");
    }
  }
  claims[first] = Claim{first, size, std::move(device)};
  return {};
  // END SOLUTION
}

const DeviceBus::Claim* DeviceBus::find(Space space, std::uint64_t address) const {
  const auto& claims = space == Space::port ? ports_ : mmio_;
  // BEGIN SOLUTION lab 2: find the claim that holds `address`
  // The claim holding `address`, if any, is the last one starting at or below it.
  auto after = claims.upper_bound(address);
  if (after == claims.begin()) return nullptr;
  const Claim& claim = std::prev(after)->second;
  return address - claim.first < claim.size ? &claim : nullptr;
  // END SOLUTION
}

BusResult DeviceBus::dispatch(IoAccess& access) {
  std::lock_guard lock(mutex_);
  const Claim* claim = find(access.space, access.address);
  if (claim == nullptr) {
    ++unclaimed_[{access.space, access.kind, access.address}];
    if (access.kind == AccessKind::read) std::fill(access.data.begin(), access.data.end(), 0xff);
    return BusResult{};
  }
  return BusResult{true, claim->device->access(access)};
}

std::vector<UnclaimedAccess> DeviceBus::unclaimed() const {
  std::lock_guard lock(mutex_);
  std::vector<UnclaimedAccess> list;
  for (const auto& [key, count] : unclaimed_) {
    list.push_back(UnclaimedAccess{std::get<0>(key), std::get<1>(key), std::get<2>(key), count});
  }
  return list;
}

std::uint64_t DeviceBus::unclaimed_total() const {
  std::lock_guard lock(mutex_);
  std::uint64_t total = 0;
  for (const auto& entry : unclaimed_) total += entry.second;
  return total;
}

}  // namespace deploylab::hv
