// hypervisor/vmm/guest_image.h: loading a guest program (a flat binary, hypervisor/guests/) into
// guest RAM. A flat binary has no header: its first byte goes to the load address and execution
// starts there. That makes the checks ours: the file must exist, hold something, and fit.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "hypervisor/kvm/guest_memory.h"

namespace deploylab::hv {

// Reads a guest image file; an empty or unreadable file is an error that says so.
Result<std::vector<std::uint8_t>> read_guest_image(const std::string& path);

// Copies `image` to guest-physical `address`. An image that does not fit in the RAM region there
// is an error that gives both sizes and what to do.
Result<void> load_flat_image(const GuestMemory& memory, std::uint64_t address, std::span<const std::uint8_t> image);

}  // namespace deploylab::hv
