// hypervisor/minivmm/boot_command.cpp: `minivmm boot`: boot a Linux bzImage with an initramfs
// to a busybox shell on the serial console (lab 04):
//
//   $ minivmm boot                                   # build/assets' Debian kernel and initramfs
//   [    0.000000] Linux version 6.1.0-... 
//   ...
//   ~ # poweroff -f
//   minivmm: the guest powered off (exit 0)
//
//   $ minivmm boot --append deploylab.poweroff --timings --disk disk.img
//
// Exit code: 0 when the guest powered off (or halted, or asked for a reboot), 3 when the kernel
// panicked, 1 for an error or a crash, 124 when --timeout stopped it, 130 for Ctrl-A x.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "common/build_tree.h"
#include "common/file_io.h"
#include "hypervisor/minivmm/commands.h"
#include "hypervisor/minivmm/console_input.h"
#include "hypervisor/vmhost/virtualization.h"
#include "hypervisor/vmm/linux_machine.h"
#include "hypervisor/vmm/machine.h"  // parse_memory_size

namespace deploylab::hv {
namespace {

namespace po = cli::po;

void declare(po::options_description& options, po::positional_options_description&) {
  const std::filesystem::path assets = default_assets_dir();
  options.add_options()
      ("kernel", po::value<std::string>()->default_value((assets / "kernel/vmlinuz").string()), "the bzImage to boot (make deps unpacks Debian's)")
      ("initrd", po::value<std::string>()->default_value((assets / "initramfs.cpio.gz").string()), "the initramfs (\"none\": boot without one)")
      ("mem", po::value<std::string>()->default_value("256M"), "guest RAM (M or G, at most 3G)")
      ("vcpus", po::value<int>()->default_value(1), "virtual CPUs (1-8)")
      ("cmdline", po::value<std::string>()->default_value(kDefaultLinuxCmdline), "the kernel command line")
      ("append", po::value<std::vector<std::string>>()->composing(), "add a word to the command line (repeatable)")
      ("disk", po::value<std::string>(), "a raw disk image for the guest, as /dev/vda (virtio-blk)")
      ("disk-readonly", po::bool_switch(), "give the disk read-only")
      ("console", po::value<std::string>()->default_value("stdio"), "the serial console: stdio, file:PATH or none")
      ("timeout", po::value<double>()->default_value(0), "seconds before the guest is stopped (0: never)")
      ("timings", po::bool_switch(), "print when the guest got where, and the memory used, at the end")
      ("timings-json", po::value<std::string>(), "write the timings as JSON to this file")
      ("force", po::bool_switch(), "try even where this machine's KVM cannot boot Linux (kvm_pvm)")
      ("kvm-device", po::value<std::string>()->default_value(kDefaultKvmDevice), "the KVM device");
}

// The console's destination; a file stays open for the whole run.
struct ConsoleSink {
  std::shared_ptr<std::ofstream> file;
  SerialUart::Sink sink;
};

Result<ConsoleSink> console_sink(const std::string& spec) {
  ConsoleSink out;
  if (spec == "stdio") {
    out.sink = [](std::string_view bytes) {
      [[maybe_unused]] auto written = ::write(STDOUT_FILENO, bytes.data(), bytes.size());
    };
  } else if (spec.rfind("file:", 0) == 0 && spec.size() > 5) {
    out.file = std::make_shared<std::ofstream>(spec.substr(5), std::ios::binary | std::ios::trunc);
    if (!*out.file) return Error::invalid("cannot write the console file", spec.substr(5), "check the directory");
    out.sink = [file = out.file](std::string_view bytes) { file->write(bytes.data(), bytes.size()).flush(); };
  } else if (spec != "none") {
    return Error::invalid("unknown console", spec, "use --console stdio, file:PATH or none");
  }
  return out;
}

std::string describe_virtualization() {
  auto verdict = vmhost::classify_virtualization(vmhost::gather_virt_facts());
  std::string text = vmhost::to_string(verdict.mode) + ": " + verdict.finding;
  const char* in_vmhost = std::getenv("DEPLOYLAB_IN_VMHOST");
  if (in_vmhost != nullptr && std::string(in_vmhost) == "1") {
    text += " (inside vmhost: QEMU TCG with an emulated AMD-V, so absolute times are inflated)";
  }
  return text;
}

Result<void> refuse_kvm_pvm(const po::variables_map& vm) {
  if (vm["force"].as<bool>()) return {};
  auto verdict = vmhost::classify_virtualization(vmhost::gather_virt_facts());
  if (verdict.mode != vmhost::VirtMode::kvm_pvm) return {};
  return Error::invalid("this machine's /dev/kvm is kvm_pvm: guest kernel code is emulated one instruction at a "
                        "time and a Linux kernel never finishes booting on it", "minivmm boot",
                        "run it in the KVM test host: build/bin/vmhost run -- build/bin/minivmm boot ... "
                        "(or --force to watch it try)");
}

Result<LinuxMachineConfig> config_from(const po::variables_map& vm) {
  LinuxMachineConfig config;
  config.kvm_device = vm["kvm-device"].as<std::string>();
  config.kernel = vm["kernel"].as<std::string>();
  std::string initrd = vm["initrd"].as<std::string>();
  if (initrd != "none") config.initrd = initrd;
  config.ram = DL_TRY(parse_memory_size(vm["mem"].as<std::string>()).context("--mem"));
  config.vcpus = vm["vcpus"].as<int>();
  config.cmdline = vm["cmdline"].as<std::string>();
  if (vm.count("append")) {
    for (const auto& word : vm["append"].as<std::vector<std::string>>()) config.cmdline += " " + word;
  }
  if (vm.count("disk")) {
    config.disk = DiskConfig{vm["disk"].as<std::string>(),
                             vm["disk-readonly"].as<bool>() ? DiskAccess::read_only : DiskAccess::read_write};
  }
  double seconds = vm["timeout"].as<double>();
  if (seconds < 0) return Error::invalid("a negative timeout", "--timeout", "give seconds, or 0 for none");
  config.timeout = std::chrono::milliseconds(static_cast<long>(seconds * 1000));
  return config;
}

void print_report(const LinuxBootReport& report, const po::variables_map& vm) {
  std::fprintf(stderr, "\r\nminivmm: %s (exit %d)\n", report.message.c_str(), report.process_exit_code());
  if (!report.register_dump.empty()) std::fprintf(stderr, "%s\n", report.register_dump.c_str());
  if (report.end == LinuxBootReport::End::crash || report.end == LinuxBootReport::End::timeout) {
    std::fprintf(stderr, "the guest's last console lines:\n%s", report.last_console_lines.c_str());
  }
  if (vm["timings"].as<bool>()) std::fprintf(stderr, "%s", format_timings(report).c_str());
}

// Errors are thrown by .value() (ErrorException): cli::main prints "minivmm boot: error: ..." and
// exits 1, after the destructors have given the terminal back.
int run(const po::variables_map& vm) {
  const auto vmm_start = std::chrono::steady_clock::now();
  LinuxMachineConfig config = config_from(vm).value();
  auto files = LinuxMachine::read_guest_files(config).value();  // bad input is refused first
  ConsoleSink sink = console_sink(vm["console"].as<std::string>()).value();
  refuse_kvm_pvm(vm).value();
  config.console = sink.sink;
  config.vmm_start = vmm_start;
  auto machine = LinuxMachine::create(std::move(config), std::move(files)).value();
  // Keys typed on our stdin reach the guest's console (only with the console on stdio).
  std::optional<RawTerminal> raw;
  ConsoleInput input;
  if (vm["console"].as<std::string>() == "stdio") {
    raw.emplace(STDIN_FILENO);
    input.start(STDIN_FILENO, [&machine](std::span<const std::uint8_t> bytes) { machine->type(bytes); },
                [&machine] { machine->stop(); }).value();
  }
  LinuxBootReport report = machine->run().value();
  raw.reset();
  report.virtualization = describe_virtualization();
  print_report(report, vm);
  if (vm.count("timings-json")) {
    write_file_atomic(vm["timings-json"].as<std::string>(), timings_json(report) + "\n").value();
  }
  return report.process_exit_code();
}

}  // namespace

cli::Command boot_command() {
  return {"boot", "boot a Linux bzImage with an initramfs to a shell on the serial console (lab 04)", declare, run};
}

}  // namespace deploylab::hv
