// common/stats_test.cpp: percentiles, the empty case and duration formatting of common/stats.h.
#include "common/stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace deploylab {
namespace {

TEST(Summarize, OddCountHasTheMiddleSampleAsMedian) {
  auto s = summarize({1, 2, 3, 4, 5});
  EXPECT_EQ(s.count, 5u);
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_DOUBLE_EQ(s.median, 3);
  EXPECT_DOUBLE_EQ(s.max, 5);
  EXPECT_DOUBLE_EQ(s.mean, 3);
  // rank (5-1)*0.1 = 0.4: 40% of the way from 1 to 2; rank 3.6: 60% of the way from 4 to 5.
  EXPECT_DOUBLE_EQ(s.p10, 1.4);
  EXPECT_DOUBLE_EQ(s.p90, 4.6);
}

TEST(Summarize, EvenCountAveragesTheMiddleTwo) {
  auto s = summarize({10, 20, 30, 40});
  EXPECT_DOUBLE_EQ(s.median, 25) << "median of 10,20,30,40 is the mean of 20 and 30";
  EXPECT_DOUBLE_EQ(s.p10, 13);  // rank 0.3
  EXPECT_DOUBLE_EQ(s.p90, 37);  // rank 2.7
  EXPECT_DOUBLE_EQ(s.mean, 25);
}

TEST(Summarize, OneSampleIsEveryStatistic) {
  auto s = summarize({7.5});
  EXPECT_EQ(s.count, 1u);
  for (double v : {s.min, s.p10, s.median, s.p90, s.max, s.mean}) EXPECT_DOUBLE_EQ(v, 7.5);
  EXPECT_DOUBLE_EQ(s.spread(), 0);
}

TEST(Summarize, UnsortedInputGivesTheSameResultAsSorted) {
  auto shuffled = summarize({9, 1, 8, 2, 7, 3, 6, 4, 5, 10});
  auto sorted = summarize({1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  EXPECT_DOUBLE_EQ(shuffled.min, 1);
  EXPECT_DOUBLE_EQ(shuffled.max, 10);
  EXPECT_DOUBLE_EQ(shuffled.median, 5.5);
  EXPECT_DOUBLE_EQ(shuffled.p10, sorted.p10);
  EXPECT_DOUBLE_EQ(shuffled.p90, sorted.p90);
  EXPECT_DOUBLE_EQ(shuffled.p10, 1.9);  // rank 0.9
  EXPECT_DOUBLE_EQ(shuffled.p90, 9.1);  // rank 8.1
}

TEST(Summarize, EmptyInputIsCountZeroAndNaN) {
  auto s = summarize({});
  EXPECT_EQ(s.count, 0u);
  for (double v : {s.min, s.p10, s.median, s.p90, s.max, s.mean, s.spread()}) {
    EXPECT_TRUE(std::isnan(v)) << "every statistic of no samples should be NaN, saw " << v;
  }
}

TEST(Summarize, NaNSamplesAreIgnored) {
  double nan = std::numeric_limits<double>::quiet_NaN();
  auto s = summarize({nan, 3, 1, nan, 2});
  EXPECT_EQ(s.count, 3u);
  EXPECT_DOUBLE_EQ(s.median, 2);
  EXPECT_TRUE(std::isnan(summarize({nan}).median));
}

TEST(Summarize, SpreadIsTheMiddleEightyPercentRelativeToTheMedian) {
  auto s = summarize({1, 2, 3, 4, 5});
  EXPECT_DOUBLE_EQ(s.spread(), (4.6 - 1.4) / 3);
  EXPECT_TRUE(std::isnan(summarize({0, 0, 0}).spread())) << "a zero median has no relative spread";
}

TEST(FormatDuration, ThreeSignificantDigitsInTheLargestUnit) {
  EXPECT_EQ(format_duration_ns(150), "150 ns");
  EXPECT_EQ(format_duration_ns(7300), "7.30 us");
  EXPECT_EQ(format_duration_ns(12e6), "12.0 ms");
  EXPECT_EQ(format_duration_ns(1.5e9), "1.50 s");
  EXPECT_EQ(format_duration_ns(7.3), "7.30 ns");
  EXPECT_EQ(format_duration_ns(0.5), "0.500 ns");
  EXPECT_EQ(format_duration_ns(123456), "123 us");
  EXPECT_EQ(format_duration_ns(1.5e12), "1500 s") << "seconds are the largest unit";
}

TEST(FormatDuration, UnitBoundaries) {
  EXPECT_EQ(format_duration_ns(999), "999 ns");
  EXPECT_EQ(format_duration_ns(1000), "1.00 us");
  EXPECT_EQ(format_duration_ns(999.7), "1.00 us") << "rounds to 1000 ns first, then picks the unit";
  EXPECT_EQ(format_duration_ns(9.996e3), "10.0 us");
  EXPECT_EQ(format_duration_ns(99.96e3), "100 us");
  EXPECT_EQ(format_duration_ns(999.6e3), "1.00 ms");
  EXPECT_EQ(format_duration_ns(999.6e6), "1.00 s");
}

TEST(FormatDuration, ZeroNegativeAndNotANumber) {
  EXPECT_EQ(format_duration_ns(0), "0 ns");
  EXPECT_EQ(format_duration_ns(-2500), "-2.50 us");
  EXPECT_EQ(format_duration_ns(std::numeric_limits<double>::quiet_NaN()), "n/a");
  EXPECT_EQ(format_duration_ns(std::numeric_limits<double>::infinity()), "n/a");
}

}  // namespace
}  // namespace deploylab
