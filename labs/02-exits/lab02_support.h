// labs/02-exits/lab02_support.h: what lab 02's guest tests share: run one of the real-mode guests
// (hypervisor/guests/) on a Machine (hypervisor/vmm/machine.h) and read what it left behind.
#pragma once

#include <gtest/gtest.h>

#include "hypervisor/guests/abi.h"
#include "hypervisor/guests/guest_files.h"
#include "hypervisor/kvm/cpu_vendor.h"
#include "hypervisor/vmm/machine.h"

namespace deploylab::hv {

struct GuestRun {
  std::unique_ptr<Machine> machine;
  MachineReport report;

  std::uint32_t mailbox(std::uint64_t offset) const {
    return machine->memory().read_value<std::uint32_t>(DL_MAILBOX_ADDRESS + offset).value();
  }
};

inline MachineConfig real_mode_config() {
  MachineConfig config;
  config.timeout = std::chrono::seconds(20);  // a broken exit loop must not hang the test
  return config;
}

inline GuestRun run_guest(const std::string& name, MachineConfig config = real_mode_config()) {
  GuestRun run;
  run.machine = Machine::create(std::move(config)).value();
  run.machine->load(guest_image(name).value()).value();
  run.report = run.machine->run().value();
  return run;
}

// The guest image that uses this CPU's own hypercall instruction ("hypercall_unknown_vmmcall" on
// AMD), or the other vendor's.
inline std::string native_guest(const std::string& stem) {
  return stem + "_" + native_hypercall_instruction(host_cpu_vendor());
}
inline std::string foreign_guest(const std::string& stem) {
  return stem + "_" + foreign_hypercall_instruction(host_cpu_vendor());
}

}  // namespace deploylab::hv
