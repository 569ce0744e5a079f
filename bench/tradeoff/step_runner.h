// bench/tradeoff/step_runner.h: runs one step of `make bench` (plan.h) as a child process in a
// process group of its own, its output going to a log file, while the progress bar ticks on
// stderr. Ctrl-C (SIGINT) or SIGTERM is passed on to the step, which cleans up (its VMs,
// containers, cgroups, mounts) and writes what it measured; a step that does not stop within a
// grace period, or outlives its time limit, is killed with its whole group.
#pragma once

#include <filesystem>
#include <string>

#include "bench/tradeoff/plan.h"
#include "bench/tradeoff/progress.h"
#include "common/child_process.h"
#include "common/result.h"

namespace deploylab::bench {

struct StepRun {
  ExitStatus status;
  bool timed_out = false;
  bool interrupted = false;
  double seconds = 0;
  std::string last_line;  // the step's last line of output, for the report
};

enum class Display { bar, lines };  // bar: a terminal; lines: a log (CI)

// `progress` has everything but the step's elapsed time and last line, which run_step fills in.
Result<StepRun> run_step(const StepSpec& step, const std::filesystem::path& log, ProgressState progress, Display display);

}  // namespace deploylab::bench
