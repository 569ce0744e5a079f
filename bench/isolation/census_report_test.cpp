// bench/isolation/census_report_test.cpp: syscall-census's lines, written and read back.
#include "bench/isolation/census_report.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>

namespace deploylab::bench::isolation {
namespace {

TEST(CensusReport, TheSummaryLineIsExactlyTheAgreedFormat) {
  EXPECT_EQ(summary_line({311, 53, 364}), "deploylab-bench: syscalls reachable=311 blocked=53 total=364")
      << "isolation-rows and the VM rows parse this line: keep it as it is";
}

TEST(CensusReport, FindsTheSummaryAmongOtherLines) {
  std::string out =
      "blocked keyctl 250 EPERM\nsome noise\ndeploylab-bench: syscalls reachable=311 blocked=53 total=364\n";
  EXPECT_EQ(find_summary(out), (CensusCounts{311, 53, 364}));
  EXPECT_EQ(find_summary(summary_line({1, 2, 3})), (CensusCounts{1, 2, 3})) << "without a final newline";
}

TEST(CensusReport, RejectsMalformedSummaries) {
  for (const char* bad : {"deploylab-bench: syscalls reachable=3 blocked=x total=5",
                          "deploylab-bench: syscalls reachable=3 total=5 blocked=1",
                          "deploylab-bench: syscalls reachable=-3 blocked=1 total=5",
                          "deploylab-bench: syscalls reachable=3 blocked=1",
                          "syscalls reachable=3 blocked=1 total=4", ""}) {
    EXPECT_EQ(find_summary(bad), std::nullopt) << "accepted: " << bad;
  }
}

TEST(CensusReport, CountsOutcomes) {
  std::vector<ProbeResult> results = {{0, Outcome::reachable, 0},   {250, Outcome::refused, EPERM},
                                      {435, Outcome::refused, ENOSYS}, {103, Outcome::trapped, SIGSYS},
                                      {165, Outcome::killed, SIGSYS}, {1, Outcome::no_answer, 0}};
  EXPECT_EQ(count_outcomes(results), (CensusCounts{1, 4, 6})) << "no answer is in the total only";
}

TEST(CensusReport, DescribesHowACallWasBlocked) {
  EXPECT_EQ(describe_block({250, Outcome::refused, EPERM}), "EPERM");
  EXPECT_EQ(describe_block({435, Outcome::refused, ENOSYS}), "ENOSYS");
  EXPECT_EQ(describe_block({250, Outcome::refused, 0}), "faked-success");
  EXPECT_EQ(describe_block({250, Outcome::trapped, SIGSYS}), "trap");
  EXPECT_EQ(describe_block({250, Outcome::killed, SIGSYS}), "kill:SIGSYS");
}

TEST(CensusReport, BlockedLinesRoundTrip) {
  EXPECT_EQ(blocked_line({250, Outcome::refused, EPERM}), "blocked keyctl 250 EPERM");
  EXPECT_EQ(blocked_line({400, Outcome::killed, SIGSYS}), "blocked #400 400 kill:SIGSYS") << "a number the table lacks";
  EXPECT_EQ(parse_blocked_line("blocked keyctl 250 EPERM"), (BlockedCall{"keyctl", 250, "EPERM"}));
  EXPECT_EQ(parse_blocked_line("blocked keyctl 250"), std::nullopt);
  EXPECT_EQ(parse_blocked_line("blocked keyctl x EPERM"), std::nullopt);
  EXPECT_EQ(parse_blocked_line("blocked keyctl 250 EPERM extra"), std::nullopt);
  EXPECT_EQ(parse_blocked_line("allowed keyctl 250 EPERM"), std::nullopt);
  std::string out = "blocked mount 165 EPERM\nblocked clone3 435 ENOSYS\n" + summary_line({1, 2, 3}) + "\n";
  EXPECT_EQ(find_blocked(out), (std::vector<BlockedCall>{{"mount", 165, "EPERM"}, {"clone3", 435, "ENOSYS"}}));
}

}  // namespace
}  // namespace deploylab::bench::isolation
