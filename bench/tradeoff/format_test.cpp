// bench/tradeoff/format_test.cpp: numbers, progress lines and the Measurement JSON as the
// tradeoff table writes them (format.h, progress.h, measurement.h).
#include "bench/tradeoff/format.h"

#include <gtest/gtest.h>

#include <cmath>

#include "bench/tradeoff/measurement.h"
#include "bench/tradeoff/progress.h"

namespace deploylab::bench {
namespace {

TEST(TradeoffFormat, ThreeSignificantDigitsAndTheNextUnitUp) {
  EXPECT_EQ(format_value(12.345, "ms"), "12.3 ms");
  EXPECT_EQ(format_value(1250, "ms"), "1.25 s");
  EXPECT_EQ(format_value(2500000, "ns"), "2.50 ms");
  EXPECT_EQ(format_value(0.0123, "MiB"), "0.0123 MiB");
  EXPECT_EQ(format_value(37, "count"), "37");
  EXPECT_EQ(format_value(NAN, "ms"), "-");
  EXPECT_EQ(format_ratio(1.049), "1.05x");
  EXPECT_EQ(format_ratio(0.5), "0.50x");
  EXPECT_EQ(format_ratio(123.4), "123x");
}

TEST(TradeoffFormat, CsvAndMarkdownEscaping) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a, \"b\""), "\"a, \"\"b\"\"\"");
  EXPECT_EQ(csv_field("crun: error\nexit 1"), "crun: error exit 1") << "a figure is one line of the CSV";
  EXPECT_EQ(md_cell("a | b\nc"), "a \\| b c");
}

TEST(TradeoffProgress, BarEstimateAndLastLine) {
  ProgressState st;
  st.step = 2, st.steps = 6, st.name = "container-rows";
  st.done_estimate = 10, st.step_estimate = 30, st.total_estimate = 100;
  st.step_elapsed = 15, st.run_elapsed = 25, st.last_line = "density: 12 containers";
  std::string line = render_progress(st);
  EXPECT_NE(line.find(" 25%  2/6 container-rows  0:25 elapsed, about 1:15 left  | density"), std::string::npos) << line;
  st.step_elapsed = 300;  // a step running long holds at 95% of its share, with a little left
  line = render_progress(st);
  EXPECT_NE(line.find(" 38%"), std::string::npos) << line;
  EXPECT_NE(line.find("about 1:02 left"), std::string::npos) << line;
  EXPECT_LE(render_progress(st, 40).size(), 40u);
}

TEST(TradeoffMeasurement, JsonRoundTripAndClearErrors) {
  Measurement m;
  m.row = Row::disk;
  m.metric = "seq_read";
  m.column = Column::vm;
  m.contender = "qemu";
  m.place = "vmhost";
  m.unit = "MB/s";
  m.better = Better::higher;
  m.samples = {100, 120};
  auto back = measurements_from_json(nlohmann::json::parse(measurements_to_json("t", {m}).dump()));
  ASSERT_TRUE(back.ok()) << back.error().message();
  EXPECT_EQ(back.value().at(0).samples, m.samples);
  EXPECT_EQ(back.value().at(0).better, Better::higher);
  auto bad = measurement_from_json(nlohmann::json::parse(R"({"row": "speed", "metric": "x", "column": "vm", "contender": "q"})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("unknown row 'speed'"), std::string::npos) << bad.error().message();
  EXPECT_FALSE(measurement_from_json(nlohmann::json::parse(R"({"row": "cpu"})")).ok());
}

}  // namespace
}  // namespace deploylab::bench
