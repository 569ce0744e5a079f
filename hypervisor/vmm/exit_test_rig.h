// hypervisor/vmm/exit_test_rig.h: what the tests of handle_exit() share (lab 02's visible and
// hidden tests): a bus with the devices minivmm has, the context handle_exit() needs, and a
// made-up kvm_run (fake_exit.h) to describe the exit.
#pragma once

#include <memory>
#include <vector>

#include "hypervisor/devices/debug_console.h"
#include "hypervisor/devices/test_devices.h"
#include "hypervisor/guests/abi.h"
#include "hypervisor/vmm/exit_handler.h"
#include "hypervisor/vmm/fake_exit.h"

namespace deploylab::hv {

// A bus with the debug console, the null device and the MMIO test device, as minivmm has.
struct ExitRig {
  DeviceBus bus;
  ExitStats stats;
  std::vector<KvmHypercall> hypercalls;
  std::shared_ptr<DebugConsole> console = std::make_shared<DebugConsole>();
  ExitContext context{bus, stats, hypercalls, 0, false, UnclaimedMmio::stop};
  FakeRun fake;

  ExitRig() {
    bus.claim(Space::port, DL_PORT_DEBUG_CONSOLE, 1, console).value();
    bus.claim(Space::port, DL_PORT_NULL, 1, std::make_shared<NullDevice>()).value();
    bus.claim(Space::mmio, DL_MMIO_TEST_DEVICE, DL_MMIO_TEST_DEVICE_SIZE, std::make_shared<MmioTestDevice>(DL_MMIO_TEST_DEVICE))
        .value();
  }
  Verdict handle(kvm_run& run) { return handle_exit(run, FakeRun::kSize, context); }
};

}  // namespace deploylab::hv
