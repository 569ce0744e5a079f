// bench/network/main.cpp: `net-bench`, the network rows of the tradeoff table
// (bench/network/README.md): TCP round trips and bulk throughput from the host to a container,
// between two containers over the bridge, and through a published port, next to the same over
// the host's loopback.
//
//   net-bench [--rounds 10] [--round-trips 2000] [--mebibytes 256] [--json FILE]   (as root)
//   make bench-network ROUNDS=N
//
// The steps: read the options, move into a network namespace of the benchmark's own, run it
// (net_bench.h), print the table (net_report.h), write the JSON.
#include <unistd.h>

#include <iostream>

#include "bench/network/net_bench.h"
#include "common/build_tree.h"
#include "common/cli.h"
#include "common/file_io.h"

namespace deploylab::bench {
namespace {

namespace po = cli::po;

void declare(po::options_description& options, po::positional_options_description&) {
  auto bin = tree_of_this_binary().build / "bin";
  options.add_options()
      ("rounds", po::value<int>()->default_value(10), "samples per path (after 1 warm-up round), paths interleaved")
      ("round-trips", po::value<int>()->default_value(2000), "1-byte round trips per request/response run")
      ("mebibytes", po::value<int>()->default_value(256), "MiB per bulk transfer")
      ("subnet", po::value<std::string>()->default_value("10.203.0.0/24"), "the benchmark network's subnet")
      ("minictr", po::value<std::string>()->default_value((bin / "minictr").string()), "the minictr binary")
      ("probe", po::value<std::string>()->default_value((bin / "net-probe").string()), "the static net-probe binary")
      ("rootfs", po::value<std::string>()->default_value((default_assets_dir() / "rootfs").string()),
       "the busybox rootfs (used read-only; make deps makes it)")
      ("timeout", po::value<int>()->default_value(60), "seconds one command may take")
      ("json", po::value<std::string>(), "also write every sample as JSON to FILE");
}

NetBenchOptions read_options(const po::variables_map& vm) {
  NetBenchOptions options;
  options.minictr = vm["minictr"].as<std::string>();
  options.probe = vm["probe"].as<std::string>();
  options.rootfs = vm["rootfs"].as<std::string>();
  options.subnet = vm["subnet"].as<std::string>();
  options.rounds = vm["rounds"].as<int>();
  options.round_trips = vm["round-trips"].as<int>();
  options.mebibytes = vm["mebibytes"].as<int>();
  options.timeout = std::chrono::seconds(vm["timeout"].as<int>());
  if (options.rounds < 1) throw ErrorException(Error::invalid("--rounds must be at least 1"));
  if (options.round_trips < 1 || options.mebibytes < 1) {
    throw ErrorException(Error::invalid("--round-trips and --mebibytes must be at least 1"));
  }
  return options;
}

int run(const po::variables_map& vm) {
  NetBenchOptions options = read_options(vm);
  if (::geteuid() != 0) {
    std::cerr << "net-bench: run it as root (it makes a network namespace, a bridge and containers)\n";
    return 1;
  }
  enter_private_network().value();
  stop_on_signals();
  NetReport report = run_net_bench(options).value();
  std::cout << render_net_report(report);
  if (vm.count("json")) write_file_atomic(vm["json"].as<std::string>(), net_report_json(report).dump(2) + "\n").value();
  for (const NetSeries& s : report.series) {
    if (!s.failure.empty()) return 1;
  }
  return 0;
}

}  // namespace
}  // namespace deploylab::bench

int main(int argc, char** argv) {
  using namespace deploylab;
  cli::Command command{"", "TCP latency and throughput to and between containers, next to the host's loopback",
                       bench::declare, bench::run};
  return cli::main("net-bench", "the network benchmark (bench/network/README.md)", {command}, argc, argv);
}
