// hypervisor/minivmm/exit_bench_report_test.cpp: the table `minivmm bench-exits` prints, fed a
// made-up report: the ratio column against getpid, a row that was skipped and why, and the line
// that says whether minivmm's dispatch met its overhead goal (at most 10% over a bare loop).
#include "hypervisor/minivmm/exit_bench_report.h"

#include <gtest/gtest.h>

#include <sstream>

namespace deploylab::hv {
namespace {

#define EXPECT_MENTIONS(text, part) \
  EXPECT_NE((text).find(part), std::string::npos) << "expected \"" << (part) << "\" in:\n" << (text)

Summary summary(double median) {
  Summary s;
  s.count = 3;
  s.min = s.p10 = median * 0.9;
  s.median = s.mean = median;
  s.p90 = s.max = median * 1.1;
  return s;
}

BenchRow row(const std::string& what, double ns, std::uint64_t iterations = 1000) {
  return BenchRow{what, summary(ns), summary(ns * 3), {ns - 1, ns, ns + 1}, iterations, {}};
}

// What a run under kvm_pvm looks like: the in-kernel hypercall row could not be measured.
BenchReport made_up_report(double overhead) {
  BenchReport report;
  report.cpu_model = "Test CPU 9000";
  report.virtualization = "kvm_pvm";
  report.tsc_ghz = 2.5;
  report.repeats = 3;
  report.rows = {row(kRowFunctionCall, 2), row(kRowSyscall, 100),
                 BenchRow{kRowKernelHypercall, {}, {}, {}, 0, "it hangs KVM_RUN here"},
                 row(kRowPortExit, 1000, 4096), row(kRowMmioExit, 1500), row(kRowBarePortExit, 950, 4096)};
  report.dispatch_overhead = overhead;
  return report;
}

// The line of `text` that starts with `prefix`, or "" if none does.
std::string line_starting(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) == 0) return line;
  }
  return "";
}

// The whitespace-separated words of a table line.
std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string word; in >> word;) out.push_back(word);
  return out;
}

TEST(BenchReportText, HeaderNamesTheCpuAndTheKindOfKvm) {
  std::string text = render_bench_report(made_up_report(0.05));
  EXPECT_EQ(text.rfind("CPU: Test CPU 9000\nvirtualization: kvm_pvm\nTSC: 2.50 GHz; 3 batches per row, interleaved\n", 0), 0u)
      << text;
  EXPECT_MENTIONS(text, "round trip");
  EXPECT_MENTIONS(text, "x getpid");
}

TEST(BenchReportText, RatioColumnIsTheMedianOverGetpid) {
  std::string text = render_bench_report(made_up_report(0.05));
  // Median ns / getpid's median ns, two decimals; then the batch size in the last column.
  auto port = words(line_starting(text, kRowPortExit));
  ASSERT_GE(port.size(), 3u) << "no row for the port exit in:\n" << text;
  EXPECT_EQ(port[port.size() - 2], "10.00") << "1000 ns / 100 ns\n" << text;
  EXPECT_EQ(port.back(), "4096") << "the batch size\n" << text;
  auto call = words(line_starting(text, kRowFunctionCall));
  ASSERT_GE(call.size(), 2u) << text;
  EXPECT_EQ(call[call.size() - 2], "0.02") << "2 ns / 100 ns\n" << text;
  auto syscall = words(line_starting(text, kRowSyscall));
  ASSERT_GE(syscall.size(), 2u) << text;
  EXPECT_EQ(syscall[syscall.size() - 2], "1.00") << "getpid against itself\n" << text;
  auto mmio = words(line_starting(text, kRowMmioExit));
  ASSERT_GE(mmio.size(), 2u) << text;
  EXPECT_EQ(mmio[mmio.size() - 2], "15.00") << text;
}

TEST(BenchReportText, SkippedRowSaysSkippedAndTheReasonFollowsTheTable) {
  std::string text = render_bench_report(made_up_report(0.05));
  std::string skipped = line_starting(text, kRowKernelHypercall);
  ASSERT_FALSE(skipped.empty()) << "a skipped row must still be listed, in its place:\n" << text;
  EXPECT_EQ(words(skipped).back(), "skipped") << "the skipped row must have no numbers: " << skipped;
  EXPECT_EQ(skipped.back(), 'd') << "no trailing spaces after `skipped`: \"" << skipped << "\"";
  EXPECT_LT(text.find(kRowSyscall), text.find(kRowKernelHypercall)) << "rows keep the report's order\n" << text;
  EXPECT_LT(text.find(kRowKernelHypercall), text.find(kRowPortExit)) << text;
  EXPECT_MENTIONS(text, std::string("skipped ") + kRowKernelHypercall + ": it hangs KVM_RUN here\n");
}

TEST(BenchReportText, OverheadWithinTheGoalIsMet) {
  std::string text = render_bench_report(made_up_report(0.05));
  EXPECT_MENTIONS(text, "minivmm's exit dispatch adds +5.0% to a bare KVM_RUN loop (goal: at most 10%): met\n");
}

TEST(BenchReportText, OverheadAboveTheGoalIsNotMet) {
  std::string text = render_bench_report(made_up_report(0.25));
  EXPECT_MENTIONS(text, "adds +25.0% to a bare KVM_RUN loop (goal: at most 10%): NOT met\n");
}

TEST(BenchReportText, OverheadExactlyAtTheGoalIsMetAndNegativeKeepsItsSign) {
  EXPECT_MENTIONS(render_bench_report(made_up_report(0.10)), "+10.0% to a bare KVM_RUN loop (goal: at most 10%): met\n");
  EXPECT_MENTIONS(render_bench_report(made_up_report(-0.02)), "adds -2.0% to a bare KVM_RUN loop");
}

TEST(BenchReportText, WithoutGetpidTheRatioIsADash) {
  BenchReport report = made_up_report(0.05);
  report.rows.erase(report.rows.begin() + 1);  // the syscall row
  auto port = words(line_starting(render_bench_report(report), kRowPortExit));
  ASSERT_GE(port.size(), 2u);
  EXPECT_EQ(port[port.size() - 2], "-") << "no getpid row, so no ratio to it";
}

TEST(BenchReportText, WithoutTheBareLoopThereIsNoOverheadLine) {
  BenchReport report = made_up_report(0.05);
  report.rows.back().skipped = "not measured";
  std::string text = render_bench_report(report);
  EXPECT_EQ(text.find("exit dispatch adds"), std::string::npos) << "no bare loop, no overhead to claim:\n" << text;
  EXPECT_MENTIONS(text, std::string("skipped ") + kRowBarePortExit + ": not measured\n");
}

TEST(BenchReportMarkdown, SameContentAsATable) {
  std::string text = render_bench_markdown(made_up_report(0.25));
  EXPECT_MENTIONS(text, "| round trip");
  EXPECT_MENTIONS(text, " 10.00 |");
  EXPECT_MENTIONS(text, " skipped |");
  EXPECT_MENTIONS(text, "NOT met\n");
}

TEST(ExitBenchMeasurements, HostRowsAndVmRowsWithTheirBatches) {
  auto ms = exit_bench_measurements(made_up_report(0.05), "vmhost");
  ASSERT_EQ(ms.size(), 6u) << "one record per row, the skipped one included";
  EXPECT_EQ(ms[0].metric, "function_call");
  EXPECT_EQ(ms[0].column, bench::Column::host);
  EXPECT_EQ(ms[1].metric, "syscall");
  EXPECT_EQ(ms[1].contender, "host");
  EXPECT_EQ(ms[1].samples, (std::vector<double>{99, 100, 101})) << "the per-batch figures are the samples";
  EXPECT_EQ(ms[2].metric, "hypercall");
  EXPECT_TRUE(ms[2].samples.empty());
  EXPECT_EQ(ms[2].missing, "it hangs KVM_RUN here") << "a skipped row says why";
  EXPECT_EQ(ms[3].metric, "pio_exit");
  EXPECT_EQ(ms[3].column, bench::Column::vm);
  EXPECT_EQ(ms[3].contender, "minivmm");
  EXPECT_EQ(ms[3].place, "vmhost");
  EXPECT_EQ(ms[3].unit, "ns");
  EXPECT_EQ(ms[4].metric, "mmio_exit");
  EXPECT_EQ(ms[5].metric, "bare_pio_exit");
}

TEST(ExitBenchMeasurements, FindsTheHypercallRowByItsPrefix) {
  BenchReport report = made_up_report(0.05);
  report.rows[2] = row(std::string(kRowKernelHypercall) + " (vmmcall)", 700);
  auto ms = exit_bench_measurements(report, "native");
  EXPECT_EQ(ms[2].metric, "hypercall") << "the row name carries the instruction after the prefix";
  EXPECT_EQ(ms[2].samples.size(), 3u);
}

}  // namespace
}  // namespace deploylab::hv
