// bench/containers/container_report.h: the container benchmark's samples, their summary table,
// the goal checks and the JSON (bench/containers/README.md). Pure: results in, text out;
// main.cpp gathers and prints.
//
//   runtime                            measured as                      median          p10 - p90      min  vs crun  smallest memory limit
//   ---------------------------------  ------------------------------  -------  -----------------  -------  -------  ---------------------
//   minictr                            run                             40.1 ms  31.1 ms - 67.4 ms  28.5 ms    1.22x             <= 256 KiB
//   minictr                            create + start + wait + delete  55.8 ms  39.4 ms - 91.0 ms  38.2 ms    1.29x
//   crun                               run                             33.0 ms  22.4 ms - 47.3 ms  16.2 ms    1.00x             <= 256 KiB
//   ...
//   true (fork+exec)                   for scale                       1.57 ms  1.27 ms - 4.36 ms  1.20 ms    0.05x
//
// followed by where the 4-command rows spend their time (create, start, wait, delete) and the
// goal lines: "minictr vs crun, run: 1.22x slower (median 40.1 ms vs 33.0 ms); goal: at least as
// fast: MISSED".
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/containers/limit_search.h"
#include "common/stats.h"

namespace deploylab::bench {

// How a row drives its subject:
//   run        RUNTIME run --bundle B ID (create + start + wait + delete in one command)
//   lifecycle  create, start, wait for the container's process to exit, delete: 4 steps
//   command    one plain command (the rows for scale: unshare, fork+exec of true)
enum class Mode { run, lifecycle, command };

// One round of one row, in milliseconds; the steps are NaN except in lifecycle rows.
struct RoundSample {
  double total_ms;
  double create_ms = Summary::kNoValue, start_ms = Summary::kNoValue, wait_ms = Summary::kNoValue,
         delete_ms = Summary::kNoValue;
};

struct Series {
  std::string name;  // "minictr", "crun", "runc", or the command of a scale row
  Mode mode = Mode::run;
  std::vector<RoundSample> samples;
  std::string failure;  // set: a round failed and the row sat out the rest (the reason)
};

struct MemoryFloor {
  std::string runtime;
  LimitSearch search;
};

struct ContainerReport {
  std::vector<Series> series;
  std::vector<MemoryFloor> memory;  // empty: the memory search was skipped
  SearchRange range;
  int rounds = 0;
  std::vector<std::string> about;   // lines printed above the table: versions, kernel, cgroups
};

// "run", "create + start + wait + delete", "" (command rows).
std::string describe(Mode mode);

// The lines that answer the goals: minictr's median against crun's in both modes, crun's
// against runc's (published: about twice as fast), and whether minictr starts under 1 MiB.
std::vector<std::string> goal_checks(const ContainerReport& report);

// The whole text report: the lines of `about`, the table, the step table, failure notes, how the
// memory floors ended, the goal checks.
std::string render_container_report(const ContainerReport& report);

// Every sample and every memory attempt, plus the summaries, for the tradeoff table.
nlohmann::json container_report_json(const ContainerReport& report);

}  // namespace deploylab::bench
