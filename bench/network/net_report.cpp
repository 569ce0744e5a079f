// bench/network/net_report.cpp: the network benchmark's table and JSON (see net_report.h).
#include "bench/network/net_report.h"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "common/text_table.h"

namespace deploylab::bench {
namespace {

std::string format_us(double us) { return format_duration_ns(us * 1000.0); }

// value / baseline, NaN when either is missing.
double ratio(double value, double baseline) {
  if (std::isnan(value) || std::isnan(baseline) || baseline == 0) return Summary::kNoValue;
  return value / baseline;
}

std::string range_gbit(const Summary& s) {
  if (s.count == 0) return "n/a";
  char text[64];
  std::snprintf(text, sizeof text, "%.1f - %.1f Gbit/s", s.min, s.max);
  return text;
}

}  // namespace

double gbit_per_second(double bytes, double seconds) {
  if (seconds <= 0) return Summary::kNoValue;
  return bytes * 8.0 / seconds / 1e9;
}

std::string format_gbit(double gbit_per_s) {
  if (std::isnan(gbit_per_s)) return "n/a";
  char text[32];
  std::snprintf(text, sizeof text, gbit_per_s < 10 ? "%.2f Gbit/s" : "%.1f Gbit/s", gbit_per_s);
  return text;
}

std::string format_ratio(double value) {
  if (std::isnan(value)) return "n/a";
  char text[32];
  std::snprintf(text, sizeof text, "%.2fx", value);
  return text;
}

std::string render_net_table(const NetReport& report) {
  TextTable table({"path", "round trip p50", "p90", "vs loopback", "spinning p50", "vs loopback", "bulk (median)",
                   "min - max", "vs loopback"});
  for (std::size_t c = 1; c < 9; ++c) table.set_alignment(c, Align::right);
  Summary base_rr, base_spin, base_bulk;
  if (!report.series.empty()) {
    base_rr = summarize(report.series.front().round_trip_us);
    base_spin = summarize(report.series.front().spin_round_trip_us);
    base_bulk = summarize(report.series.front().gbit_per_s);
  }
  for (const NetSeries& s : report.series) {
    Summary rr = summarize(s.round_trip_us);
    Summary spin = summarize(s.spin_round_trip_us);
    Summary bulk = summarize(s.gbit_per_s);
    table.add_row({s.name, format_us(rr.median), format_us(rr.p90), format_ratio(ratio(rr.median, base_rr.median)),
                   format_us(spin.median), format_ratio(ratio(spin.median, base_spin.median)), format_gbit(bulk.median),
                   range_gbit(bulk), format_ratio(ratio(bulk.median, base_bulk.median))});
  }
  std::string text = table.render();
  for (const NetSeries& s : report.series) {
    if (!s.failure.empty()) text += "! " + s.name + ": " + s.failure + "\n";
  }
  return text;
}

std::string render_net_report(const NetReport& report) {
  std::ostringstream out;
  for (const std::string& line : report.about) out << line << "\n";
  out << "\n" << render_net_table(report);
  return out.str();
}

nlohmann::json net_report_json(const NetReport& report) {
  nlohmann::json rows = nlohmann::json::array();
  for (const NetSeries& s : report.series) {
    Summary rr = summarize(s.round_trip_us);
    Summary spin = summarize(s.spin_round_trip_us);
    Summary bulk = summarize(s.gbit_per_s);
    nlohmann::json row = {{"path", s.name},
                          {"round_trip_us", {{"p50", rr.median}, {"p90", rr.p90}, {"count", rr.count}}},
                          {"spinning_round_trip_us", {{"p50", spin.median}, {"p90", spin.p90}, {"count", spin.count}}},
                          {"gbit_per_s", {{"median", bulk.median}, {"min", bulk.min}, {"max", bulk.max}}},
                          {"gbit_per_s_samples", s.gbit_per_s}};
    if (!s.failure.empty()) row["failure"] = s.failure;
    rows.push_back(row);
  }
  return {{"rounds", report.rounds}, {"about", report.about}, {"paths", rows}};
}

}  // namespace deploylab::bench
