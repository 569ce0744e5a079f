// bench/containers/main.cpp: `container-bench`, the container rows of the VM-versus-container
// tradeoff table (bench/containers/README.md): minictr, crun and runc start /bin/true from the
// same bundle, round by round on this machine, next to `unshare` and a bare fork+exec for scale,
// and each one's smallest workable memory limit is found by bisection.
//
//   container-bench [--rounds 50] [--only minictr,crun,runc] [--no-memory] [--json FILE]   (as root)
//   make bench-containers ROUNDS=N
//
// The steps: read the options, run the benchmark (container_bench.h), print the table and goal
// checks (container_report.h), write the JSON.
#include <unistd.h>

#include <iostream>

#include "bench/containers/container_bench.h"
#include "bench/containers/container_report.h"
#include "common/build_tree.h"
#include "common/cli.h"
#include "common/file_io.h"

namespace deploylab::bench {
namespace {

namespace po = cli::po;

void declare(po::options_description& options, po::positional_options_description&) {
  auto bin = tree_of_this_binary().build / "bin";
  options.add_options()
      ("rounds", po::value<int>()->default_value(50), "samples per row (after 1 warm-up round), rows interleaved")
      ("only", po::value<std::string>()->default_value("minictr,crun,runc"), "runtimes, comma-separated")
      ("minictr", po::value<std::string>()->default_value((bin / "minictr").string()), "the minictr binary")
      ("crun", po::value<std::string>()->default_value("crun"), "the crun binary")
      ("runc", po::value<std::string>()->default_value("runc"), "the runc binary")
      ("rootfs", po::value<std::string>()->default_value((default_assets_dir() / "rootfs").string()),
       "the busybox rootfs to copy into the bundle (make deps makes it)")
      ("no-memory", po::bool_switch(), "skip the search for the smallest memory limit")
      ("timeout", po::value<int>()->default_value(60), "seconds one command may take")
      ("json", po::value<std::string>(), "also write every sample as JSON to FILE");
}

BenchOptions read_options(const po::variables_map& vm) {
  BenchOptions options;
  options.runtimes = parse_runtimes(vm["only"].as<std::string>());
  options.minictr = vm["minictr"].as<std::string>();
  options.crun = vm["crun"].as<std::string>();
  options.runc = vm["runc"].as<std::string>();
  options.rootfs = vm["rootfs"].as<std::string>();
  options.rounds = vm["rounds"].as<int>();
  options.memory = vm["no-memory"].as<bool>() ? MemorySearch::skip : MemorySearch::run;
  options.timeout = std::chrono::seconds(vm["timeout"].as<int>());
  if (options.rounds < 1) throw ErrorException(Error::invalid("--rounds must be at least 1"));
  if (options.runtimes.empty()) throw ErrorException(Error::invalid("--only names no runtime"));
  return options;
}

int run(const po::variables_map& vm) {
  BenchOptions options = read_options(vm);
  if (::geteuid() != 0) {
    std::cerr << "container-bench: run it as root (containers need namespaces, mounts and cgroups)\n";
    return 1;
  }
  ContainerReport report = run_container_bench(options);
  std::cout << render_container_report(report);
  if (vm.count("json")) {
    write_file_atomic(vm["json"].as<std::string>(), container_report_json(report).dump(2) + "\n").value();
  }
  return 0;
}

}  // namespace
}  // namespace deploylab::bench

int main(int argc, char** argv) {
  using namespace deploylab;
  cli::Command command{"", "start /bin/true under minictr, crun and runc from the same bundle, side by side",
                       bench::declare, bench::run};
  return cli::main("container-bench", "the container benchmark (bench/containers/README.md)", {command}, argc, argv);
}
