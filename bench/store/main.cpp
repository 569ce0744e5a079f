// bench/store/main.cpp: `store-bench`, ministore side by side with a real etcd 3.4 on this
// machine, both durable (bench/store/README.md): puts/s with 1 and with 16 clients, range latency
// for 1 key and a 1,000-key prefix, watch delivery latency, and the goals checked.
//
//   store-bench [--rounds 5] [--only ministore,etcd,ministore-normal] [--quick] [--json FILE]
//   make bench-store ROUNDS=N ONLY=ministore,etcd
//
// The steps: read the options, run the benchmark (store_bench.h), print the table and the goal
// lines (store_report.h), write the JSON.
#include <iostream>

#include "bench/store/store_bench.h"
#include "common/cli.h"
#include "common/file_io.h"

namespace deploylab::bench {
namespace {

namespace po = cli::po;

void declare(po::options_description& options, po::positional_options_description&) {
  options.add_options()
      ("rounds", po::value<int>(), "kept rounds, after 1 warm-up round, stores interleaved (default 5; 1 with --quick)")
      ("only", po::value<std::string>()->default_value("ministore,etcd,ministore-normal"),
       "stores, comma-separated: ministore (--durability full), etcd, ministore-normal (--durability normal)")
      ("quick", po::bool_switch(), "1 short round (0.5 s put runs, fewer ranges and events): does it all work?")
      ("seconds", po::value<double>(), "seconds per put-throughput run (default 2; 0.5 with --quick)")
      ("clients", po::value<int>()->default_value(16), "clients of the concurrent put run")
      ("ministore", po::value<std::string>()->default_value(""), "the ministore binary (default: BUILD/bin/ministore)")
      ("etcd", po::value<std::string>()->default_value(""), "the etcd binary (default: /usr/bin/etcd)")
      ("scratch", po::value<std::string>()->default_value(""),
       "where the data directories go (default: $TMPDIR, else /var/tmp; a disk, not a tmpfs)")
      ("json", po::value<std::string>(), "also write every sample, the machine and the verdicts as JSON to FILE");
}

StoreBenchOptions read_options(const po::variables_map& vm) {
  StoreBenchOptions options;
  options.contenders = parse_contenders(vm["only"].as<std::string>()).value();
  if (vm["quick"].as<bool>()) options.settings = quick_settings();
  if (vm.count("rounds")) options.settings.rounds = vm["rounds"].as<int>();
  if (vm.count("seconds")) options.settings.put_seconds = vm["seconds"].as<double>();
  options.settings.concurrent_clients = vm["clients"].as<int>();
  options.ministore = vm["ministore"].as<std::string>();
  options.etcd = vm["etcd"].as<std::string>();
  options.scratch = vm["scratch"].as<std::string>();
  if (options.contenders.empty()) throw ErrorException(Error::invalid("--only names no store"));
  if (options.settings.rounds < 1) throw ErrorException(Error::invalid("--rounds must be at least 1"));
  if (options.settings.put_seconds <= 0 || options.settings.concurrent_clients < 1) {
    throw ErrorException(Error::invalid("--seconds must be positive and --clients at least 1"));
  }
  return options;
}

int run(const po::variables_map& vm) {
  StoreBenchOptions options = read_options(vm);
  stop_on_signals();
  StoreReport report = run_store_bench(options).value();
  std::cout << render_store_report(report);
  if (vm.count("json")) {
    write_file_atomic(vm["json"].as<std::string>(), store_report_json(report).dump(2) + "\n").value();
  }
  for (const StoreSeries& s : report.series) {
    if (!s.failure.empty()) return 1;
  }
  return 0;
}

}  // namespace
}  // namespace deploylab::bench

int main(int argc, char** argv) {
  using namespace deploylab;
  cli::Command command{"", "ministore next to a real etcd 3.4, both durable: puts/s, range and watch latency",
                       bench::declare, bench::run};
  return cli::main("store-bench", "the store benchmark (bench/store/README.md)", {command}, argc, argv);
}
