// hypervisor/vmm/machine.h: Machine, a whole small virtual machine ready to run a guest program:
// the VM with a PC-like memory map (hypervisor/guests/abi.h), the devices on the bus, vCPUs set up
// for real, protected or long mode, one thread per vCPU, and a watchdog for --timeout. It is what
// `minivmm run-guest` and `minivmm bench-exits` drive; the lab tests use the pieces directly too.
//
//   create():  open /dev/kvm -> create the VM -> add RAM -> claim devices -> create vCPUs
//   load():    copy the guest image to the load address of the CPU mode
//   run():     set up each vCPU's registers -> run them -> collect how each one ended
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "hypervisor/boot/cpu_mode.h"
#include "hypervisor/devices/debug_console.h"
#include "hypervisor/devices/device_bus.h"
#include "hypervisor/kvm/kvm.h"
#include "hypervisor/kvm/vm.h"
#include "hypervisor/vmm/exit_loop.h"

namespace deploylab::hv {

struct MachineConfig {
  std::string kvm_device = kDefaultKvmDevice;
  CpuMode mode = CpuMode::real;
  int vcpus = 1;
  std::uint64_t high_ram = 2 << 20;          // RAM from 1 MiB up; low RAM (640 KiB) is always there
  std::chrono::milliseconds timeout{0};      // 0: no limit
  std::uint64_t initial_rcx = 0;             // handed to the guest in RCX (the benchmarks' count)
  bool forward_map_gpa_range = false;        // KVM_CAP_EXIT_HYPERCALL for KVM_HC_MAP_GPA_RANGE
  UnclaimedMmio unclaimed_mmio = UnclaimedMmio::stop;
  DebugConsole::Echo echo;                   // where guest output goes as it comes (optional)
};

struct MachineReport {
  enum class End { halted, guest_exit, error, timeout } end = End::halted;
  int exit_code = 0;        // guest_exit: the guest's code
  std::string message;      // error/timeout: one line saying what happened and what to do
  std::string register_dump;
  std::vector<VcpuOutcome> vcpus;
  ExitStats total;
  std::vector<UnclaimedAccess> unclaimed;
  std::string console;      // everything the guest printed
  std::chrono::nanoseconds elapsed{0};

  // minivmm's exit code: 0 when every vCPU halted, the guest's own code for the exit hypercall,
  // 1 for an error, 124 for a timeout (like timeout(1)).
  int process_exit_code() const;
};

std::string to_string(MachineReport::End end);

class Machine {
 public:
  static Result<std::unique_ptr<Machine>> create(MachineConfig config);

  // Copies the guest image to the load address of the configured CPU mode.
  Result<void> load(std::span<const std::uint8_t> image);

  // Sets every vCPU's registers for a fresh start at the load address (run() does it first).
  Result<void> reset_vcpus();
  // The RCX every vCPU starts with (the bench guests' iteration count); takes effect at the next reset.
  void set_initial_rcx(std::uint64_t rcx) { config_.initial_rcx = rcx; }

  // Runs every vCPU until all halted, the guest exited, something failed or the timeout passed.
  Result<MachineReport> run();

  const GuestMemory& memory() const { return vm_.memory(); }
  DeviceBus& bus() { return bus_; }
  Vm& vm() { return vm_; }
  Vcpu& vcpu(int id) { return vcpus_.at(static_cast<std::size_t>(id)); }
  const MachineConfig& config() const { return config_; }

 private:
  Machine(MachineConfig config, Kvm kvm, Vm vm) : config_(std::move(config)), kvm_(std::move(kvm)), vm_(std::move(vm)) {}
  Result<void> add_devices();
  Result<void> prepare_vcpu(Vcpu& vcpu);
  Result<void> apply_initial_rcx(Vcpu& vcpu);
  MachineReport collect(std::vector<VcpuOutcome> outcomes, bool timed_out);

  MachineConfig config_;
  Kvm kvm_;
  Vm vm_;
  DeviceBus bus_;
  std::shared_ptr<DebugConsole> console_;
  std::vector<Vcpu> vcpus_;
};

// "2M", "512K", "1G" or plain bytes -> bytes. RAM comes in whole 4 KiB pages, from 64 KiB to 3 GiB
// (above that, high RAM would run into the 32-bit MMIO space a PC keeps below 4 GiB).
Result<std::uint64_t> parse_memory_size(std::string_view text);

// The guest-physical address a guest image for `mode` is loaded at and starts from.
std::uint64_t load_address(CpuMode mode);

}  // namespace deploylab::hv
