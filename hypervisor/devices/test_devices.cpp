// hypervisor/devices/test_devices.cpp: the null device and the MMIO test device (see
// test_devices.h).
#include "hypervisor/devices/test_devices.h"

#include <algorithm>
#include <cstring>

#include "common/error.h"  // NotImplemented: what the student kit's stubs throw
#include "hypervisor/guests/abi.h"

namespace deploylab::hv {

std::optional<StopRequest> NullDevice::access(IoAccess& access) {
  ++accesses_;
  if (access.kind == AccessKind::read) std::fill(access.data.begin(), access.data.end(), 0);
  return std::nullopt;
}

std::optional<StopRequest> MmioTestDevice::access(IoAccess& access) {
  // BEGIN SOLUTION lab 2: serve the scratch and counter registers
  ++counter_;
  std::uint64_t offset = access.address - base_;
  std::uint32_t value = 0;
  if (access.kind == AccessKind::write) {
    std::memcpy(&value, access.data.data(), std::min(access.data.size(), sizeof value));
    if (offset == DL_MMIO_REG_SCRATCH) scratch_ = value;
    return std::nullopt;
  }
  if (offset == DL_MMIO_REG_SCRATCH) value = scratch_;
  if (offset == DL_MMIO_REG_COUNTER) value = counter_;
  std::fill(access.data.begin(), access.data.end(), 0);
  std::memcpy(access.data.data(), &value, std::min(access.data.size(), sizeof value));
  return std::nullopt;
  // END SOLUTION
}

}  // namespace deploylab::hv
