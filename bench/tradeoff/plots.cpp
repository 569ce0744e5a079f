// bench/tradeoff/plots.cpp: the charts of the tradeoff table, drawn by gnuplot (plots.h).
#include "bench/tradeoff/plots.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "bench/tradeoff/format.h"
#include "bench/tradeoff/rows.h"
#include "common/file_io.h"
#include "common/stats.h"
#include "common/subprocess.h"

namespace deploylab::bench {
namespace {

std::string file_safe(const std::string& text) {
  std::string out;
  for (char c : text) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

Plot plot_for(Row row, const std::string& unit, const std::vector<Measurement>& ms) {
  Plot plot;
  const RowInfo& info = row_info(row);
  plot.name = to_string(row) + "-" + file_safe(unit);
  plot.unit = unit;
  std::set<std::string> metrics;
  for (const Measurement& m : ms)
    if (m.row == row && m.unit == unit && !m.samples.empty()) metrics.insert(m.metric);
  Better better = Better::lower;
  std::vector<const Measurement*> chosen;  // grouped by metric, so each metric's bars stand together
  std::vector<std::string> order;
  for (const Measurement& m : ms)
    if (m.row == row && m.unit == unit && !m.samples.empty() && std::find(order.begin(), order.end(), m.metric) == order.end())
      order.push_back(m.metric);
  for (const std::string& metric : order)
    for (const Measurement& m : ms)
      if (m.row == row && m.unit == unit && !m.samples.empty() && m.metric == metric) chosen.push_back(&m);
  for (const Measurement* mp : chosen) {
    const Measurement& m = *mp;
    better = m.better;
    Summary s = summarize(m.samples);
    std::string label = contender_label(m.contender) + (m.place == "vmhost" ? " (vmhost)" : "");
    if (metrics.size() > 1) label += ": " + m.metric;
    plot.bars.push_back({label, s.median, s.p10, s.p90, m.place == "vmhost"});
  }
  plot.title = info.number + ". " + info.title + " (" + unit + ", " +
               (better == Better::higher ? "higher" : "lower") + " is better)";
  double lo = INFINITY, hi = 0;
  for (const PlotBar& b : plot.bars) lo = std::min(lo, b.median), hi = std::max(hi, b.median);
  plot.log_scale = lo > 0 && hi / lo > 50;
  return plot;
}

}  // namespace

std::vector<Plot> plan_plots(const std::vector<Measurement>& ms) {
  std::vector<Plot> plots;
  for (const RowInfo& info : row_catalogue()) {
    std::vector<std::string> units;
    for (const Measurement& m : ms)
      if (m.row == info.row && !m.samples.empty() && !m.unit.empty() &&
          std::find(units.begin(), units.end(), m.unit) == units.end())
        units.push_back(m.unit);
    for (const std::string& unit : units) plots.push_back(plot_for(info.row, unit, ms));
  }
  return plots;
}

std::string plot_data(const Plot& plot) {
  std::ostringstream out;
  out << "# label median p10 p90 colour\n";
  for (const PlotBar& b : plot.bars)
    out << quoted(b.label) << " " << b.median << " " << b.p10 << " " << b.p90 << " "
        << (b.vmhost ? "0xcc6677" : "0x4477aa") << "\n";
  return out.str();
}

std::string gnuplot_script(const Plot& plot, const std::string& format) {
  std::ostringstream out;
  int width = 360 + 90 * static_cast<int>(plot.bars.size());
  if (format == "png") out << "set terminal pngcairo size " << width << ",520 noenhanced font \"sans,10\"\n";
  else out << "set terminal svg size " << width << ",520 noenhanced font \"sans,10\"\n";
  out << "set output " << quoted(plot.name + "." + format) << "\n"
      << "set title " << quoted(plot.title) << "\n"
      << "set ylabel " << quoted(plot.unit) << "\n"
      << "set style fill solid 0.75 border -1\nset boxwidth 0.6\nset grid ytics\n"
      << "set xtics rotate by 25 right nomirror\nset key outside top center horizontal\nset xrange [-0.6:" << plot.bars.size() - 0.4 << "]\n";
  if (plot.log_scale) out << "set logscale y\n";
  else out << "set yrange [0:*]\n";
  out << "plot " << quoted(plot.name + ".dat") << " using 0:2:5:xtic(1) with boxes lc rgb variable notitle, \\\n"
      << "  '' using 0:2:3:4 with yerrorbars lc rgb \"black\" pt 0 notitle, \\\n"
      << "  NaN with boxes lc rgb \"#4477aa\" title \"this machine\", \\\n"
      << "  NaN with boxes lc rgb \"#cc6677\" title \"inside vmhost (emulated)\"\n";
  return out.str();
}

Result<std::vector<std::string>> write_plots(const std::vector<Measurement>& ms, const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error::os("mkdir", dir.string(), ec.value(), "is the build directory writable?");
  std::vector<std::string> made;
  for (const Plot& plot : plan_plots(ms)) {
    DL_TRY(write_file_atomic(dir / (plot.name + ".dat"), plot_data(plot), Durability::unsynced));
    for (const std::string format : {"png", "svg"}) {
      std::string script = plot.name + "-" + format + ".gp";
      DL_TRY(write_file_atomic(dir / script, gnuplot_script(plot, format), Durability::unsynced));
      RunOptions options;
      options.timeout = std::chrono::seconds(30);
      options.merge_stderr = true;
      options.spawn.cwd = dir.string();
      auto done = run({"gnuplot", script}, options);
      if (!done.ok())
        return Error::invalid("cannot run gnuplot: " + done.error().message(), script, "apt install gnuplot-nox (make deps does)");
      if (!done.value().status.success())
        return Error::invalid("gnuplot failed: " + done.value().out, (dir / script).string(), "a bug in plots.cpp; the data is in results.json");
      made.push_back(dir.filename().string() + "/" + plot.name + "." + format);
    }
  }
  return made;
}

}  // namespace deploylab::bench
