// hypervisor/vmm/linux_machine.h: LinuxMachine, a virtual PC that boots a real Linux kernel: what
// `minivmm boot` runs (lab 04).
//
// Part of vmm/, next to Machine (labs 01-03), which runs our own small guests. A real kernel
// expects much more of its machine, and this class provides it:
//
//   create():  read, check and plan the bzImage, the initramfs and the command line before
//              anything else (boot/: bzimage.h, boot_params.h) -> open /dev/kvm -> VM -> KVM's
//              in-kernel interrupt controllers (PIC, I/O APIC, local APICs) and timer (PIT) -> RAM
//              from 0 -> devices: the 16550 UART on COM1 (IRQ 4), the ACPI power-off register,
//              the boot timer, and optionally a virtio-mmio block disk (IRQ 5) -> the ACPI tables
//              that describe all of that and the CPUs (boot/acpi_tables.h), the MP table for a
//              kernel booted with acpi=off (boot/mptable.h) -> the kernel, initramfs, command
//              line, zero page, GDT and page tables into RAM (boot/linux_loader.h) -> vCPUs with
//              CPUID, MSRs, FPU and local APIC set (boot/guest_*.h, local_apic.h); vCPU 0 at the
//              kernel's 64-bit entry
//   run():     every vCPU on its own thread (VcpuRunner) until the kernel powers off (the ACPI
//              register), halts, reboots or panics (its console says so: kernel_console.h),
//              crashes, or the timeout passes; then a report with timings (linux_boot_report.h)
//
// The other vCPUs start in the state KVM gives them: "waiting for INIT/SIPI". They run nothing
// until the kernel on vCPU 0 wakes them with INIT and STARTUP IPIs through its local APIC, as
// firmware-less SMP works on a PC; KVM_RUN just blocks until then.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/mapping.h"
#include "common/result.h"
#include "hypervisor/boot/acpi_tables.h"
#include "hypervisor/boot/boot_params.h"
#include "hypervisor/boot/bzimage.h"
#include "hypervisor/devices/boot_timer.h"
#include "hypervisor/devices/device_bus.h"
#include "hypervisor/devices/serial_uart.h"
#include "hypervisor/devices/virtio_blk.h"
#include "hypervisor/kvm/kvm.h"
#include "hypervisor/kvm/vm.h"
#include "hypervisor/vmm/kernel_console.h"
#include "hypervisor/vmm/linux_boot_report.h"
#include "hypervisor/vmm/vcpu_runner.h"

namespace deploylab::hv {

// What minivmm puts on the kernel command line when the user gives none: the console on COM1;
// reboot and panic (at once) end in a triple fault, which stops the VM (kernel_console.h).
inline constexpr const char* kDefaultLinuxCmdline = "console=ttyS0 reboot=t panic=-1";

struct DiskConfig {
  std::filesystem::path path;
  DiskAccess access = DiskAccess::read_write;
};

struct LinuxMachineConfig {
  std::string kvm_device = kDefaultKvmDevice;
  std::filesystem::path kernel;
  std::filesystem::path initrd;             // empty: no initramfs
  std::uint64_t ram = 256ull << 20;
  int vcpus = 1;
  std::string cmdline = kDefaultLinuxCmdline;  // the machine appends its device parameters
  std::optional<DiskConfig> disk;
  SerialUart::Sink console;                 // where the guest's console output goes (may be empty)
  std::chrono::milliseconds timeout{0};     // 0: no limit
  std::chrono::steady_clock::time_point vmm_start = std::chrono::steady_clock::now();
};

class LinuxMachine {
 public:
  // The kernel and initramfs read, checked and planned (before any KVM object exists).
  struct GuestFiles {
    GuestFiles() = default;
    GuestFiles(GuestFiles&&) = default;  // the mappings stay where they are, so `image` stays valid
    GuestFiles(const GuestFiles&) = delete;
    // The files mapped read-only rather than read into the heap: once the guest is loaded they are
    // unmapped, and none of their 10 MB stays in minivmm's resident memory.
    std::optional<Mapping> kernel, initrd;
    BzImage image;  // points into `kernel`
    LinuxBootPlan plan;
    std::shared_ptr<VirtioBlk> disk;  // open, when the config asks for one
  };
  // Reads the kernel and initramfs and checks that they fit (bzimage.h, boot_params.h): every
  // refusal of bad input happens here, before /dev/kvm is opened.
  static Result<GuestFiles> read_guest_files(const LinuxMachineConfig& config);

  static Result<std::unique_ptr<LinuxMachine>> create(LinuxMachineConfig config, GuestFiles files);
  static Result<std::unique_ptr<LinuxMachine>> create(LinuxMachineConfig config) {
    GuestFiles files = DL_TRY(read_guest_files(config));
    return create(std::move(config), std::move(files));
  }
  ~LinuxMachine();

  // Boots the guest and runs it to its end. Once per machine.
  Result<LinuxBootReport> run();

  // Keys the user typed, for the guest's console (any thread).
  void type(std::span<const std::uint8_t> bytes) { uart_->push_input(bytes); }
  // Stop the guest now (any thread): the user pressed Ctrl-A x.
  void stop();

  // What the kernel gets: the user's command line plus the devices' parameters.
  const std::string& full_cmdline() const { return cmdline_; }
  const std::string& kernel_version() const { return kernel_version_; }
  const GuestMemory& memory() const { return vm_.memory(); }
  std::shared_ptr<VirtioBlk> disk() const { return disk_; }

 private:
  static std::string kernel_cmdline(const LinuxMachineConfig& config);
  LinuxMachine(LinuxMachineConfig config, Kvm kvm, Vm vm);
  Result<void> create_interrupt_controllers();
  Result<void> load_guest(const GuestFiles& files);
  Result<void> add_devices();
  AcpiConfig acpi_config() const;
  Result<void> create_vcpus();
  void on_console_output(std::string_view bytes);
  void set_irq(std::uint32_t irq, bool high);
  LinuxBootReport report(const VcpuRunResult& result, std::chrono::steady_clock::time_point stopped);

  LinuxMachineConfig config_;
  Kvm kvm_;
  Vm vm_;
  DeviceBus bus_;
  std::shared_ptr<SerialUart> uart_;
  std::shared_ptr<BootTimer> boot_timer_;
  std::shared_ptr<VirtioBlk> disk_;
  std::vector<Vcpu> vcpus_;
  VcpuRunner runner_;
  KernelConsole console_;  // fed on vCPU threads, under the bus lock (the UART's accesses)
  std::optional<std::chrono::steady_clock::time_point> first_run_;
  kvm_regs entry_regs_{};  // vCPU 0's registers at the kernel's entry (load_guest)
  std::string cmdline_;
  std::string kernel_version_;
  std::atomic<bool> stopped_by_user_{false};  // set by the console input thread
};

}  // namespace deploylab::hv
