// bench/tradeoff/rows_test.cpp: the verdicts of the tradeoff table's rows (rows.h), on made-up
// figures: each row agrees, disagrees or cannot say, and the sentence carries the numbers.
#include "bench/tradeoff/rows.h"

#include <gtest/gtest.h>

#include "bench/tradeoff/test_measurements.h"

namespace deploylab::bench {
namespace {

using testing::fact;
using testing::make;

TEST(TradeoffRows, CatalogueHasEveryRowOnceInTheLecturesOrder) {
  const auto& rows = row_catalogue();
  ASSERT_EQ(rows.size(), 8u);
  EXPECT_EQ(rows.front().row, Row::startup);
  EXPECT_EQ(rows.back().row, Row::isolation);
  EXPECT_NE(row_info(Row::memory).claim.find("GBs"), std::string::npos) << "the lecture's words should be quoted";
}

TEST(TradeoffRows, StartupInsideVmhostAgreesButSaysTheMachineMatters) {
  std::vector<Measurement> ms{make(Row::startup, "boot_to_init", Column::vm, "minivmm", {9000, 9500}, "ms", "vmhost"),
                              make(Row::startup, "first_output", Column::container, "crun", {12, 13})};
  Verdict v = judge(Row::startup, ms);
  EXPECT_EQ(v.kind, VerdictKind::depends) << v.measured;
  EXPECT_NE(v.measured.find("inside vmhost"), std::string::npos) << v.measured;
  EXPECT_NE(v.measured.find("crun 12.5 ms"), std::string::npos) << v.measured;
}

TEST(TradeoffRows, StartupNativeAgreesAndCloseStartsDisagree) {
  std::vector<Measurement> ms{make(Row::startup, "boot_to_init", Column::vm, "minivmm", {300}),
                              make(Row::startup, "first_output", Column::container, "crun", {12})};
  EXPECT_EQ(judge(Row::startup, ms).kind, VerdictKind::agrees);
  ms[0].samples = {50};
  EXPECT_EQ(judge(Row::startup, ms).kind, VerdictKind::disagrees);
}

TEST(TradeoffRows, NothingMeasuredSaysSo) {
  for (const RowInfo& info : row_catalogue()) EXPECT_EQ(judge(info.row, {}).kind, VerdictKind::not_measured) << info.title;
}

TEST(TradeoffRows, MemoryOfTensOfMebibytesOnlyPartlyAgreesWithGigabytes) {
  std::vector<Measurement> ms{make(Row::memory, "per_instance", Column::vm, "minivmm", {40}, "MiB", "vmhost"),
                              make(Row::memory, "per_instance", Column::container, "minictr", {1.5}, "MiB")};
  Verdict v = judge(Row::memory, ms);
  EXPECT_EQ(v.kind, VerdictKind::partly) << v.measured;
  EXPECT_NE(v.measured.find("not GBs"), std::string::npos) << v.measured;
  ms.push_back(make(Row::memory, "guest_touched", Column::vm, "minivmm", {38}, "MiB", "vmhost"));
  EXPECT_NE(judge(Row::memory, ms).measured.find("its guest touched 38.0 MiB"), std::string::npos) << judge(Row::memory, ms).measured;
  ms[0].samples = {2048};
  EXPECT_EQ(judge(Row::memory, ms).kind, VerdictKind::agrees);
}

TEST(TradeoffRows, DensityComparesTheMemoryEachInstanceTookAcrossBudgets) {
  std::vector<Measurement> ms{make(Row::density, "density", Column::vm, "minivmm", {3}, "count", "vmhost", Better::higher),
                              make(Row::density, "density", Column::container, "crun", {95}, "count", "native", Better::higher)};
  ms[0].params["budget_mib"] = 192;
  ms[1].params["budget_mib"] = 16;
  Verdict v = judge(Row::density, ms);
  EXPECT_EQ(v.kind, VerdictKind::agrees) << v.measured;
  EXPECT_NE(v.measured.find("64.0 MiB per VM against 0.168 MiB per container (380x)"), std::string::npos) << v.measured;
  ms[0].samples = {0};
  EXPECT_EQ(judge(Row::density, ms).kind, VerdictKind::agrees) << "no VM fit at all: containers win, but say no ratio";
}

TEST(TradeoffRows, CpuComparesEachColumnWithTheHostInTheSamePlaceOnly) {
  std::vector<Measurement> ms{make(Row::cpu, "compute", Column::host, "host", {100}),
                              make(Row::cpu, "compute", Column::container, "crun", {102}),
                              make(Row::cpu, "compute", Column::host, "host", {3000}, "ms", "vmhost"),
                              make(Row::cpu, "compute", Column::vm, "minivmm", {3100}, "ms", "vmhost")};
  Verdict v = judge(Row::cpu, ms);
  EXPECT_EQ(v.kind, VerdictKind::depends) << v.measured;
  EXPECT_NE(v.measured.find("both inside vmhost"), std::string::npos) << v.measured;
  ms.erase(ms.begin() + 2);  // hardware KVM: no vmhost, everything native
  ms[2].place = "native";
  ms[2].samples = {103};
  EXPECT_EQ(judge(Row::cpu, ms).kind, VerdictKind::agrees) << judge(Row::cpu, ms).measured;
  ms[2].samples = {210};  // the VM twice as slow as the host
  EXPECT_EQ(judge(Row::cpu, ms).kind, VerdictKind::partly) << judge(Row::cpu, ms).measured;
  ms[1].samples = {300};  // a container three times as slow
  EXPECT_EQ(judge(Row::cpu, ms).kind, VerdictKind::disagrees);
}

TEST(TradeoffRows, HostBaselineUsesTheNamedMetricWhenGiven) {
  std::vector<Measurement> ms{make(Row::network, "rtt", Column::host, "host", {10}, "us"),
                              make(Row::network, "rtt_c2c", Column::container, "minictr", {14}, "us")};
  EXPECT_EQ(host_baseline(ms, ms[1]), nullptr);
  ms[1].baseline = "rtt";
  EXPECT_EQ(host_baseline(ms, ms[1]), &ms[0]);
}

TEST(TradeoffRows, NetworkJudgesAddedMicrosecondsNotRatios) {
  std::vector<Measurement> ms{make(Row::network, "rtt", Column::host, "host", {11}, "us"),
                              make(Row::network, "rtt", Column::container, "minictr", {16}, "us"),
                              make(Row::network, "throughput", Column::host, "host", {20}, "Gbit/s", "native", Better::higher),
                              make(Row::network, "throughput", Column::container, "minictr", {18}, "Gbit/s", "native", Better::higher)};
  Verdict v = judge(Row::network, ms);
  EXPECT_EQ(v.kind, VerdictKind::partly) << v.measured;  // 1.45x, but only 5 us: cheap; no VM measured
  EXPECT_NE(v.measured.find("5.00 us"), std::string::npos) << v.measured;
  ms[1].samples = {60};
  EXPECT_EQ(judge(Row::network, ms).kind, VerdictKind::disagrees);
}

TEST(TradeoffRows, IsolationChecksTheKernelFactsBothWays) {
  std::vector<Measurement> ms{fact("shares_kernel", Column::vm, "minivmm", "no: boot id 1234 is not the host's", "vmhost"),
                              fact("shares_kernel", Column::container, "minictr", "yes: same boot id")};
  EXPECT_EQ(judge(Row::isolation, ms).kind, VerdictKind::agrees) << judge(Row::isolation, ms).measured;
  ms[1].text = "no: another boot id";
  EXPECT_EQ(judge(Row::isolation, ms).kind, VerdictKind::disagrees);
}

}  // namespace
}  // namespace deploylab::bench
