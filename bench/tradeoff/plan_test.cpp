// bench/tradeoff/plan_test.cpp: the steps of `make bench` (plan.h): quick runs pass the small
// settings on, VM rows go through vmhost only where the machine needs it, --only picks steps.
#include "bench/tradeoff/plan.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace deploylab::bench {
namespace {

bool has(const std::vector<std::string>& argv, const std::string& word) {
  return std::find(argv.begin(), argv.end(), word) != argv.end();
}

PlanOptions options(bool quick, const std::string& place) {
  PlanOptions o;
  o.quick = quick;
  o.build = "/b";
  o.raw = "/b/bench/raw";
  o.vm_place = place;
  return o;
}

TEST(TradeoffPlan, EveryStepInOrderEachWritingJsonUnderRaw) {
  auto plan = make_plan(options(false, "native"));
  ASSERT_EQ(plan.size(), step_names().size());
  for (std::size_t i = 0; i < plan.size(); ++i) {
    EXPECT_EQ(plan[i].name, step_names()[i]);
    ASSERT_FALSE(plan[i].outputs.empty());
    EXPECT_EQ(plan[i].outputs[0].path.parent_path(), "/b/bench/raw");
    EXPECT_GT(plan[i].estimate_s, 0);
    EXPECT_GT(plan[i].timeout.count(), plan[i].estimate_s) << plan[i].name;
  }
}

TEST(TradeoffPlan, QuickRunsAskForLittleAndFitTwoMinutes) {
  double total = 0;
  for (const StepSpec& s : make_plan(options(true, "vmhost"))) {
    total += s.estimate_s;
    bool takes_quick = s.name == "container-rows" || s.name == "isolation";
    EXPECT_TRUE(!takes_quick || has(s.argv, "--quick")) << s.name;
    EXPECT_TRUE(s.name != "containers" || has(s.argv, "--no-memory"));
  }
  EXPECT_LT(total, 120);
}

TEST(TradeoffPlan, VmRowsRunInsideVmhostWithTheExitsWhenTheMachineNeedsIt) {
  auto plan = make_plan(options(true, "vmhost"));
  const StepSpec& vms = plan.back();
  ASSERT_EQ(vms.name, "vms");
  EXPECT_EQ(vms.argv.at(0), "/b/bin/vmhost");
  EXPECT_NE(vms.argv.back().find("'/b/bin/vm-rows' '--json' '/b/bench/raw/vm-rows.json' '--quick'"), std::string::npos)
      << vms.argv.back();
  EXPECT_NE(vms.argv.back().find("bench-exits"), std::string::npos);
  EXPECT_EQ(vms.outputs.size(), 2u);
  auto native = make_plan(options(true, "native")).back();
  EXPECT_EQ(native.argv.at(0), "/b/bin/vm-rows");
}

TEST(TradeoffPlan, OnlyPicksStepsAndNoKvmSkipsTheExitsWithAReason) {
  PlanOptions o = options(true, "vmhost");
  o.only = {"exits", "network"};
  o.kvm_device = false;
  auto plan = make_plan(o);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[0].name, "network");
  EXPECT_NE(plan[1].skip_reason.find("/dev/kvm"), std::string::npos);
}

}  // namespace
}  // namespace deploylab::bench
