// hypervisor/vmm/machine.cpp: building a VM with the abi.h memory map and running its vCPUs (see
// machine.h).
#include "hypervisor/vmm/machine.h"

#include <spdlog/spdlog.h>

#include "hypervisor/devices/hypercall_port.h"
#include "hypervisor/devices/test_devices.h"
#include "hypervisor/guests/abi.h"
#include "hypervisor/vmm/guest_image.h"
#include "hypervisor/vmm/vcpu_runner.h"

namespace deploylab::hv {

std::uint64_t load_address(CpuMode mode) {
  return mode == CpuMode::long64 ? DL_LONG_MODE_LOAD_ADDRESS : DL_REAL_MODE_LOAD_ADDRESS;
}

Result<std::uint64_t> parse_memory_size(std::string_view text) {
  std::string object = std::string(text);
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  std::string_view suffix = text.substr(digits);
  if (digits == 0 || digits > 12 || suffix.size() > 1) {
    return Error::invalid("not a memory size", object, "write a number with an optional K, M or G suffix, e.g. 2M");
  }
  std::uint64_t value = std::stoull(std::string(text.substr(0, digits)));
  int shift = suffix.empty() ? 0 : suffix == "K" ? 10 : suffix == "M" ? 20 : suffix == "G" ? 30 : -1;
  if (shift < 0) return Error::invalid("unknown memory size suffix", object, "use K, M or G (powers of 1024)");
  constexpr std::uint64_t kMax = 3ull << 30;
  if (value > (kMax >> shift)) return Error::invalid("memory size out of range", object, "give between 64K and 3G");
  value <<= shift;
  if (value % 4096 != 0 || value < (64u << 10)) {
    return Error::invalid("memory size out of range", object, "give whole 4 KiB pages between 64K and 3G");
  }
  return value;
}

std::string to_string(MachineReport::End end) {
  switch (end) {
    case MachineReport::End::halted: return "halted";
    case MachineReport::End::guest_exit: return "guest exit";
    case MachineReport::End::error: return "error";
    case MachineReport::End::timeout: return "timeout";
  }
  return "?";
}

int MachineReport::process_exit_code() const {
  switch (end) {
    case End::halted: return 0;
    case End::guest_exit: return exit_code;
    case End::error: return 1;
    case End::timeout: return 124;
  }
  return 1;
}

Result<std::unique_ptr<Machine>> Machine::create(MachineConfig config) {
  if (config.vcpus < 1 || config.vcpus > 8) {
    return Error::invalid("asked for " + std::to_string(config.vcpus) + " vCPUs", "machine", "give between 1 and 8");
  }
  if (config.mode == CpuMode::real && config.vcpus != 1) {
    return Error::invalid("real-mode guests run on one vCPU", "machine", "use --mode long for several vCPUs");
  }
  Kvm kvm = DL_TRY(Kvm::open(config.kvm_device));
  Vm vm = DL_TRY(Vm::create(kvm));
  std::unique_ptr<Machine> machine(new Machine(std::move(config), std::move(kvm), std::move(vm)));
  // The PC memory map: RAM below 640 KiB, the device hole, RAM from 1 MiB.
  DL_TRY(machine->vm_.add_ram(0, DL_LOW_RAM_SIZE));
  DL_TRY(machine->vm_.add_ram(DL_HIGH_RAM_ADDRESS, machine->config_.high_ram));
  DL_TRY(machine->add_devices());
  if (machine->config_.forward_map_gpa_range) {
    int supported = DL_TRY(machine->kvm_.check_extension(KVM_CAP_EXIT_HYPERCALL));
    if (!(supported & (1 << DL_KVM_HC_MAP_GPA_RANGE))) {
      return Error::invalid("this KVM cannot pass KVM_HC_MAP_GPA_RANGE to userspace", "KVM_CAP_EXIT_HYPERCALL",
                            "it needs Linux 5.14 or newer on x86");
    }
    DL_TRY(machine->vm_.enable_capability(KVM_CAP_EXIT_HYPERCALL, 1ull << DL_KVM_HC_MAP_GPA_RANGE));
  }
  // Each vCPU learns what CPU it is (CPUID): KVM offers what the host can virtualize, e.g. long mode.
  // Some KVMs (kvm_pvm) do not offer a CPUID list; the vCPU then keeps KVM's default.
  auto cpuid = machine->kvm_.supported_cpuid();
  if (!cpuid.ok()) spdlog::debug("no CPUID for the guest: {}", cpuid.error().message());
  for (int id = 0; id < machine->config_.vcpus; ++id) {
    machine->vcpus_.push_back(DL_TRY(machine->vm_.create_vcpu(id)));
    if (cpuid.ok()) DL_TRY(machine->vcpus_.back().set_cpuid(cpuid.value()));
  }
  return machine;
}

Result<void> Machine::add_devices() {
  console_ = std::make_shared<DebugConsole>(config_.echo);
  DL_TRY(bus_.claim(Space::port, DL_PORT_DEBUG_CONSOLE, 1, console_));
  DL_TRY(bus_.claim(Space::port, DL_PORT_HYPERCALL, 1, std::make_shared<HypercallPort>(vm_.memory(), console_)));
  DL_TRY(bus_.claim(Space::port, DL_PORT_NULL, 1, std::make_shared<NullDevice>()));
  DL_TRY(bus_.claim(Space::mmio, DL_MMIO_TEST_DEVICE, DL_MMIO_TEST_DEVICE_SIZE,
                    std::make_shared<MmioTestDevice>(DL_MMIO_TEST_DEVICE)));
  return {};
}

Result<void> Machine::load(std::span<const std::uint8_t> image) {
  return load_flat_image(vm_.memory(), load_address(config_.mode), image).context("loading the guest");
}

Result<void> Machine::prepare_vcpu(Vcpu& vcpu) {
  if (config_.mode == CpuMode::real) {
    DL_TRY(vcpu.enter_real_mode(DL_REAL_MODE_LOAD_ADDRESS, DL_REAL_MODE_LOAD_ADDRESS));
    return apply_initial_rcx(vcpu);
  }
  kvm_sregs current = DL_TRY(vcpu.sregs());
  kvm_sregs sregs = config_.mode == CpuMode::long64 ? DL_TRY(prepare_long_mode(vm_.memory(), current))
                                                    : DL_TRY(prepare_protected_mode(vm_.memory(), current));
  DL_TRY(vcpu.set_sregs(sregs));
  kvm_regs regs{};
  regs.rflags = 0x2;
  regs.rip = load_address(config_.mode);
  // Each vCPU gets its own stack at the top of high RAM; real and protected mode share one.
  regs.rsp = config_.mode == CpuMode::long64
                 ? DL_HIGH_RAM_ADDRESS + config_.high_ram - std::uint64_t(vcpu.id()) * DL_STACK_SIZE_PER_VCPU
                 : DL_REAL_MODE_LOAD_ADDRESS;
  regs.rdi = static_cast<std::uint64_t>(vcpu.id());
  regs.rsi = static_cast<std::uint64_t>(config_.vcpus);
  regs.rcx = config_.initial_rcx;
  DL_TRY(vcpu.set_regs(regs));
  return {};
}

// Real mode: enter_real_mode() (lab 01) set the registers; only RCX is left to add.
Result<void> Machine::apply_initial_rcx(Vcpu& vcpu) {
  if (config_.initial_rcx == 0) return {};
  kvm_regs regs = DL_TRY(vcpu.regs());
  regs.rcx = config_.initial_rcx;
  return vcpu.set_regs(regs);
}

Result<void> Machine::reset_vcpus() {
  for (auto& vcpu : vcpus_) DL_TRY(prepare_vcpu(vcpu).context("setting up " + vcpu.name()));
  return {};
}

Result<MachineReport> Machine::run() {
  DL_TRY(reset_vcpus());
  VcpuLoopOptions options{config_.mode == CpuMode::long64, config_.unclaimed_mmio};
  auto started = std::chrono::steady_clock::now();
  VcpuRunner runner;
  VcpuRunResult result = DL_TRY(runner.run(vcpus_, bus_, options, config_.timeout));
  MachineReport report = collect(std::move(result.outcomes), result.timed_out);
  report.elapsed = std::chrono::steady_clock::now() - started;
  return report;
}

MachineReport Machine::collect(std::vector<VcpuOutcome> outcomes, bool timed_out) {
  MachineReport report;
  report.console = console_->output();
  report.unclaimed = bus_.unclaimed();
  for (const auto& outcome : outcomes) report.total += outcome.stats;
  for (const auto& outcome : outcomes) {
    if (outcome.end != VcpuOutcome::End::stop_vm) continue;
    bool error = outcome.stop.kind == StopRequest::Kind::error;
    report.end = error ? MachineReport::End::error : MachineReport::End::guest_exit;
    report.exit_code = outcome.stop.exit_code;
    report.message = outcome.stop.message;
    report.register_dump = outcome.register_dump;
    break;
  }
  if (timed_out && report.end == MachineReport::End::halted) {
    report.end = MachineReport::End::timeout;
    std::string where;
    for (auto& vcpu : vcpus_) {
      auto regs = vcpu.regs();
      if (regs.ok()) where += (where.empty() ? "" : ", ") + vcpu.name() + " at RIP " + hex(regs.value().rip);
    }
    report.message = "the guest did not stop within " + std::to_string(config_.timeout.count()) + " ms (" + where +
                     "): stopped it. A guest ends with HLT or the exit hypercall; raise --timeout if it needs longer";
  }
  report.vcpus = std::move(outcomes);
  return report;
}

}  // namespace deploylab::hv
