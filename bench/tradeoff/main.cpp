// bench/tradeoff/main.cpp: `tradeoff-bench`, what `make bench` runs: every row of the lecture's
// VM-versus-container tradeoff table measured on this machine, side by side with the reference
// tools, and written as build/bench/{results.json, tradeoff.md, tradeoff.csv, plots/}
// (bench/tradeoff/README.md).
//
//   tradeoff-bench [--quick] [--rounds N] [--only containers,vms] [--out DIR] [--report-only]
//   make bench [QUICK=1] [ROUNDS=N] [ONLY=...]
#include <unistd.h>

#include <iostream>
#include <sstream>

#include "bench/tradeoff/plan.h"
#include "bench/tradeoff/tradeoff_run.h"
#include "common/build_tree.h"
#include "common/cli.h"

namespace deploylab::bench {
namespace {

namespace po = cli::po;

void declare(po::options_description& options, po::positional_options_description&) {
  options.add_options()
      ("quick", po::bool_switch(), "few samples of small workloads: the whole table in about two minutes")
      ("rounds", po::value<int>()->default_value(0), "samples per figure (0: each benchmark's default for the mode)")
      ("only", po::value<std::string>()->default_value(""),
       "steps, comma-separated: containers, container-rows, isolation, network, exits, vms (default: all)")
      ("build-dir", po::value<std::string>()->default_value(""), "the build directory (default: the one this binary is in)")
      ("out", po::value<std::string>()->default_value(""), "where the results go (default: BUILD/bench)")
      ("report-only", po::bool_switch(), "run nothing: render OUT/results.json again");
}

std::vector<std::string> parse_only(const std::string& list) {
  std::vector<std::string> names, known = step_names();
  std::stringstream in(list);
  for (std::string word; std::getline(in, word, ',');) {
    if (word.empty()) continue;
    if (std::find(known.begin(), known.end(), word) == known.end()) {
      std::string all;
      for (const auto& k : known) all += (all.empty() ? "" : ", ") + k;
      throw ErrorException(Error::invalid("--only: there is no step '" + word + "'", list, "the steps are: " + all));
    }
    names.push_back(word);
  }
  return names;
}

int run(const po::variables_map& vm) {
  TradeoffOptions o;
  o.quick = vm["quick"].as<bool>();
  o.rounds = vm["rounds"].as<int>();
  o.only = parse_only(vm["only"].as<std::string>());
  o.report_only = vm["report-only"].as<bool>();
  std::string build = vm["build-dir"].as<std::string>();
  o.build = std::filesystem::absolute(build.empty() ? tree_of_this_binary().build : std::filesystem::path(build));
  std::string out = vm["out"].as<std::string>();
  o.out = std::filesystem::absolute(out.empty() ? o.build / "bench" : std::filesystem::path(out));
  if (o.rounds < 0) throw ErrorException(Error::invalid("--rounds cannot be negative"));
  if (!o.report_only && ::geteuid() != 0)
    throw ErrorException(Error::invalid("the container and VM rows need root", "tradeoff-bench",
                                        "run it as root (sudo make bench)"));
  return run_tradeoff(o);
}

}  // namespace
}  // namespace deploylab::bench

int main(int argc, char** argv) {
  using namespace deploylab;
  cli::Command command{"", "the lecture's VM-versus-container tradeoff table, measured on this machine",
                       bench::declare, bench::run};
  return cli::main("tradeoff-bench", "make bench (bench/tradeoff/README.md)", {command}, argc, argv);
}
