// bench/tradeoff/report_test.cpp: tradeoff.md and tradeoff.csv from a made-up run (report.h):
// one line per row, measure and place, an empty cell points at its reason, vmhost figures are only
// compared with the host inside vmhost, and the CSV has one line per measurement.
#include "bench/tradeoff/report.h"

#include <gtest/gtest.h>

#include <sstream>

#include "bench/tradeoff/test_measurements.h"

namespace deploylab::bench {
namespace {

using testing::make;

Results sample_run() {
  Results r;
  r.quick = true;
  r.machine.vm_place = "vmhost";
  r.machine.virt_mode = "kvm_pvm";
  r.measurements = {make(Row::cpu, "compute", Column::host, "host", {100, 110}),
                    make(Row::cpu, "compute", Column::container, "minictr", {105, 104}),
                    make(Row::cpu, "compute", Column::host, "host", {3000}, "ms", "vmhost"),
                    make(Row::cpu, "compute", Column::vm, "minivmm", {3300}, "ms", "vmhost")};
  Measurement missing = make(Row::cpu, "compute", Column::container, "crun", {});
  missing.missing = "crun is not installed: apt install crun";
  r.measurements.push_back(missing);
  r.steps.push_back({"container-rows", StepStatus::ok, 12.5, "", "logs/container-rows.log"});
  return r;
}

TEST(TradeoffReport, ColumnsFollowTheTablesOrderAndOnlyThoseMeasured) {
  auto columns = contender_columns(sample_run().measurements);
  EXPECT_EQ(columns, (std::vector<std::string>{"host", "minictr", "crun", "minivmm"}));
}

TEST(TradeoffReport, OneLinePerMeasureAndPlace) {
  auto lines = table_lines(sample_run().measurements);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].place, "native");
  EXPECT_EQ(lines[1].place, "vmhost");
}

TEST(TradeoffReport, MarkdownComparesOnlyWithinOnePlaceAndExplainsEmptyCells) {
  std::string md = render_markdown(sample_run(), {"plots/cpu-ms.svg", "plots/cpu-ms.png"});
  EXPECT_NE(md.find("| 4 | compute label | inside vmhost | 3.00 s |  |  | 3.30 s (1.10x host) |"), std::string::npos) << md;
  EXPECT_NE(md.find("n/a [1]"), std::string::npos) << md;
  EXPECT_NE(md.find("[1] crun is not installed: apt install crun"), std::string::npos) << md;
  EXPECT_NE(md.find("quick run"), std::string::npos);
  EXPECT_NE(md.find("![plots/cpu-ms.svg](plots/cpu-ms.svg)"), std::string::npos) << md;
  EXPECT_NE(md.find("| container-rows | ok | 12.5 |"), std::string::npos) << md;
  for (const char* row : {"| 1 | Start-up |", "| 7 | Isolation |"}) EXPECT_NE(md.find(row), std::string::npos) << row;
}

TEST(TradeoffReport, CsvHasAHeaderAndOneLinePerMeasurement) {
  std::string csv = render_csv(sample_run());
  std::istringstream in(csv);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) ++lines;
  EXPECT_EQ(lines, 1 + 5);
  EXPECT_EQ(csv.rfind("row,metric,label,column,contender,place,unit,better,n,median", 0), 0u);
  EXPECT_NE(csv.find("4,compute,compute label,vm,minivmm,vmhost,ms,lower,1,3300"), std::string::npos) << csv;
}

TEST(TradeoffReport, ResultsSurviveTheirJsonForm) {
  Results r = sample_run();
  auto back = results_from_json(nlohmann::json::parse(results_to_json(r).dump()));
  ASSERT_TRUE(back.ok()) << back.error().message();
  EXPECT_EQ(back.value().measurements.size(), r.measurements.size());
  EXPECT_EQ(back.value().steps.at(0).status, StepStatus::ok);
  EXPECT_TRUE(back.value().quick);
  EXPECT_FALSE(results_from_json(nlohmann::json::parse(R"({"benchmark": "containers"})")).ok());
}

}  // namespace
}  // namespace deploylab::bench
