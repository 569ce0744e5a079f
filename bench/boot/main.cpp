// bench/boot/main.cpp: `boot-bench`, the "VM boot" rows of the tradeoff table (bench/boot/README.md):
// the same kernel and initramfs booted by minivmm, QEMU microvm and a libvirt domain, on the
// same KVM, round by round, timed and weighed from outside.
//
//   boot-bench [--rounds 5] [--only minivmm,qemu,libvirt] [--json FILE]     (as root)
//   make bench-boot       through `vmhost auto`: natively on hardware KVM, else inside vmhost
//
// The steps: say which KVM this is (and refuse kvm_pvm, where Linux never boots), run the rounds
// (boot_bench.h), print the table (boot_report.h), write the JSON.
#include <cstdlib>
#include <iostream>

#include "bench/boot/boot_bench.h"
#include "bench/boot/boot_report.h"
#include "common/build_tree.h"
#include "common/cli.h"
#include "common/cpu_info.h"
#include "common/file_io.h"
#include "hypervisor/vmhost/virtualization.h"

namespace deploylab::bench {
namespace {

namespace po = cli::po;

const char* kCmdline = "console=ttyS0 reboot=t panic=-1 deploylab.poweroff";

std::filesystem::path assets_dir() {
  const char* env = std::getenv("DEPLOYLAB_ASSETS");
  if (env != nullptr && *env != '\0') return env;
  return default_build_dir(default_source_root()) / "assets";
}

void declare(po::options_description& options, po::positional_options_description&) {
  auto assets = assets_dir();
  options.add_options()
      ("rounds", po::value<int>()->default_value(5), "boots per contender (interleaved round by round)")
      ("only", po::value<std::string>()->default_value("minivmm,qemu,libvirt"), "contenders, comma-separated")
      ("kernel", po::value<std::string>()->default_value((assets / "kernel" / "vmlinuz").string()), "the bzImage")
      ("initrd", po::value<std::string>()->default_value((assets / "initramfs.cpio.gz").string()), "the initramfs")
      ("mem", po::value<std::string>()->default_value("256M"), "guest RAM (M or G)")
      ("cmdline", po::value<std::string>()->default_value(kCmdline), "the kernel command line, the same for all")
      ("timeout", po::value<int>()->default_value(300), "seconds one boot may take")
      ("minivmm", po::value<std::string>()->default_value((tree_of_this_binary().build / "bin" / "minivmm").string()),
       "the minivmm binary")
      ("json", po::value<std::string>(), "also write the results as JSON to FILE");
}

// The virtualization mode in words. Inside vmhost the classifier sees a nested kvm_amd; the
// environment vmhost sets says where that really is.
std::string describe_virtualization(const vmhost::Virtualization& virt) {
  const char* in_vmhost = std::getenv("DEPLOYLAB_IN_VMHOST");
  if (in_vmhost != nullptr && std::string(in_vmhost) == "1") {
    return "nested KVM inside vmhost (QEMU TCG + emulated AMD-V): absolute times are inflated, compare ratios";
  }
  if (virt.mode == vmhost::VirtMode::hardware) return "hardware KVM: " + virt.finding;
  if (virt.mode == vmhost::VirtMode::nested) return "nested hardware KVM (this machine is a VM): " + virt.finding;
  return vmhost::to_string(virt.mode) + ": " + virt.finding;
}

BenchOptions read_options(const po::variables_map& vm) {
  BenchOptions options;
  options.spec = {vm["kernel"].as<std::string>(), vm["initrd"].as<std::string>(),
                  parse_mem_size(vm["mem"].as<std::string>()), vm["cmdline"].as<std::string>(), {}, {}};
  options.contenders = parse_contenders(vm["only"].as<std::string>());
  options.rounds = vm["rounds"].as<int>();
  options.timeout = std::chrono::seconds(vm["timeout"].as<int>());
  options.minivmm = vm["minivmm"].as<std::string>();
  if (options.rounds < 1) throw ErrorException(Error::invalid("--rounds must be at least 1"));
  for (const auto& file : {options.spec.kernel, options.spec.initrd}) {
    if (!std::filesystem::exists(file)) throw ErrorException(Error::invalid("no such file", file.string(), "run make deps"));
  }
  return options;
}

int run(const po::variables_map& vm) {
  BenchOptions options = read_options(vm);
  auto virt = vmhost::classify_virtualization(vmhost::gather_virt_facts());
  if (virt.mode == vmhost::VirtMode::kvm_pvm || virt.mode == vmhost::VirtMode::none) {
    std::cerr << "boot-bench: " << virt.finding << "\nboot-bench: run it inside the test host: "
              << "vmhost auto -- boot-bench ... (make bench-boot does)\n";
    return 1;
  }
  BootReport report{run_boot_bench(options), describe_virtualization(virt), cpu_model_name(), options.rounds,
                    options.spec.cmdline, options.spec.mem_bytes};
  std::cout << render_boot_report(report);
  if (vm.count("json")) write_file_atomic(vm["json"].as<std::string>(), boot_report_json(report).dump(2) + "\n").value();
  return 0;
}

}  // namespace
}  // namespace deploylab::bench

int main(int argc, char** argv) {
  using namespace deploylab;
  cli::Command command{"", "boot the same Linux under minivmm, QEMU microvm and libvirt, side by side",
                       bench::declare, bench::run};
  return cli::main("boot-bench", "the VM boot benchmark (bench/boot/README.md)", {command}, argc, argv);
}
