// bench/vm/main.cpp: `vm-rows`, the VM column of the tradeoff table (bench/vm/README.md).
//
//   vm-rows --json FILE [--quick] [--rounds N] [--only minivmm,qemu] [--density-budget MiB] [--no-network]
//   vmhost auto --build-dir B --mem 3G -- B/bin/vm-rows --json B/bench/vm-rows.json   (make bench)
//
// As root: it boots VMs, makes a memory cgroup and (in the test host) mounts cgroup2.
#include <iostream>

#include "bench/boot/contenders.h"
#include "bench/vm/vm_rows.h"
#include "common/build_tree.h"
#include "common/cli.h"
#include "common/error.h"

namespace deploylab::bench {
namespace {

namespace po = cli::po;

void declare(po::options_description& options, po::positional_options_description&) {
  auto assets = default_assets_dir();
  options.add_options()
      ("json", po::value<std::string>()->required(), "write the Measurements here (after every contender)")
      ("quick", po::bool_switch(), "one round, small workloads, a small density budget")
      ("rounds", po::value<int>(), "boots per contender (default 3; 1 with --quick)")
      ("only", po::value<std::string>()->default_value("minivmm,qemu"), "contenders, comma-separated")
      ("density-budget", po::value<std::uint64_t>(), "MiB of the density run's memory cgroup (default 320; --quick: 160, and inside vmhost minivmm alone)")
      ("kernel", po::value<std::string>()->default_value((assets / "kernel" / "vmlinuz").string()), "the guest's bzImage")
      ("initrd", po::value<std::string>()->default_value((assets / "initramfs.cpio.gz").string()), "the guest's initramfs")
      ("bin-dir", po::value<std::string>()->default_value((tree_of_this_binary().build / "bin").string()),
       "where minivmm and the workloads are")
      ("timeout", po::value<int>()->default_value(300), "seconds one boot may take")
      ("no-network", po::bool_switch(), "give the QEMU guest no NIC: leave the network row out (bench/vm/README.md)");
}

int run(const po::variables_map& vm) {
  VmRowsOptions options = default_options(vm["quick"].as<bool>(), in_vmhost());
  options.json = vm["json"].as<std::string>();
  if (vm.count("rounds")) options.rounds = vm["rounds"].as<int>();
  if (vm.count("density-budget")) {
    options.density_budget_mib = vm["density-budget"].as<std::uint64_t>();
    options.density_skipped.clear();
  }
  options.contenders = parse_contenders(vm["only"].as<std::string>());
  options.kernel = vm["kernel"].as<std::string>();
  options.initrd = vm["initrd"].as<std::string>();
  options.bin_dir = vm["bin-dir"].as<std::string>();
  options.boot_timeout = std::chrono::seconds(vm["timeout"].as<int>());
  options.network = !vm["no-network"].as<bool>();
  if (options.rounds < 1) throw ErrorException(Error::invalid("--rounds must be at least 1"));
  return run_vm_rows(options);
}

}  // namespace
}  // namespace deploylab::bench

int main(int argc, char** argv) {
  using namespace deploylab;
  cli::Command command{"", "measure the VM column of the tradeoff table (minivmm, QEMU microvm)", bench::declare,
                       bench::run};
  return cli::main("vm-rows", "the VM rows of the tradeoff table (bench/vm/README.md)", {command}, argc, argv);
}
