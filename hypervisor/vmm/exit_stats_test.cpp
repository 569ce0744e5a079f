// hypervisor/vmm/exit_stats_test.cpp: counting VM exits by kind and the table `minivmm run-guest
// --stats` prints: interrupted runs are not guest exits, stats of several vCPUs add up, and the
// table is checked character for character on a small case.
#include "hypervisor/vmm/exit_stats.h"

#include <gtest/gtest.h>

#include <set>

namespace deploylab::hv {
namespace {

ExitStats make_stats(std::initializer_list<std::pair<ExitKind, int>> counts) {
  ExitStats stats;
  for (auto [kind, n] : counts) {
    for (int i = 0; i < n; ++i) stats.add(kind);
  }
  return stats;
}

TEST(ExitStats, TotalCountsEveryGuestExitButNotInterruptions) {
  ExitStats stats = make_stats({{ExitKind::io_out, 22}, {ExitKind::hlt, 1}, {ExitKind::interrupted, 5}});
  EXPECT_EQ(stats[ExitKind::io_out], 22u);
  EXPECT_EQ(stats[ExitKind::interrupted], 5u);
  EXPECT_EQ(stats.total(), 23u) << "a kick or signal out of KVM_RUN is not an exit the guest caused";
  EXPECT_EQ(ExitStats{}.total(), 0u);
}

TEST(ExitStats, PlusEqualsAddsKindByKind) {
  ExitStats vcpu0 = make_stats({{ExitKind::io_out, 3}, {ExitKind::hlt, 1}});
  ExitStats vcpu1 = make_stats({{ExitKind::io_out, 2}, {ExitKind::mmio_write, 4}, {ExitKind::interrupted, 1}});
  ExitStats& result = (vcpu0 += vcpu1);
  EXPECT_EQ(&result, &vcpu0) << "+= must return the left-hand side";
  EXPECT_EQ(vcpu0[ExitKind::io_out], 5u);
  EXPECT_EQ(vcpu0[ExitKind::mmio_write], 4u);
  EXPECT_EQ(vcpu0[ExitKind::hlt], 1u);
  EXPECT_EQ(vcpu0[ExitKind::interrupted], 1u);
  EXPECT_EQ(vcpu0.total(), 10u);
  EXPECT_EQ(vcpu1[ExitKind::io_out], 2u) << "the right-hand side must not change";
}

TEST(ExitStats, EveryKindHasItsOwnName) {
  EXPECT_EQ(to_string(ExitKind::io_out), "port write (OUT)");
  EXPECT_EQ(to_string(ExitKind::hlt), "HLT");
  EXPECT_EQ(to_string(ExitKind::shutdown), "shutdown (triple fault)");
  std::set<std::string> names;
  for (int i = 0; i < static_cast<int>(ExitKind::count_); ++i) names.insert(to_string(static_cast<ExitKind>(i)));
  EXPECT_EQ(names.size(), static_cast<std::size_t>(ExitKind::count_)) << "two kinds share a name in the table";
  EXPECT_EQ(names.count("?"), 0u) << "a kind without a name";
}

TEST(ExitTable, RendersOneRowPerKindSeenWithSharesAndTotal) {
  ExitStats stats = make_stats({{ExitKind::hlt, 1}, {ExitKind::io_out, 3}});
  // Rows follow the order of ExitKind, not the order the exits came in.
  const std::string expected =
      "exit              count   share\n"
      "----------------  -----  ------\n"
      "port write (OUT)      3   75.0%\n"
      "HLT                   1   25.0%\n"
      "total                 4  100.0%\n";
  EXPECT_EQ(render_exit_table(stats), expected);
}

TEST(ExitTable, InterruptionsAreListedWithoutAShare) {
  ExitStats stats = make_stats({{ExitKind::mmio_read, 1}, {ExitKind::interrupted, 2}});
  std::string table = render_exit_table(stats);
  EXPECT_NE(table.find("MMIO read                         1  100.0%\n"), std::string::npos) << table;
  EXPECT_NE(table.find("interrupted (signal or kick)      2       -\n"), std::string::npos)
      << "interruptions are not part of the total, so they have no share:\n" << table;
  EXPECT_NE(table.find("total                             1  100.0%\n"), std::string::npos) << table;
}

TEST(ExitTable, NoExitsIsOneLine) {
  EXPECT_EQ(render_exit_table(ExitStats{}), "no exits\n");
}

}  // namespace
}  // namespace deploylab::hv
