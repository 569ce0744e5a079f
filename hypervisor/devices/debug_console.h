// hypervisor/devices/debug_console.h: the debug console at port 0xe9, the simplest useful device:
// every byte the guest writes is one character of output. (Bochs and QEMU's -debugcon use the
// same port, so our guests print the same way there.) Reads return 0xe9, which is how Bochs lets
// a guest detect the port.
//
// The console keeps everything written (tests and reports read it) and can echo it as it comes.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "hypervisor/devices/device.h"

namespace deploylab::hv {

class DebugConsole : public Device {
 public:
  using Echo = std::function<void(std::string_view)>;
  explicit DebugConsole(Echo echo = {}) : echo_(std::move(echo)) {}

  std::string name() const override { return "debug console"; }
  std::optional<StopRequest> access(IoAccess& access) override;

  // Text from elsewhere that belongs in the same stream (the print hypercall).
  void write(std::string_view text);
  // Everything written so far. Not thread-safe: read it after the vCPUs stopped.
  const std::string& output() const { return output_; }

 private:
  Echo echo_;
  std::string output_;
};

}  // namespace deploylab::hv
