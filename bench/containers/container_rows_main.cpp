// bench/containers/container_rows_main.cpp: `container-rows`, the host and container columns of
// the tradeoff table (bench/containers/README.md, "container-rows"), as Measurements for
// `make bench` (bench/tradeoff/measurement.h).
//
//   container-rows --json FILE [--quick] [--rounds N] [--only minictr,crun,runc] [--density-budget MiB]
//
// The steps: read the options, refuse without root, run the rows (container_rows.h).
#include <unistd.h>

#include "bench/containers/container_rows.h"
#include "common/build_tree.h"
#include "common/cli.h"
#include "common/error.h"

namespace deploylab::bench {
namespace {

namespace po = cli::po;

void declare(po::options_description& options, po::positional_options_description&) {
  auto bin = tree_of_this_binary().build / "bin";
  options.add_options()
      ("json", po::value<std::string>()->required(), "write the measurements to FILE (after every contender)")
      ("quick", po::bool_switch(), "small sizes and few rounds: about 25 s in all")
      ("rounds", po::value<int>(), "rounds of every row with rounds (default: 5/3/1 quick, 20/10/3 full)")
      ("only", po::value<std::string>()->default_value("minictr,crun,runc"), "runtimes, comma-separated")
      ("density-budget", po::value<int>(), "the density row's memory budget in MiB (default: 16 quick, 128 full)")
      ("minictr", po::value<std::string>()->default_value((bin / "minictr").string()), "the minictr binary")
      ("crun", po::value<std::string>()->default_value("crun"), "the crun binary")
      ("runc", po::value<std::string>()->default_value("runc"), "the runc binary")
      ("compute-kernel", po::value<std::string>()->default_value((bin / "compute-kernel").string()), "bench/workloads' compute-kernel")
      ("io-probe", po::value<std::string>()->default_value((bin / "io-probe").string()), "bench/workloads' io-probe")
      ("rootfs", po::value<std::string>()->default_value((default_assets_dir() / "rootfs").string()),
       "the busybox rootfs to copy (make deps makes it)")
      ("timeout", po::value<int>()->default_value(60), "seconds one command may take");
}

std::optional<int> optional_int(const po::variables_map& vm, const char* name) {
  if (!vm.count(name)) return std::nullopt;
  return vm[name].as<int>();
}

RowsOptions read_options(const po::variables_map& vm) {
  RowsOptions options;
  options.json = vm["json"].as<std::string>();
  Speed speed = vm["quick"].as<bool>() ? Speed::quick : Speed::full;
  try {
    options.sizes = sizes_for(speed, optional_int(vm, "rounds"), optional_int(vm, "density-budget"));
    options.runtimes = parse_runtimes(vm["only"].as<std::string>());
  } catch (const std::invalid_argument& e) {
    throw ErrorException(Error::invalid(e.what()));
  }
  options.minictr = vm["minictr"].as<std::string>();
  options.crun = vm["crun"].as<std::string>();
  options.runc = vm["runc"].as<std::string>();
  options.compute_kernel = vm["compute-kernel"].as<std::string>();
  options.io_probe = vm["io-probe"].as<std::string>();
  options.rootfs = vm["rootfs"].as<std::string>();
  options.timeout = std::chrono::seconds(vm["timeout"].as<int>());
  return options;
}

int run(const po::variables_map& vm) {
  RowsOptions options = read_options(vm);
  if (::geteuid() != 0) return refuse_without_root(options);
  return run_container_rows(options);
}

}  // namespace
}  // namespace deploylab::bench

int main(int argc, char** argv) {
  using namespace deploylab;
  cli::Command command{"", "measure the host and container columns of the tradeoff table (start-up, memory, density, cpu, disk)",
                       bench::declare, bench::run};
  return cli::main("container-rows", "the tradeoff table's container rows (bench/containers/README.md)", {command}, argc,
                   argv);
}
