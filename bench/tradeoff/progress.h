// bench/tradeoff/progress.h: the progress bar of `make bench`, with an estimate of the time left.
// Each step has an expected duration (plan.h); the bar advances by those, a step that runs long
// holds at 95% of its share, and the time left is the rest of the current step plus the steps to
// come. Pure: render_progress() returns the line; step_runner.cpp prints it.
#pragma once

#include <string>

namespace deploylab::bench {

struct ProgressState {
  int step = 0, steps = 0;     // 1-based number of the running step, and how many there are
  std::string name;            // the running step
  double done_estimate = 0;    // expected seconds of the steps already finished
  double step_estimate = 0;    // expected seconds of the running step
  double total_estimate = 0;   // expected seconds of all steps
  double step_elapsed = 0;     // seconds the running step has taken so far
  double run_elapsed = 0;      // seconds since the run started
  std::string last_line;       // the step's latest output line, for a hint of where it is
};

// "[#######.............]  35%  2/6 container-rows  0:42 elapsed, about 1:18 left  | last line",
// cut to `width` characters.
std::string render_progress(const ProgressState& state, int width = 120);

// "1:05" for 65 seconds, "12:00" for 720.
std::string format_minutes(double seconds);

}  // namespace deploylab::bench
