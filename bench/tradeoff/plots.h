// bench/tradeoff/plots.h: the tradeoff table's plots. One chart per row and unit (disk has MB/s
// and IOPS, so two): a bar per contender and place at its median, with a p10 - p90 error bar,
// coloured by where it was measured, on a log scale when the bars span more than 50x.
// plan_plots() and gnuplot_script() are pure; write_plots() writes the files and runs gnuplot
// (Debian's gnuplot-nox) for a PNG and an SVG of each chart.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "bench/tradeoff/measurement.h"
#include "common/result.h"

namespace deploylab::bench {

struct PlotBar {
  std::string label;  // "minivmm (vmhost)"
  double median, p10, p90;
  bool vmhost;
};

struct Plot {
  std::string name;   // file stem: "startup-ms"
  std::string title;  // "1. Start-up (ms, lower is better)"
  std::string unit;
  bool log_scale = false;
  std::vector<PlotBar> bars;
};

// Every chart the measurements make; rows without numbers (isolation facts) make none.
std::vector<Plot> plan_plots(const std::vector<Measurement>& ms);

// The data file and the gnuplot script for one chart in `format` ("png" or "svg").
std::string plot_data(const Plot& plot);
std::string gnuplot_script(const Plot& plot, const std::string& format);

// Writes DIR/NAME.dat, NAME.gp and runs gnuplot for DIR/NAME.png and DIR/NAME.svg. Returns the
// image files made, relative to DIR's parent ("plots/startup-ms.svg"), or why it could not.
Result<std::vector<std::string>> write_plots(const std::vector<Measurement>& ms, const std::filesystem::path& dir);

}  // namespace deploylab::bench
