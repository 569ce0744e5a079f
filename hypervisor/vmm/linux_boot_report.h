// hypervisor/vmm/linux_boot_report.h: how a Linux guest's run ended and what it cost, as
// `minivmm boot` reports it (lab 04).
//
// Part of vmm/: LinuxMachine (linux_machine.h) fills a LinuxBootReport; the pure decision of how
// the run ended (classify_linux_end) and the --timings text and JSON live here so tests reach them
// without KVM.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hypervisor/devices/device_bus.h"
#include "hypervisor/vmm/exit_loop.h"
#include "hypervisor/vmm/exit_stats.h"
#include "hypervisor/vmm/kernel_console.h"

namespace deploylab::hv {

// Milliseconds from the VMM's start (main()) to each moment; empty when it did not happen.
struct BootTimings {
  std::optional<double> first_instruction_ms;  // the first KVM_RUN of vCPU 0
  std::optional<double> run_init_ms;           // the kernel printed "Run /init as init process"
  std::optional<double> init_marker_ms;        // init wrote to the boot timer
  std::optional<double> exit_ms;               // the VM stopped
  std::uint64_t vmm_rss_kib = 0;               // minivmm's resident memory without guest RAM
  std::uint64_t vmm_private_kib = 0;           // of that, what no other process shares
  std::uint64_t guest_ram_touched_kib = 0;     // guest RAM pages that are resident
  std::uint64_t guest_ram_kib = 0;             // guest RAM given
};

struct LinuxBootReport {
  enum class End {
    power_off,    // init asked for it: minivmm exits 0
    restart,      // init asked for a reboot: minivmm stops the guest and exits 0
    halt,         // init asked for a halt: minivmm exits 0
    panic,        // the kernel panicked: exit 3
    crash,        // the guest stopped without saying why (a triple fault, KVM gave up): exit 1
    error,        // minivmm itself failed (a device, an ioctl): exit 1
    timeout,      // --timeout passed: exit 124
    interrupted,  // the user stopped it (Ctrl-A x): exit 130
  } end = End::error;
  std::string message;        // one line: what happened and, if something is wrong, what to do
  std::string register_dump;  // crash: the vCPU's registers
  std::string last_console_lines;
  BootTimings timings;
  ExitStats total;
  std::vector<UnclaimedAccess> unclaimed;
  std::string virtualization;  // "kvm_amd (hardware)", ... (for the benchmark's report)

  int process_exit_code() const;
};

std::string to_string(LinuxBootReport::End end);

// How the run ended, from what the console announced, how the vCPUs ended and why the run stopped.
struct RunEnding {
  KernelConsole::Shutdown announced = KernelConsole::Shutdown::none;
  std::string announcement;            // the console line that announced it
  std::vector<VcpuOutcome> outcomes;
  bool timed_out = false;
  bool stopped_by_user = false;
  std::chrono::milliseconds timeout{0};
};
// Sets end, message and register_dump of `report`.
void classify_linux_end(const RunEnding& ending, LinuxBootReport& report);

// The --timings table (several lines) and the --timings-json object (one line).
std::string format_timings(const LinuxBootReport& report);
std::string timings_json(const LinuxBootReport& report);

}  // namespace deploylab::hv
