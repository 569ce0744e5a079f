// bench/isolation/main.cpp: `isolation-rows`, row 7 of the tradeoff table: isolation facts
// checked rather than asserted (bench/isolation/README.md). For the host and for a busybox
// container under minictr, crun and runc (one shared config.json from `minictr spec`): the kernel
// seen from inside and whether it is the host's, the system calls seccomp lets through
// (syscall-census), and which escape attempts are stopped (ctr_attack).
//
//   isolation-rows --json FILE [--only host,minictr,crun,runc] [--quick] [--rounds N]   (as root)
//
// Facts are checked once; --quick and --rounds are accepted like every row benchmark's and change
// nothing (the whole run takes about a second). The steps: read the options, check root, run
// (isolation_rows.h), which writes FILE after every contender.
#include <unistd.h>

#include <iostream>

#include "bench/isolation/isolation_facts.h"
#include "bench/isolation/isolation_rows.h"
#include "common/build_tree.h"
#include "common/cli.h"

namespace deploylab::bench::isolation {
namespace {

namespace po = cli::po;

void declare(po::options_description& options, po::positional_options_description&) {
  auto bin = tree_of_this_binary().build / "bin";
  options.add_options()
      ("json", po::value<std::string>()->required(), "write the Measurements (bench/tradeoff/measurement.h) to FILE")
      ("only", po::value<std::string>()->default_value("host,minictr,crun,runc"), "contenders, comma-separated")
      ("quick", po::bool_switch(), "accepted for `make bench QUICK=1`; the run is already small")
      ("rounds", po::value<int>()->default_value(1), "accepted like every row benchmark's; facts are checked once")
      ("minictr", po::value<std::string>()->default_value((bin / "minictr").string()), "the minictr binary")
      ("crun", po::value<std::string>()->default_value("crun"), "the crun binary")
      ("runc", po::value<std::string>()->default_value("runc"), "the runc binary")
      ("census", po::value<std::string>()->default_value((bin / "syscall-census").string()), "syscall-census (static)")
      ("attacker", po::value<std::string>()->default_value((bin / "ctr_attack").string()), "ctr_attack (static)")
      ("rootfs", po::value<std::string>()->default_value((default_assets_dir() / "rootfs").string()),
       "the busybox rootfs to copy into the bundle (make deps makes it)")
      ("timeout", po::value<int>()->default_value(20), "seconds one container run may take");
}

RowsOptions read_options(const po::variables_map& vm) {
  RowsOptions o;
  o.contenders = parse_contenders(vm["only"].as<std::string>()).value();
  o.minictr = vm["minictr"].as<std::string>();
  o.crun = vm["crun"].as<std::string>();
  o.runc = vm["runc"].as<std::string>();
  o.census = vm["census"].as<std::string>();
  o.attacker = vm["attacker"].as<std::string>();
  o.rootfs = vm["rootfs"].as<std::string>();
  o.json = vm["json"].as<std::string>();
  o.timeout = std::chrono::seconds(vm["timeout"].as<int>());
  return o;
}

int run(const po::variables_map& vm) {
  RowsOptions options = read_options(vm);
  if (::geteuid() != 0) {
    std::cerr << "isolation-rows: run it as root (containers need namespaces, mounts and cgroups)\n";
    return 1;
  }
  return run_isolation_rows(options);
}

}  // namespace
}  // namespace deploylab::bench::isolation

int main(int argc, char** argv) {
  using namespace deploylab;
  cli::Command command{"", "isolation facts of the host and of minictr/crun/runc containers, checked from inside",
                       bench::isolation::declare, bench::isolation::run};
  return cli::main("isolation-rows", "row 7 of the tradeoff table (bench/isolation/README.md)", {command}, argc, argv);
}
