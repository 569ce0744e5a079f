// bench/boot/boot_report_test.cpp: the table and JSON of the boot benchmark (boot_report.h).
#include "bench/boot/boot_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

namespace deploylab::bench {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

BootSample sample(double init_ms, double exit_ms) { return {init_ms, exit_ms, 20480, 40960, std::nullopt}; }

BootReport report() {
  BootReport r;
  r.virtualization = "hardware KVM: kvm_amd";
  r.cpu = "Test CPU";
  r.rounds = 3;
  r.cmdline = "console=ttyS0";
  r.mem_bytes = 256ull << 20;
  r.results.push_back({Contender::minivmm, {}, "exit 1: unknown command 'boot'", ""});
  r.results.push_back({Contender::qemu, {sample(1000, 1200), sample(1100, 1300), sample(1200, 1400)}, "", ""});
  r.results.push_back({Contender::libvirt, {sample(2000, 2500), sample(2200, 2600), sample(2400, 2700)}, "", ""});
  return r;
}

TEST(RenderBootReport, ShowsMediansRangesRatiosAndFailures) {
  std::string text = render_boot_report(report());
  EXPECT_THAT(text, HasSubstr("virtualization: hardware KVM: kvm_amd"));
  EXPECT_THAT(text, HasSubstr("minivmm: failed (exit 1: unknown command 'boot')")) << "a failed row says why";
  EXPECT_THAT(text, HasSubstr("1.10 s [1.02 s-1.18 s]")) << "median [p10-p90] of 1.0, 1.1, 1.2 s";
  EXPECT_THAT(text, HasSubstr("20.0 MiB")) << "VMM RSS in MiB";
  EXPECT_THAT(text, HasSubstr("2.00x")) << "libvirt's median 2.2 s over microvm's 1.1 s";
  EXPECT_THAT(text, HasSubstr("1.00x"));
  EXPECT_THAT(text, Not(HasSubstr("own:"))) << "no minivmm columns without minivmm numbers";
}

TEST(RenderBootReport, AddsMinivmmsOwnNumbersWhenItGaveThem) {
  BootReport r = report();
  BootSample s = sample(500, 600);
  s.internal = MinivmmTimings{3, 300, 480, 590, 2048, 30000, "hardware"};
  r.results[0] = {Contender::minivmm, {s}, "", ""};
  std::string text = render_boot_report(r);
  EXPECT_THAT(text, HasSubstr("own: Run /init"));
  EXPECT_THAT(text, HasSubstr("300 ms"));
  EXPECT_THAT(text, HasSubstr("0.45x")) << "minivmm's 500 ms over microvm's 1.1 s";
}

TEST(ParseMinivmmTimings, ReadsTheFieldsAndLeavesMissingOnesNaN) {
  auto t = parse_minivmm_timings(R"({"first_instruction_ms": 2.5, "run_init_ms": 300, "virtualization": "hardware"})");
  ASSERT_TRUE(t);
  EXPECT_DOUBLE_EQ(t->first_instruction_ms, 2.5);
  EXPECT_DOUBLE_EQ(t->run_init_ms, 300);
  EXPECT_TRUE(std::isnan(t->vmm_rss_kib)) << "a field minivmm did not write is NaN, not 0";
  EXPECT_EQ(t->virtualization, "hardware");
  EXPECT_FALSE(parse_minivmm_timings("not json"));
  EXPECT_FALSE(parse_minivmm_timings("[1, 2]"));
}

TEST(BootReportJson, HasSummariesAndSamplesPerContender) {
  auto j = boot_report_json(report());
  ASSERT_EQ(j["contenders"].size(), 3u);
  EXPECT_EQ(j["contenders"][0]["failure"], "exit 1: unknown command 'boot'");
  EXPECT_EQ(j["contenders"][1]["name"], "qemu");
  EXPECT_DOUBLE_EQ(j["contenders"][1]["init_ms"]["median"].get<double>(), 1100);
  EXPECT_EQ(j["contenders"][2]["samples"].size(), 3u);
  EXPECT_EQ(j["mem_mib"], 256);
}

}  // namespace
}  // namespace deploylab::bench
