// hypervisor/devices/debug_console.cpp: port 0xe9 output (see debug_console.h).
#include "hypervisor/devices/debug_console.h"

#include <algorithm>

#include "hypervisor/guests/abi.h"

namespace deploylab::hv {

std::optional<StopRequest> DebugConsole::access(IoAccess& access) {
  if (access.kind == AccessKind::read) {
    std::fill(access.data.begin(), access.data.end(), DL_PORT_DEBUG_CONSOLE);
    return std::nullopt;
  }
  write(std::string_view(reinterpret_cast<const char*>(access.data.data()), access.data.size()));
  return std::nullopt;
}

void DebugConsole::write(std::string_view text) {
  output_.append(text);
  if (echo_) echo_(text);
}

}  // namespace deploylab::hv
