// bench/tradeoff/progress.cpp: the progress line (progress.h).
#include "bench/tradeoff/progress.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace deploylab::bench {

std::string format_minutes(double seconds) {
  long s = std::lround(std::max(0.0, seconds));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

std::string render_progress(const ProgressState& st, int width) {
  double in_step = std::min(st.step_elapsed, st.step_estimate * 0.95);
  double fraction = st.total_estimate > 0 ? (st.done_estimate + in_step) / st.total_estimate : 0;
  fraction = std::clamp(fraction, 0.0, 1.0);
  double step_left = std::max(st.step_estimate - st.step_elapsed, st.step_estimate * 0.05);
  double left = step_left + std::max(0.0, st.total_estimate - st.done_estimate - st.step_estimate);
  constexpr int kBar = 20;
  int filled = static_cast<int>(fraction * kBar);
  std::string bar = "[" + std::string(filled, '#') + std::string(kBar - filled, '.') + "]";
  char head[256];
  std::snprintf(head, sizeof head, "%s %3d%%  %d/%d %s  %s elapsed, about %s left", bar.c_str(),
                static_cast<int>(fraction * 100), st.step, st.steps, st.name.c_str(),
                format_minutes(st.run_elapsed).c_str(), format_minutes(left).c_str());
  std::string line = head;
  if (!st.last_line.empty()) line += "  | " + st.last_line;
  if (static_cast<int>(line.size()) > width) line.resize(width);
  return line;
}

}  // namespace deploylab::bench
