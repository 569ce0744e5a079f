// hypervisor/devices/acpi_sleep.cpp: the ACPI sleep control and status registers (see
// acpi_sleep.h).
#include "hypervisor/devices/acpi_sleep.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace deploylab::hv {

std::optional<StopRequest> AcpiSleepControl::access(IoAccess& access) {
  if (access.kind == AccessKind::read) {
    std::fill(access.data.begin(), access.data.end(), std::uint8_t{0});  // never "woke up"
    return std::nullopt;
  }
  if (access.address != base_ || access.data.empty()) return std::nullopt;  // status writes: nothing to clear
  const std::uint8_t value = access.data[0];
  if ((value & kSleepEnable) == 0) return std::nullopt;
  const std::uint8_t type = (value & kSleepTypeMask) >> kSleepTypeShift;
  if (type != soft_off_type_) {
    spdlog::warn("the guest asked for ACPI sleep type {}, which minivmm does not offer; ignored", type);
    return std::nullopt;
  }
  return StopRequest{StopRequest::Kind::guest_exit, 0, "the guest powered off (ACPI S5)"};
}

}  // namespace deploylab::hv
