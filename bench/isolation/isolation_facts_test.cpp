// bench/isolation/isolation_facts_test.cpp: the isolation row's Measurements from known facts.
#include "bench/isolation/isolation_facts.h"

#include <gtest/gtest.h>

namespace deploylab::bench::isolation {
namespace {

const std::string kHostBoot = "5b0c7c1e-0000-4000-8000-000000000001";

Observation a_container() {
  Observation seen;
  seen.contender = "crun";
  seen.column = Column::container;
  seen.kernel = "6.18.44-fc-v657";
  seen.boot_id = kHostBoot;
  seen.host_boot_id = kHostBoot;
  seen.census = read_census("blocked keyctl 250 EPERM\nblocked mount 165 EPERM\nblocked clone3 435 ENOSYS\n"
                            "deploylab-bench: syscalls reachable=361 blocked=3 total=364\n",
                            0);
  seen.attacks = std::vector<AttackResult>{{"chroot-escape", Verdict::stopped, ""}, {"mount", Verdict::stopped, ""}};
  return seen;
}

const Measurement& cell(const std::vector<Measurement>& cells, const std::string& metric) {
  for (const Measurement& m : cells) {
    if (m.metric == metric) return m;
  }
  throw std::runtime_error("no metric " + metric);
}

TEST(IsolationFacts, AContainerGetsFiveCellsInTheIsolationRow) {
  std::vector<Measurement> cells = isolation_measurements(a_container());
  ASSERT_EQ(cells.size(), 5u);
  for (const Measurement& m : cells) {
    EXPECT_EQ(m.row, Row::isolation);
    EXPECT_EQ(m.column, Column::container);
    EXPECT_EQ(m.contender, "crun");
    EXPECT_EQ(m.place, "native");
    EXPECT_TRUE(m.missing.empty()) << m.metric << ": " << m.missing;
  }
  EXPECT_EQ(cell(cells, "kernel").text, "6.18.44-fc-v657");
  EXPECT_EQ(cell(cells, "kernel").better, Better::none);
  EXPECT_EQ(cell(cells, "boot_id").text, kHostBoot);
  EXPECT_EQ(cell(cells, "shares_kernel").text, "yes: same boot id as the host");
  const Measurement& reach = cell(cells, "syscalls_reachable");
  EXPECT_EQ(reach.samples, std::vector<double>{361});
  EXPECT_EQ(reach.unit, "count");
  EXPECT_EQ(reach.text, "361 of 364 reachable; 3 blocked (2 EPERM, 1 ENOSYS)");
  const Measurement& escapes = cell(cells, "escapes_stopped");
  EXPECT_EQ(escapes.samples, std::vector<double>{2});
  EXPECT_EQ(escapes.better, Better::higher);
  EXPECT_EQ(escapes.text, "stopped 2/2: chroot-escape, mount");
}

TEST(IsolationFacts, AnotherBootIdMeansAnotherKernel) {
  Observation seen = a_container();
  seen.boot_id = "0d9a0000-0000-4000-8000-000000000002";
  EXPECT_EQ(shares_kernel_text(seen), "no: its boot id differs from the host's (a kernel of its own)");
}

TEST(IsolationFacts, TheHostHasNoBoundaryToEscape) {
  Observation host{"host", Column::host, "6.18.44", kHostBoot, kHostBoot, {}, std::nullopt};
  host.census = read_census("deploylab-bench: syscalls reachable=364 blocked=0 total=364\n", 0);
  std::vector<Measurement> cells = isolation_measurements(host);
  EXPECT_EQ(cell(cells, "shares_kernel").text, "yes: it is the host");
  EXPECT_EQ(cell(cells, "syscalls_reachable").text, "364 of 364 reachable; none blocked");
  const Measurement& escapes = cell(cells, "escapes_stopped");
  EXPECT_TRUE(escapes.samples.empty());
  EXPECT_TRUE(escapes.missing.empty()) << "not missing: there is nothing to measure, and the text says why";
  EXPECT_NE(escapes.text.find("no boundary"), std::string::npos) << escapes.text;
}

TEST(IsolationFacts, ACensusThatCouldNotCountIsAnEmptyCellWithTheReason) {
  CensusFacts facts = read_census("syscall-census: cannot count here: seccomp(...) failed: EBUSY\n", 2);
  EXPECT_FALSE(facts.counts);
  EXPECT_NE(facts.problem.find("exited 2"), std::string::npos) << facts.problem;
  EXPECT_NE(facts.problem.find("EBUSY"), std::string::npos) << facts.problem;
  Observation seen = a_container();
  seen.census = facts;
  std::vector<Measurement> cells = isolation_measurements(seen);
  const Measurement& reach = cell(cells, "syscalls_reachable");
  EXPECT_TRUE(reach.samples.empty());
  EXPECT_EQ(reach.missing, facts.problem);
}

TEST(IsolationFacts, AMissingRuntimeLeavesEveryCellEmptyWithTheReason) {
  std::vector<Measurement> cells =
      missing_measurements("crun", Column::container, "crun is not installed: apt install crun");
  ASSERT_EQ(cells.size(), 5u);
  for (const Measurement& m : cells) {
    EXPECT_TRUE(m.samples.empty());
    EXPECT_EQ(m.missing, "crun is not installed: apt install crun");
  }
}

TEST(IsolationFacts, ParsesOnlyInTableOrder) {
  EXPECT_EQ(parse_contenders("runc,host").value(), (std::vector<std::string>{"host", "runc"}));
  EXPECT_EQ(parse_contenders("host,minictr,crun,runc,crun").value().size(), 4u);
  auto bad = parse_contenders("host,docker");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("docker"), std::string::npos) << bad.error().message();
  EXPECT_FALSE(parse_contenders(""));
}

}  // namespace
}  // namespace deploylab::bench::isolation
