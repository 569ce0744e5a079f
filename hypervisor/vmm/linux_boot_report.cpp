// hypervisor/vmm/linux_boot_report.cpp: classifying how a Linux guest ended, and the timings
// report (see linux_boot_report.h).
#include "hypervisor/vmm/linux_boot_report.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace deploylab::hv {

using Shutdown = KernelConsole::Shutdown;
using End = LinuxBootReport::End;

int LinuxBootReport::process_exit_code() const {
  switch (end) {
    case End::power_off:
    case End::restart:
    case End::halt: return 0;
    case End::panic: return 3;
    case End::crash:
    case End::error: return 1;
    case End::timeout: return 124;
    case End::interrupted: return 130;
  }
  return 1;
}

std::string to_string(End end) {
  switch (end) {
    case End::power_off: return "power-off";
    case End::restart: return "reboot";
    case End::halt: return "halt";
    case End::panic: return "kernel panic";
    case End::crash: return "crash";
    case End::error: return "error";
    case End::timeout: return "timeout";
    case End::interrupted: return "interrupted";
  }
  return "?";
}

namespace {

const VcpuOutcome* first_stop(const std::vector<VcpuOutcome>& outcomes) {
  for (const auto& outcome : outcomes) {
    if (outcome.end == VcpuOutcome::End::stop_vm) return &outcome;
  }
  return nullptr;
}

}  // namespace

void classify_linux_end(const RunEnding& ending, LinuxBootReport& report) {
  // The ACPI power-off register (a device's guest_exit stop) is the machine's own word for it.
  const VcpuOutcome* stop = first_stop(ending.outcomes);
  if (stop != nullptr && stop->stop.kind == StopRequest::Kind::guest_exit) {
    report.end = End::power_off;
    report.message = "the guest powered off";
    return;
  }
  switch (ending.announced) {
    case Shutdown::power_off:
      report.end = End::power_off;
      report.message = "the guest powered off";
      return;
    case Shutdown::restart:
      report.end = End::restart;
      report.message = "the guest asked for a reboot; minivmm does not reboot guests, so it stopped";
      return;
    case Shutdown::halt:
      report.end = End::halt;
      report.message = "the guest halted";
      return;
    case Shutdown::panic:
      report.end = End::panic;
      report.message = ending.announcement + " (the kernel's last lines are above; with panic=-1 it resets at once)";
      return;
    case Shutdown::none: break;
  }
  if (stop != nullptr) {
    report.end = End::crash;
    report.message = "the guest stopped without a shutdown message: " + stop->stop.message;
    report.register_dump = stop->register_dump;
    return;
  }
  if (ending.timed_out) {
    report.end = End::timeout;
    report.message = "the guest was still running after " + std::to_string(ending.timeout.count() / 1000) +
                     " s (--timeout): stopped it. Boot it with `poweroff -f` at the end, or raise --timeout";
    return;
  }
  if (ending.stopped_by_user) {
    report.end = End::interrupted;
    report.message = "stopped at the user's request";
    return;
  }
  report.end = End::crash;
  report.message = "every vCPU stopped, but the guest did not say why (HLT with interrupts off?)";
}

namespace {

std::string ms(const std::optional<double>& value) {
  if (!value) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f ms", *value);
  return text;
}

nlohmann::json number_or_null(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

std::string format_timings(const LinuxBootReport& report) {
  const BootTimings& t = report.timings;
  std::string text = "timings (from minivmm's start):\n";
  text += "  first guest instruction  " + ms(t.first_instruction_ms) + "\n";
  text += "  kernel runs /init        " + ms(t.run_init_ms) + (t.run_init_ms ? "" : "  (not seen: `quiet`?)") + "\n";
  text += "  init marker (boot timer) " + ms(t.init_marker_ms) + "\n";
  text += "  VM stopped               " + ms(t.exit_ms) + "\n";
  text += "memory:\n";
  text += "  minivmm without guest RAM  " + std::to_string(t.vmm_rss_kib) + " KiB resident (" +
          std::to_string(t.vmm_private_kib) + " KiB private, the rest shared library pages)\n";
  text += "  guest RAM touched          " + std::to_string(t.guest_ram_touched_kib) + " KiB of " +
          std::to_string(t.guest_ram_kib) + " KiB\n";
  text += "virtualization: " + report.virtualization + "\n";
  return text;
}

std::string timings_json(const LinuxBootReport& report) {
  const BootTimings& t = report.timings;
  nlohmann::json json = {
      {"end", to_string(report.end)},
      {"exit_code", report.process_exit_code()},
      {"first_instruction_ms", number_or_null(t.first_instruction_ms)},
      {"run_init_ms", number_or_null(t.run_init_ms)},
      {"init_marker_ms", number_or_null(t.init_marker_ms)},
      {"exit_ms", number_or_null(t.exit_ms)},
      {"vmm_rss_kib", t.vmm_rss_kib},
      {"vmm_private_kib", t.vmm_private_kib},
      {"guest_ram_touched_kib", t.guest_ram_touched_kib},
      {"guest_ram_kib", t.guest_ram_kib},
      {"virtualization", report.virtualization},
  };
  return json.dump();
}

}  // namespace deploylab::hv
