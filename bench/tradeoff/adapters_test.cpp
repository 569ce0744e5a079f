// bench/tradeoff/adapters_test.cpp: container-bench's and net-bench's JSON as Measurements
// (adapters.h), on excerpts of what those programs write, and the error for a foreign file.
#include "bench/tradeoff/adapters.h"

#include <gtest/gtest.h>

namespace deploylab::bench {
namespace {

TEST(TradeoffAdapters, ContainerBenchRunRowsAndTheForkExecFloorAsTheHost) {
  auto j = nlohmann::json::parse(R"json({"series": [
    {"name": "minictr", "mode": "run", "failure": "", "samples": [{"total_ms": 20.5}, {"total_ms": 22.0}]},
    {"name": "minictr", "mode": "create + start + wait + delete", "failure": "", "samples": [{"total_ms": 30}]},
    {"name": "crun", "mode": "run", "failure": "crun: cannot start", "samples": []},
    {"name": "unshare -pfmnui --mount-proc true", "mode": "for scale", "samples": [{"total_ms": 4}]},
    {"name": "true (fork+exec)", "mode": "for scale", "samples": [{"total_ms": 1.4}, {"total_ms": null}]}],
    "memory": [{"runtime": "minictr", "outcome": "found", "smallest_limit": 2097152}]})json");
  auto ms = from_container_bench(j);
  ASSERT_TRUE(ms.ok()) << ms.error().message();
  ASSERT_EQ(ms.value().size(), 4u);
  EXPECT_EQ(ms.value()[0].contender, "minictr");
  EXPECT_EQ(ms.value()[0].samples, (std::vector<double>{20.5, 22.0}));
  EXPECT_EQ(ms.value()[1].missing, "crun: cannot start");
  EXPECT_EQ(ms.value()[2].column, Column::host);
  EXPECT_EQ(ms.value()[2].samples.size(), 1u) << "a null sample (NaN) is no sample";
  EXPECT_EQ(ms.value()[3].metric, "smallest_limit");
  EXPECT_DOUBLE_EQ(ms.value()[3].samples.at(0), 2.0);
}

TEST(TradeoffAdapters, NetBenchLoopbackIsTheBaselineOfEveryPath) {
  auto j = nlohmann::json::parse(R"json({"paths": [
    {"path": "host loopback (127.0.0.1)", "round_trip_us": {"p50": 50}, "spinning_round_trip_us": {"p50": 11},
     "gbit_per_s_samples": [20, 22]},
    {"path": "container -> container (veth, bridge, veth)", "round_trip_us": {"p50": 60},
     "spinning_round_trip_us": {"p50": 15}, "gbit_per_s_samples": [18]}]})json");
  auto ms = from_net_bench(j);
  ASSERT_TRUE(ms.ok()) << ms.error().message();
  ASSERT_EQ(ms.value().size(), 6u);
  EXPECT_EQ(ms.value()[0].metric, "rtt");
  EXPECT_EQ(ms.value()[0].contender, "host");
  EXPECT_EQ(ms.value()[3].metric, "rtt_c2c");
  EXPECT_EQ(ms.value()[3].baseline, "rtt");
  EXPECT_EQ(ms.value()[5].better, Better::higher);
}

TEST(TradeoffAdapters, AForeignFileIsAnErrorThatSaysWhat) {
  auto ms = from_net_bench(nlohmann::json::parse(R"({"series": []})"));
  ASSERT_FALSE(ms.ok());
  EXPECT_NE(ms.error().message().find("paths"), std::string::npos) << ms.error().message();
  EXPECT_FALSE(from_container_bench(nlohmann::json::parse("[]")).ok());
}

TEST(TradeoffAdapters, MissingCellsCarryTheReasonForEveryRow) {
  auto cells = missing_cells({Row::cpu, Row::disk}, Column::vm, "qemu", "vmhost", "vms failed");
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[1].row, Row::disk);
  EXPECT_EQ(cells[1].missing, "vms failed");
  EXPECT_TRUE(cells[1].samples.empty());
}

}  // namespace
}  // namespace deploylab::bench
