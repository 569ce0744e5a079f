// bench/tradeoff/tradeoff_run.h: one `make bench` run from start to end: gather the machine's
// facts, run the plan's steps one after another (step_runner.h), collect each step's JSON into
// Measurements (after every step results.json is rewritten, so an interrupted run keeps what it
// measured), then write tradeoff.md, tradeoff.csv and the plots and print the verdicts.
//
// The output directory (build/bench by default):
//   results.json   machine facts, steps, every measurement with all its samples
//   tradeoff.md    the table (report.h); tradeoff.csv one line per figure
//   plots/         NAME.png and NAME.svg per chart, with the .dat and .gp they came from
//   raw/           each step's own JSON;  logs/  each step's output
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace deploylab::bench {

struct TradeoffOptions {
  bool quick = false;
  int rounds = 0;
  std::filesystem::path build;
  std::filesystem::path out;
  std::vector<std::string> only;
  bool report_only = false;  // re-render OUT/results.json, run nothing
};

// 0: every step ran; 1: a step failed (the table still shows the rest); 130: interrupted.
int run_tradeoff(const TradeoffOptions& options);

}  // namespace deploylab::bench
