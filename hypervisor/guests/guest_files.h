// hypervisor/guests/guest_files.h: where the built guest images are, for host code and tests
// that link deploylab_guest_paths (which defines DEPLOYLAB_GUEST_DIR and builds the guests first).
#pragma once

#include <string>

#include "common/result.h"
#include "hypervisor/vmm/guest_image.h"

namespace deploylab::hv {

// BUILD/guests/NAME.bin
inline std::string guest_file(const std::string& name) { return std::string(DEPLOYLAB_GUEST_DIR) + "/" + name + ".bin"; }

// The bytes of BUILD/guests/NAME.bin.
inline Result<std::vector<std::uint8_t>> guest_image(const std::string& name) { return read_guest_image(guest_file(name)); }

}  // namespace deploylab::hv
