// hypervisor/minivmm/bench_exits_command.cpp: `minivmm bench-exits`: what a VM exit costs here,
// next to a function call and a syscall (exit_bench.h says what is measured and how).
//
//   $ minivmm bench-exits                          natively
//   $ build/bin/vmhost run -- build/bin/minivmm bench-exits   inside the test host
//   $ make bench-exits                             both, one after the other
//   $ minivmm bench-exits --json crossing.json     also the tradeoff table's records (make bench)
//
// The header names the CPU and the kind of KVM, because the same exit costs 100x more under one
// than another (hardware, nested, kvm_pvm, emulated inside vmhost).
#include <cstdlib>
#include <iostream>

#include "hypervisor/minivmm/commands.h"
#include "hypervisor/minivmm/exit_bench.h"
#include "hypervisor/vmhost/virtualization.h"

namespace deploylab::hv {
namespace {

namespace po = cli::po;

void declare(po::options_description& options, po::positional_options_description&) {
  options.add_options()
      ("repeats", po::value<int>()->default_value(15), "batches per row (the spread comes from these)")
      ("iterations", po::value<std::uint64_t>()->default_value(0), "round trips per batch (0: calibrate)")
      ("batch-ms", po::value<int>()->default_value(20), "target duration of one batch when calibrating")
      ("markdown", po::bool_switch(), "print the table as Markdown")
      ("json", po::value<std::string>(), "also write the tradeoff table's records (row crossing) to this file")
      ("guest-dir", po::value<std::string>()->default_value(DEPLOYLAB_GUEST_DIR), "where the bench guests are")
      ("kvm-device", po::value<std::string>()->default_value("/dev/kvm"), "the KVM device");
}

// What kind of KVM this is, in words, and whether the in-kernel hypercall can be measured.
void describe_machine(BenchOptions& options) {
  auto virt = vmhost::classify_virtualization(vmhost::gather_virt_facts());
  options.virtualization = vmhost::to_string(virt.mode);
  const char* in_vmhost = std::getenv("DEPLOYLAB_IN_VMHOST");
  if (in_vmhost != nullptr && std::string(in_vmhost) == "1") {
    options.virtualization += " inside vmhost (QEMU TCG emulating AMD-V: every guest instruction is emulated)";
  }
  if (virt.mode == vmhost::VirtMode::kvm_pvm) {
    options.kernel_hypercall = false;
    options.skip_reason = "under kvm_pvm a VMCALL/VMMCALL at CPL0 hangs KVM_RUN; `make bench-exits` measures it in vmhost";
  }
}

int run(const po::variables_map& vm) {
  BenchOptions options;
  options.repeats = vm["repeats"].as<int>();
  options.iterations = vm["iterations"].as<std::uint64_t>();
  options.batch_target = std::chrono::milliseconds(vm["batch-ms"].as<int>());
  options.guest_dir = vm["guest-dir"].as<std::string>();
  options.kvm_device = vm["kvm-device"].as<std::string>();
  if (options.repeats < 3) throw ErrorException(Error::invalid("--repeats must be at least 3", "", "a spread needs samples"));
  describe_machine(options);
  BenchReport report = run_exit_bench(options).value();
  std::cout << (vm["markdown"].as<bool>() ? render_bench_markdown(report) : render_bench_report(report));
  if (vm.count("json")) {
    const char* in_vmhost = std::getenv("DEPLOYLAB_IN_VMHOST");
    std::string place = in_vmhost != nullptr && std::string(in_vmhost) == "1" ? "vmhost" : "native";
    bench::write_measurements(vm["json"].as<std::string>(), "minivmm bench-exits", exit_bench_measurements(report, place))
        .value();
  }
  return 0;
}

}  // namespace

cli::Command bench_exits_command() {
  return {"bench-exits", "time VM exits next to a function call and a syscall", declare, run};
}

}  // namespace deploylab::hv
