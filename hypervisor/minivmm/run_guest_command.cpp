// hypervisor/minivmm/run_guest_command.cpp: `minivmm run-guest FILE`: load a flat guest program
// (hypervisor/guests/), run it, and say how it ended:
//
//   $ minivmm run-guest build/guests/hello.bin --stats
//   Hello from the guest!
//   minivmm: every vCPU halted after 1.2 ms
//   exit              count  share
//   ...
//
// The exit code is the guest's: 0 when it halted, its own code for the exit hypercall, 1 for an
// error (a triple fault, unmapped memory), 124 when --timeout stopped it.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "hypervisor/guests/guest_files.h"
#include "hypervisor/minivmm/commands.h"
#include "hypervisor/vmm/guest_image.h"
#include "hypervisor/vmm/machine.h"

namespace deploylab::hv {
namespace {

namespace po = cli::po;

void declare(po::options_description& options, po::positional_options_description& positional) {
  options.add_options()
      ("guest", po::value<std::string>()->required(),
       "the guest image, a flat binary: a path, or the name of a built guest (hello = " DEPLOYLAB_GUEST_DIR "/hello.bin)")
      ("mode", po::value<std::string>()->default_value("real"), "CPU mode at entry: real, protected or long")
      ("vcpus", po::value<int>()->default_value(1), "virtual CPUs (long mode: 1-8)")
      ("memory", po::value<std::string>()->default_value("2M"), "RAM above 1 MiB (M or G); 640 KiB below it always")
      ("timeout", po::value<double>()->default_value(10.0), "seconds before the guest is stopped (0: never)")
      ("stats", po::bool_switch(), "print a table of VM exits by kind")
      ("rcx", po::value<std::uint64_t>()->default_value(0), "initial RCX (the bench guests' iteration count)")
      ("allow-unmapped", po::bool_switch(), "let the guest touch addresses that are neither RAM nor a device")
      ("forward-map-gpa-range", po::bool_switch(), "ask KVM to pass KVM_HC_MAP_GPA_RANGE hypercalls to minivmm")
      ("kvm-device", po::value<std::string>()->default_value(kDefaultKvmDevice), "the KVM device");
  positional.add("guest", 1);
}

Result<CpuMode> parse_mode(const std::string& text) {
  if (text == "real") return CpuMode::real;
  if (text == "protected") return CpuMode::protected32;
  if (text == "long") return CpuMode::long64;
  return Error::invalid("unknown CPU mode", text, "use --mode real, protected or long");
}

Result<MachineConfig> config_from(const po::variables_map& vm) {
  MachineConfig config;
  config.kvm_device = vm["kvm-device"].as<std::string>();
  config.mode = DL_TRY(parse_mode(vm["mode"].as<std::string>()));
  config.vcpus = vm["vcpus"].as<int>();
  config.high_ram = DL_TRY(parse_memory_size(vm["memory"].as<std::string>()).context("--memory"));
  config.timeout = std::chrono::milliseconds(static_cast<long>(vm["timeout"].as<double>() * 1000));
  config.initial_rcx = vm["rcx"].as<std::uint64_t>();
  config.forward_map_gpa_range = vm["forward-map-gpa-range"].as<bool>();
  config.unclaimed_mmio = vm["allow-unmapped"].as<bool>() ? UnclaimedMmio::ignore : UnclaimedMmio::stop;
  // The guest's output goes straight to our stdout, as it is written.
  config.echo = [](std::string_view text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  };
  return config;
}

std::string summary_line(const MachineReport& report) {
  auto ms = std::chrono::duration<double, std::milli>(report.elapsed).count();
  char took[32];
  std::snprintf(took, sizeof took, "%.1f ms", ms);
  switch (report.end) {
    case MachineReport::End::halted: return std::string("every vCPU halted after ") + took;
    case MachineReport::End::guest_exit:
      return "the guest exited with code " + std::to_string(report.exit_code) + " after " + took;
    case MachineReport::End::error:
    case MachineReport::End::timeout: return "error: " + report.message;
  }
  return "";
}

void print_report(const MachineReport& report, bool stats) {
  std::cerr << "minivmm: " << summary_line(report) << "\n";
  if (!report.register_dump.empty()) std::cerr << report.register_dump;
  for (const auto& access : report.unclaimed) {
    std::cerr << "minivmm: unclaimed " << (access.kind == AccessKind::read ? "read of " : "write to ")
              << describe_address(access.space, access.address) << " (" << access.count << "x): no device there\n";
  }
  if (stats) std::cout << render_exit_table(report.total);
}

// A path as given, or a bare name of one of the built guests (hypervisor/guests/).
std::string resolve_guest(const std::string& text) {
  bool bare_name = text.find('/') == std::string::npos && text.find('.') == std::string::npos;
  return bare_name && ::access(text.c_str(), F_OK) != 0 ? guest_file(text) : text;
}

int run(const po::variables_map& vm) {
  auto image = read_guest_image(resolve_guest(vm["guest"].as<std::string>())).value();
  auto machine = Machine::create(config_from(vm).value()).value();
  machine->load(image).value();
  MachineReport report = machine->run().value();
  print_report(report, vm["stats"].as<bool>());
  return report.process_exit_code();
}

}  // namespace

cli::Command run_guest_command() {
  return {"run-guest", "run a guest program (a flat binary) and report how it ended", declare, run};
}

}  // namespace deploylab::hv
