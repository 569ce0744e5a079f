// hypervisor/devices/boot_timer.cpp: the guest's "userspace is up" mark (see boot_timer.h).
#include "hypervisor/devices/boot_timer.h"

#include <algorithm>

namespace deploylab::hv {

namespace {

// The bytes of a write as a number: x86 is little-endian; wider than 8 bytes keeps the first 8.
std::uint64_t little_endian(std::span<const std::uint8_t> bytes) {
  std::uint64_t value = 0;
  for (std::size_t i = std::min<std::size_t>(bytes.size(), 8); i > 0; --i) value = (value << 8) | bytes[i - 1];
  return value;
}

}  // namespace

std::optional<StopRequest> BootTimer::access(IoAccess& access) {
  if (access.kind == AccessKind::read) {
    std::fill(access.data.begin(), access.data.end(), 0);
    return std::nullopt;
  }
  // Read the clock before taking the lock: the mark is when the guest wrote, not when we got in.
  Clock::time_point now = Clock::now();
  std::uint64_t value = little_endian(access.data);
  bool first = false;
  {
    std::lock_guard lock(mutex_);
    ++writes_;
    if (!first_write_) {
      first_write_ = now;
      first_value_ = value;
      first = true;
    }
  }
  if (first && on_first_write_) on_first_write_(now, value);
  return std::nullopt;
}

std::optional<BootTimer::Clock::time_point> BootTimer::first_write() const {
  std::lock_guard lock(mutex_);
  return first_write_;
}

std::optional<std::uint64_t> BootTimer::first_value() const {
  std::lock_guard lock(mutex_);
  if (!first_write_) return std::nullopt;
  return first_value_;
}

std::uint64_t BootTimer::writes() const {
  std::lock_guard lock(mutex_);
  return writes_;
}

}  // namespace deploylab::hv
