// hypervisor/vmm/linux_boot_report_test.cpp: how a Linux guest's end is classified and reported.
#include "hypervisor/vmm/linux_boot_report.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace deploylab::hv {
namespace {

using End = LinuxBootReport::End;
using Shutdown = KernelConsole::Shutdown;

LinuxBootReport classify(RunEnding ending) {
  LinuxBootReport report;
  classify_linux_end(ending, report);
  return report;
}

VcpuOutcome triple_fault() {
  VcpuOutcome outcome;
  outcome.end = VcpuOutcome::End::stop_vm;
  outcome.stop = StopRequest{StopRequest::Kind::error, 0, "triple fault (KVM_EXIT_SHUTDOWN)"};
  outcome.register_dump = "RIP=...";
  return outcome;
}

TEST(LinuxBootEnd, APowerOffIsACleanExitEvenThoughTheCpuResetAfterwards) {
  RunEnding ending;
  ending.announced = Shutdown::power_off;
  ending.outcomes = {triple_fault()};
  auto report = classify(ending);
  EXPECT_EQ(report.end, End::power_off);
  EXPECT_EQ(report.process_exit_code(), 0);
}

TEST(LinuxBootEnd, APanicExitsWith3AndQuotesTheKernel) {
  RunEnding ending;
  ending.announced = Shutdown::panic;
  ending.announcement = "Kernel panic - not syncing: No working init found.";
  ending.outcomes = {triple_fault()};
  auto report = classify(ending);
  EXPECT_EQ(report.end, End::panic);
  EXPECT_EQ(report.process_exit_code(), 3);
  EXPECT_NE(report.message.find("No working init found"), std::string::npos) << report.message;
}

TEST(LinuxBootEnd, ATripleFaultWithoutAnnouncementIsACrashWithRegisters) {
  RunEnding ending;
  ending.outcomes = {triple_fault()};
  auto report = classify(ending);
  EXPECT_EQ(report.end, End::crash);
  EXPECT_EQ(report.process_exit_code(), 1);
  EXPECT_EQ(report.register_dump, "RIP=...");
  EXPECT_NE(report.message.find("triple fault"), std::string::npos) << report.message;
}

TEST(LinuxBootEnd, TimeoutAndUserStop) {
  RunEnding late;
  late.outcomes = {VcpuOutcome{}};
  late.timed_out = true;
  late.timeout = std::chrono::seconds(30);
  auto timeout = classify(late);
  EXPECT_EQ(timeout.end, End::timeout);
  EXPECT_EQ(timeout.process_exit_code(), 124);
  EXPECT_NE(timeout.message.find("30 s"), std::string::npos) << timeout.message;
  RunEnding stopped;
  stopped.outcomes = {VcpuOutcome{}};
  stopped.stopped_by_user = true;
  auto user = classify(stopped);
  EXPECT_EQ(user.end, End::interrupted);
  EXPECT_EQ(user.process_exit_code(), 130);
}

TEST(LinuxBootTimings, JsonHasEveryFieldTheBenchmarkReads) {
  LinuxBootReport report;
  report.end = End::power_off;
  report.timings.first_instruction_ms = 12.5;
  report.timings.init_marker_ms = 900.0;
  report.timings.vmm_rss_kib = 2048;
  report.virtualization = "hardware KVM (kvm_amd)";
  auto json = nlohmann::json::parse(timings_json(report));
  EXPECT_EQ(json["end"], "power-off");
  EXPECT_EQ(json["exit_code"], 0);
  EXPECT_EQ(json["first_instruction_ms"], 12.5);
  EXPECT_TRUE(json["run_init_ms"].is_null()) << "a moment that did not happen is null, not 0";
  EXPECT_EQ(json["init_marker_ms"], 900.0);
  EXPECT_EQ(json["vmm_rss_kib"], 2048);
  EXPECT_TRUE(json.contains("guest_ram_touched_kib"));
  EXPECT_TRUE(json.contains("exit_ms"));
  EXPECT_EQ(json["virtualization"], "hardware KVM (kvm_amd)");
}

TEST(LinuxBootTimings, TheTableSaysWhatWasNotSeen) {
  LinuxBootReport report;
  std::string text = format_timings(report);
  EXPECT_NE(text.find("not seen"), std::string::npos) << text;
}

}  // namespace
}  // namespace deploylab::hv
