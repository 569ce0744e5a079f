// bench/tradeoff/plots_test.cpp: which charts the measurements make and what gnuplot is told
// (plots.h); tests/bench runs gnuplot itself.
#include "bench/tradeoff/plots.h"

#include <gtest/gtest.h>

#include "bench/tradeoff/test_measurements.h"

namespace deploylab::bench {
namespace {

using testing::make;

TEST(TradeoffPlots, OneChartPerRowAndUnitWithFactsLeftOut) {
  std::vector<Measurement> ms{make(Row::disk, "seq_read", Column::host, "host", {900}, "MB/s", "native", Better::higher),
                              make(Row::disk, "rand_read", Column::host, "host", {20000}, "IOPS", "native", Better::higher),
                              testing::fact("kernel", Column::host, "host", "6.1.0")};
  auto plots = plan_plots(ms);
  ASSERT_EQ(plots.size(), 2u);
  EXPECT_EQ(plots[0].name, "disk-MB_s");
  EXPECT_EQ(plots[1].name, "disk-IOPS");
  EXPECT_NE(plots[0].title.find("higher is better"), std::string::npos);
}

TEST(TradeoffPlots, WideRangesGoOnALogScaleAndVmhostBarsAreMarked) {
  std::vector<Measurement> ms{make(Row::startup, "first_output", Column::container, "crun", {12}),
                              make(Row::startup, "boot_to_init", Column::vm, "minivmm", {9000}, "ms", "vmhost")};
  auto plots = plan_plots(ms);
  ASSERT_EQ(plots.size(), 1u);
  EXPECT_TRUE(plots[0].log_scale);
  ASSERT_EQ(plots[0].bars.size(), 2u);
  EXPECT_EQ(plots[0].bars[1].label, "minivmm (vmhost): boot_to_init");
  EXPECT_TRUE(plots[0].bars[1].vmhost);
  std::string data = plot_data(plots[0]);
  EXPECT_NE(data.find("\"minivmm (vmhost): boot_to_init\" 9000 9000 9000 0xcc6677"), std::string::npos) << data;
  std::string script = gnuplot_script(plots[0], "svg");
  EXPECT_NE(script.find("set terminal svg"), std::string::npos);
  EXPECT_NE(script.find("set logscale y"), std::string::npos);
  EXPECT_NE(script.find("set output \"startup-ms.svg\""), std::string::npos) << script;
}

}  // namespace
}  // namespace deploylab::bench
