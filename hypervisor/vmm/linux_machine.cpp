// hypervisor/vmm/linux_machine.cpp: building a PC for a Linux guest and running it (see
// linux_machine.h).
#include "hypervisor/vmm/linux_machine.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <spdlog/spdlog.h>

#include "common/error.h"
#include "common/file_io.h"
#include "common/smaps.h"
#include "hypervisor/boot/acpi_tables.h"
#include "hypervisor/boot/boot_params.h"
#include "hypervisor/boot/bzimage.h"
#include "hypervisor/boot/fpu_state.h"
#include "hypervisor/boot/guest_cpuid.h"
#include "hypervisor/boot/guest_msrs.h"
#include "hypervisor/boot/linux_layout.h"
#include "hypervisor/boot/linux_loader.h"
#include "hypervisor/boot/local_apic.h"
#include "hypervisor/boot/mptable.h"
#include "hypervisor/boot/page_tables.h"
#include "hypervisor/devices/acpi_sleep.h"
#include "hypervisor/devices/virtio_mmio.h"

namespace deploylab::hv {

namespace layout = linux_layout;
using Clock = std::chrono::steady_clock;

namespace {

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// The whole file, mapped read-only; std::nullopt for an empty file (there is nothing to map).
Result<std::optional<Mapping>> map_file(const std::filesystem::path& path, const std::string& what) {
  UniqueFd fd = DL_TRY(open_file(path, O_RDONLY | O_CLOEXEC).context("reading " + what));
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return Error::os("fstat", path.string(), errno);
  if (info.st_size == 0) return std::optional<Mapping>();
  return std::optional<Mapping>(DL_TRY(Mapping::of_fd(fd.get(), static_cast<std::size_t>(info.st_size), PROT_READ, path.string())));
}

std::span<const std::uint8_t> bytes_of(const std::optional<Mapping>& file) {
  if (!file) return {};
  return {file->bytes(), file->size()};
}

}  // namespace

LinuxMachine::LinuxMachine(LinuxMachineConfig config, Kvm kvm, Vm vm)
    : config_(std::move(config)), kvm_(std::move(kvm)), vm_(std::move(vm)) {}

LinuxMachine::~LinuxMachine() = default;

Result<std::unique_ptr<LinuxMachine>> LinuxMachine::create(LinuxMachineConfig config, GuestFiles files) {
  Kvm kvm = DL_TRY(Kvm::open(config.kvm_device));
  Vm vm = DL_TRY(Vm::create(kvm));
  std::unique_ptr<LinuxMachine> machine(new LinuxMachine(std::move(config), std::move(kvm), std::move(vm)));
  DL_TRY(machine->create_interrupt_controllers());
  DL_TRY(machine->vm_.add_ram(0, machine->config_.ram));
  machine->disk_ = files.disk;
  DL_TRY(machine->add_devices());
  DL_TRY(machine->load_guest(files));
  DL_TRY(machine->create_vcpus());
  return machine;
}

// KVM emulates the PC's interrupt controllers and timer in the kernel: an interrupt from the PIT
// or a device reaches the vCPU without a round trip through us.
Result<void> LinuxMachine::create_interrupt_controllers() {
  DL_TRY(vm_.set_tss_address(layout::kKvmTss));
  DL_TRY(vm_.set_identity_map_address(layout::kKvmIdentityMap));
  DL_TRY(vm_.create_irqchip());
  DL_TRY(vm_.create_pit());
  return {};
}

void LinuxMachine::set_irq(std::uint32_t irq, bool high) {
  auto done = vm_.set_irq_line(irq, high);
  if (!done.ok()) spdlog::warn("{}", done.error().message());
}

Result<void> LinuxMachine::add_devices() {
  auto irq = [this](std::uint32_t number) {
    return IrqLine(number, [this](std::uint32_t line, bool high) { set_irq(line, high); });
  };
  uart_ = std::make_shared<SerialUart>(layout::kUartPort, irq(layout::kUartIrq),
                                       [this](std::string_view bytes) { on_console_output(bytes); });
  DL_TRY(bus_.claim(Space::port, layout::kUartPort, layout::kUartPorts, uart_));
  DL_TRY(bus_.claim(Space::port, layout::kAcpiSleepPort, 2,
                    std::make_shared<AcpiSleepControl>(layout::kAcpiSleepPort, kSleepTypeS5)));
  boot_timer_ = std::make_shared<BootTimer>();
  DL_TRY(bus_.claim(Space::mmio, layout::kBootTimer, layout::kBootTimerSize, boot_timer_));
  if (disk_) {
    auto transport = std::make_shared<VirtioMmio>(layout::kVirtioBlock, vm_.memory(), disk_, irq(layout::kVirtioBlockIrq));
    DL_TRY(bus_.claim(Space::mmio, layout::kVirtioBlock, layout::kVirtioBlockSize, transport));
  }
  return {};
}

// The command line the kernel gets: the user's, plus where the boot timer is for the guest's init.
std::string LinuxMachine::kernel_cmdline(const LinuxMachineConfig& config) {
  return config.cmdline + " deploylab.boot_timer=" + hex(layout::kBootTimer);
}

Result<LinuxMachine::GuestFiles> LinuxMachine::read_guest_files(const LinuxMachineConfig& config) {
  if (config.vcpus < 1 || config.vcpus > kMaxVcpus) {
    return Error::invalid("asked for " + std::to_string(config.vcpus) + " vCPUs", "--vcpus",
                          "give between 1 and " + std::to_string(kMaxVcpus));
  }
  GuestFiles files;
  files.kernel = DL_TRY(map_file(config.kernel, "the kernel (--kernel)"));
  files.image = DL_TRY(parse_bzimage(bytes_of(files.kernel)).context(config.kernel.string()));
  if (!config.initrd.empty()) files.initrd = DL_TRY(map_file(config.initrd, "the initramfs (--initrd)"));
  const auto initrd = bytes_of(files.initrd);
  files.plan = DL_TRY(plan_linux_boot(files.image, config.ram, initrd.size(), kernel_cmdline(config)));
  if (config.disk) files.disk = DL_TRY(VirtioBlk::open(config.disk->path, config.disk->access).context("--disk"));
  return files;
}

Result<void> LinuxMachine::load_guest(const GuestFiles& files) {
  kernel_version_ = files.image.version;
  cmdline_ = files.plan.cmdline;
  // How the kernel learns what hardware there is: ACPI tables (the CPUs, the I/O APIC, the UART
  // and the virtio-mmio disk) and, for a kernel booted with acpi=off, the older MP table.
  LinuxBootPlan plan = files.plan;
  plan.acpi_rsdp_address = DL_TRY(write_acpi_tables(vm_.memory(), acpi_config()));
  DL_TRY(write_mp_table(vm_.memory(), layout::kMpTable, config_.vcpus));
  DL_TRY(load_linux(vm_.memory(), files.image, bytes_of(files.initrd), plan));
  spdlog::debug("kernel {} at {}, initramfs at {} ({} bytes), command line \"{}\"", files.image.version,
                hex(files.plan.kernel_address), hex(files.plan.initrd_address), files.plan.initrd_size, cmdline_);
  // vCPU 0 starts at the 64-bit entry; the registers are set in create_vcpus().
  entry_regs_ = linux_entry_regs(files.plan);
  return {};
}

AcpiConfig LinuxMachine::acpi_config() const {
  AcpiConfig acpi;
  acpi.vcpus = config_.vcpus;
  acpi.io_apic_id = mp_io_apic_id(config_.vcpus);
  acpi.serial_ports = {{layout::kUartPort, layout::kUartIrq}};
  acpi.sleep = AcpiSleepRegisters{layout::kAcpiSleepPort};
  if (disk_) acpi.virtio_devices = {{layout::kVirtioBlock, layout::kVirtioBlockSize, layout::kVirtioBlockIrq}};
  return acpi;
}

Result<void> LinuxMachine::create_vcpus() {
  // KVM offers the CPUID leaves it can virtualize; each vCPU gets them with its own APIC id.
  auto supported = kvm_.supported_cpuid();
  if (!supported.ok()) {
    return Error::invalid("this KVM gives no CPUID list (" + supported.error().message() + ")", kvm_.device(),
                          "a Linux guest needs one; on kvm_pvm run minivmm inside vmhost (vmhost run -- ...)");
  }
  const std::vector<MsrValue> boot = boot_msrs();
  const KvmMsrs msrs = KvmMsrs::to_set(boot);
  for (int id = 0; id < config_.vcpus; ++id) {
    Vcpu vcpu = DL_TRY(vm_.create_vcpu(id));
    DL_TRY(vcpu.set_cpuid(guest_cpuid(supported.value(), id, config_.vcpus)));
    const int set = DL_TRY(vcpu.set_msrs(msrs.get()));
    if (set < static_cast<int>(boot.size())) {
      return Error::invalid("KVM refused to set " + msr_name(boot[static_cast<std::size_t>(set)].index), vcpu.name(),
                            "this KVM does not emulate that MSR");
    }
    DL_TRY(vcpu.set_fpu(initial_fpu()));
    if (id == 0) {
      // The boot CPU as firmware leaves it: on a machine without a PIC (hardware-reduced ACPI),
      // LINT0 masked; and it sits at the kernel's 64-bit entry.
      DL_TRY(vcpu.set_lapic(without_legacy_pic(DL_TRY(vcpu.lapic()))));
      DL_TRY(vcpu.set_sregs(linux_entry_sregs(DL_TRY(vcpu.sregs()), layout::kPageTables)));
      DL_TRY(vcpu.set_regs(entry_regs_));
    }
    vcpus_.push_back(std::move(vcpu));
  }
  return {};
}

void LinuxMachine::on_console_output(std::string_view bytes) {
  if (config_.console) config_.console(bytes);
  auto shutdown = console_.feed(bytes, Clock::now());
  // A reboot or halt is final once announced: stop now rather than wait for the reset (or, for a
  // halt, for ever). A power-off ends at the ACPI sleep register a moment later (acpi_sleep.h); a
  // panic goes on to print its reasons, then resets (panic=-1) into a triple fault.
  using Shutdown = KernelConsole::Shutdown;
  if (shutdown == Shutdown::restart || shutdown == Shutdown::halt) runner_.request_stop();
}

void LinuxMachine::stop() {
  stopped_by_user_ = true;
  runner_.request_stop();
}

Result<LinuxBootReport> LinuxMachine::run() {
  VcpuLoopOptions options{.long_mode = true, .unclaimed_mmio = UnclaimedMmio::ignore};
  first_run_ = Clock::now();
  VcpuRunResult result = DL_TRY(runner_.run(vcpus_, bus_, options, config_.timeout));
  return report(result, Clock::now());
}

LinuxBootReport LinuxMachine::report(const VcpuRunResult& result, Clock::time_point stopped) {
  LinuxBootReport report;
  RunEnding ending{console_.shutdown(), console_.shutdown_line(), result.outcomes, result.timed_out,
                   stopped_by_user_, config_.timeout};
  classify_linux_end(ending, report);
  report.last_console_lines = console_.last_lines();
  for (const auto& outcome : result.outcomes) report.total += outcome.stats;
  report.unclaimed = bus_.unclaimed();
  BootTimings& t = report.timings;
  const Clock::time_point start = config_.vmm_start;
  if (first_run_) t.first_instruction_ms = ms_between(start, *first_run_);
  if (console_.run_init()) t.run_init_ms = ms_between(start, *console_.run_init());
  if (auto marker = boot_timer_->first_write()) t.init_marker_ms = ms_between(start, *marker);
  t.exit_ms = ms_between(start, stopped);
  // Guest RAM is the anonymous mapping of exactly its size (Vm::add_ram: one mmap for the region).
  auto split = split_guest_ram(parse_smaps(read_file_or_empty("/proc/self/smaps")), config_.ram);
  if (split) {
    t.vmm_rss_kib = split->vmm_rss_kib;
    t.vmm_private_kib = split->vmm_private_kib;
    t.guest_ram_touched_kib = split->guest_rss_kib;
  }
  t.guest_ram_kib = config_.ram >> 10;
  return report;
}

}  // namespace deploylab::hv
