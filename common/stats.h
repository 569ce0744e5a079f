// common/stats.h: summary statistics of timing samples (min, p10, median, p90, max, mean) and
// human-readable durations.
//
// Benchmarks repeat a measurement many times and report the distribution, not one number: the
// median is robust against the odd slow run (an interrupt, a page fault), and p10..p90 shows how
// noisy the machine was. `minivmm bench-exits` and `make bench` print these with TextTable
// (common/text_table.h). Everything here is pure: no clocks, no I/O.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace deploylab {

struct Summary {
  static constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

  std::size_t count = 0;  // samples used (NaN samples are dropped)
  double min = kNoValue, p10 = kNoValue, median = kNoValue, p90 = kNoValue, max = kNoValue,
         mean = kNoValue;

  // (p90 - p10) / median: how wide the middle 80% is relative to the typical value. 0.05 means
  // "within about 5%". NaN when there are no samples or the median is 0.
  double spread() const;
};

// Percentile definition (the "linear" method, Hyndman & Fan type 7, numpy's default): sort the
// n samples into x[0] <= ... <= x[n-1]; percentile p (0..1) sits at rank h = (n-1)*p and is
// x[floor(h)] + (h - floor(h)) * (x[floor(h)+1] - x[floor(h)]), i.e. linear interpolation
// between the two closest ranks. So p0 is the min, p100 the max, and the median of an even count
// is the mean of the middle two.
//
// Samples may come in any order. NaN samples are ignored. With no samples left, the result has
// count 0 and every statistic NaN.
Summary summarize(std::vector<double> samples);

// A duration in nanoseconds with 3 significant digits in the largest fitting unit:
// 150 -> "150 ns", 7300 -> "7.30 us", 1.2e7 -> "12.0 ms", 1.5e9 -> "1.50 s". Rounding happens
// before the unit is chosen, so 999.7 ns reads "1.00 us", not "1000 ns". Seconds are the largest
// unit ("1500 s"). 0 -> "0 ns"; negative values keep their sign; NaN or infinity -> "n/a".
std::string format_duration_ns(double ns);

}  // namespace deploylab
