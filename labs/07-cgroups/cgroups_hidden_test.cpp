// labs/07-cgroups/cgroups_hidden_test.cpp: lab 07's hidden tests (instructor only; the student
// kit leaves this file out): cpu.shares against cpu.weight at more points than the visible tests,
// a whole config translated for v2, limits changed on a live cgroup in both directions, and the
// pids count of a container with several processes.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

#include "containers/cgroups/cgroup.h"
#include "containers/cgroups/resource_writes.h"
#include "labs/07-cgroups/lab07_support.h"

namespace deploylab::ctr::testing {
namespace {

using namespace std::chrono_literals;
using Writes = std::vector<CgroupWrite>;

class CgroupsHidden : public CgroupsLabTest {};

TEST(CgroupsTranslationHidden, SharesBecomeWeightsByRuncsLinearMap) {
  // weight = 1 + (shares - 2) * 9999 / 262142, in integers, shares clamped to 2..262144 first.
  EXPECT_EQ(cpu_weight_from_shares(100), 4u) << "1 + 98 * 9999 / 262142 (task 2: cpu_weight_from_shares)";
  EXPECT_EQ(cpu_weight_from_shares(2048), 79u) << "twice the default share, twice the default's 39 (about)";
  EXPECT_EQ(cpu_weight_from_shares(10000), 382u);
  EXPECT_EQ(cpu_weight_from_shares(1u << 20), 10000u) << "above 262144 is clamped like v1's kernel";
  Resources r;
  r.cpu.shares = 100;
  EXPECT_EQ(plan_writes(r, CgroupVersion::v1).value(), (Writes{{"cpu", "cpu.shares", "100"}}))
      << "v1 keeps the share as it is";
  EXPECT_EQ(plan_writes(r, CgroupVersion::v2).value(), (Writes{{"cpu", "cpu.weight", "4"}}));
}

TEST(CgroupsTranslationHidden, V2TranslatesAWholeConfigInOrder) {
  Resources r;
  r.memory.limit = 64 * MiB;
  r.memory.swap = -1;          // unlimited swap
  r.cpu.quota = -1;            // no quota, but a new period
  r.cpu.period = 250000;
  r.pids.limit = 0;            // OCI's other "no limit"
  EXPECT_EQ(plan_writes(r, CgroupVersion::v2).value(),
            (Writes{{"memory", "memory.max", "67108864"},
                    {"memory", "memory.swap.max", "max"},
                    {"cpu", "cpu.max", "max 250000"},
                    {"pids", "pids.max", "max"}}))
      << "tasks 1 and 2 under v2: memory.max, memory.swap.max (\"max\" for -1), cpu.max \"QUOTA PERIOD\" with "
      << "\"max\" for no quota, pids.max \"max\" for 0";
}

// Raising a v1 limit above memsw, or lowering memsw below the limit, is refused by the kernel
// write by write: only plan_v1_memory's order makes both directions work on a live cgroup.
TEST_F(CgroupsHidden, MemoryLimitsChangeOnALiveCgroupInBothDirections) {
  std::string path = "deploylab-test-" + std::to_string(::getpid()) + "-l7-update";
  Resources first;
  first.memory.limit = 32 * MiB;
  first.memory.swap = 32 * MiB;
  Cgroup cgroup = Cgroup::create(layout_, path, first).value();  // removed by its destructor
  auto memory_dir = cgroup.directory_of("memory");
  ASSERT_TRUE(memory_dir) << "no memory controller";
  const char* limit_file = v2() ? "memory.max" : "memory.limit_in_bytes";
  auto limit_now = [&] { return read_file(*memory_dir / limit_file).value_or("(missing)"); };
  for (std::int64_t mib : {64, 16}) {
    Resources next;
    next.memory.limit = mib * MiB;
    next.memory.swap = mib * MiB;
    auto updated = cgroup.update(next);
    ASSERT_TRUE(updated.ok()) << "updating to " << mib << " MiB: " << updated.error().message()
                              << "\n(task 1: the order of memory.limit_in_bytes and memory.memsw.limit_in_bytes)";
    EXPECT_EQ(limit_now(), std::to_string(mib * MiB) + "\n") << "after updating to " << mib << " MiB";
  }
  Resources unlimited;
  unlimited.memory.limit = -1;
  auto lifted = cgroup.update(unlimited);
  ASSERT_TRUE(lifted.ok()) << "lifting the limit (-1): " << lifted.error().message()
                           << "\n(task 1: -1 without swap lifts memsw too, and first)";
  if (v2()) EXPECT_EQ(limit_now(), "max\n");
  else EXPECT_GT(std::stoull(limit_now()), std::uint64_t{1} << 62) << "v1's unlimited is a huge number";
}

TEST_F(CgroupsHidden, PidsCurrentCountsEveryProcessOfTheContainer) {
  TestBundle b = lab07_bundle("pids");
  set_resources(b, "pids", {{"limit", 10}});
  b.set_args({"sh", "-c", "sleep 60 & sleep 60 & exec sleep 60"});
  ASSERT_TRUE(create_and_start(b)) << "task 2 (plan_pids)";
  nlohmann::json s;
  for (int i = 0; i < 40; ++i) {  // the shell forks two and execs the third: three processes soon
    s = stats_of(b);
    if (!s.is_object() || s["pids_current"] == 3) break;
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(s.is_object());
  EXPECT_EQ(s["pids_current"], 3) << "expected the three sleeps: " << s.dump();
  EXPECT_EQ(s["pids_limit"], 10) << s.dump();
  EXPECT_TRUE(delete_container(b));
  EXPECT_FALSE(cgroup_left_behind(b.id()));
}

}  // namespace
}  // namespace deploylab::ctr::testing
