// labs/01-kvm-hello/lab01_support.h: what lab 01's tests share: a VM with 640 KiB of RAM at 0 and
// one vCPU, and loading a guest image into it and running it with lab 01's run_until_halt().
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>

#include "hypervisor/guests/abi.h"
#include "hypervisor/guests/guest_files.h"
#include "hypervisor/kvm/first_run.h"
#include "hypervisor/kvm/kvm.h"
#include "hypervisor/kvm/vm.h"
#include "hypervisor/vmm/guest_image.h"

namespace deploylab::hv {

struct Lab01Vm {
  std::optional<Kvm> kvm;
  std::optional<Vm> vm;
  std::optional<Vcpu> vcpu;
};

inline Lab01Vm make_lab01_vm() {
  Lab01Vm t;
  t.kvm.emplace(Kvm::open().value());
  t.vm.emplace(Vm::create(*t.kvm).value());
  t.vm->add_ram(0, DL_LOW_RAM_SIZE).value();
  t.vcpu.emplace(t.vm->create_vcpu(0).value());
  return t;
}

// Copies BUILD/guests/NAME.bin to the real-mode load address and points the vCPU at it.
inline void load_guest(Lab01Vm& t, const std::string& name) {
  load_flat_image(t.vm->memory(), DL_REAL_MODE_LOAD_ADDRESS, guest_image(name).value()).value();
  t.vcpu->enter_real_mode(DL_REAL_MODE_LOAD_ADDRESS, DL_REAL_MODE_LOAD_ADDRESS).value();
}

inline FirstRun run_guest(Lab01Vm& t, const std::string& name) {
  load_guest(t, name);
  return run_until_halt(*t.vcpu).value();
}

}  // namespace deploylab::hv
