// common/stats.cpp: percentiles by linear interpolation and duration formatting (see stats.h).
#include "common/stats.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>

namespace deploylab {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Percentile p (0..1) of sorted, non-empty `x` (see the definition in stats.h).
double percentile(const std::vector<double>& x, double p) {
  double rank = static_cast<double>(x.size() - 1) * p;
  auto below = static_cast<std::size_t>(std::floor(rank));
  if (below + 1 >= x.size()) return x.back();
  double fraction = rank - static_cast<double>(below);
  return x[below] + fraction * (x[below + 1] - x[below]);
}

// Decimal exponent of |value| (1234 -> 3, 0.05 -> -2); value must be non-zero and finite.
int decimal_exponent(double value) {
  return static_cast<int>(std::floor(std::log10(std::fabs(value))));
}

// `value` rounded to `digits` significant digits (0 stays 0). Powers of ten up to 1e22 are exact
// doubles, so we always multiply or divide by one rather than by an inexact 1e-5: the result is
// then the double nearest the rounded decimal (12000000, not 12000000.000000002).
double round_significant(double value, int digits) {
  if (value == 0) return 0;
  int shift = digits - 1 - decimal_exponent(value);
  if (shift >= 0) {
    double scale = std::pow(10.0, shift);
    return std::round(value * scale) / scale;
  }
  double scale = std::pow(10.0, -shift);
  return std::round(value / scale) * scale;
}

}  // namespace

double Summary::spread() const {
  if (count == 0 || median == 0) return kNaN;
  return (p90 - p10) / median;
}

Summary summarize(std::vector<double> samples) {
  // NaN compares false with everything, which would break std::sort's ordering: drop it first.
  std::erase_if(samples, [](double s) { return std::isnan(s); });
  if (samples.empty()) return Summary{};  // count 0, every statistic NaN
  std::sort(samples.begin(), samples.end());
  double sum = std::accumulate(samples.begin(), samples.end(), 0.0);
  return Summary{
      .count = samples.size(),
      .min = samples.front(),
      .p10 = percentile(samples, 0.10),
      .median = percentile(samples, 0.50),
      .p90 = percentile(samples, 0.90),
      .max = samples.back(),
      .mean = sum / static_cast<double>(samples.size()),
  };
}

std::string format_duration_ns(double ns) {
  if (!std::isfinite(ns)) return "n/a";
  if (ns == 0) return "0 ns";
  struct Unit { const char* name; double ns; };
  static constexpr std::array<Unit, 4> kUnits{{{"s", 1e9}, {"ms", 1e6}, {"us", 1e3}, {"ns", 1}}};
  double rounded = round_significant(ns, 3);
  // The largest unit in which the value is at least 1 (nanoseconds for anything smaller).
  const Unit* unit = &kUnits.back();
  for (const Unit& u : kUnits) {
    if (std::fabs(rounded) >= u.ns) { unit = &u; break; }
  }
  double value = rounded / unit->ns;
  // 3 significant digits: 150 -> 0 decimals, 12.0 -> 1, 7.30 -> 2, 0.500 -> 3.
  int decimals = std::max(0, 2 - decimal_exponent(value));
  return fmt::format("{:.{}f} {}", value, decimals, unit->name);
}

}  // namespace deploylab
