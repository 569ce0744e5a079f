// labs/03-long-mode/long_mode_hidden_test.cpp: lab 03's hidden graded tests (the student kit leaves
// this file out): the registers and the GDT as KVM and guest memory hold them after a run, the
// most vCPUs a Machine takes, and a VM stopped by one vCPU while the others are still running.
#include <gtest/gtest.h>

#include "hypervisor/boot/gdt.h"
#include "hypervisor/boot/x86.h"
#include "labs/03-long-mode/lab03_support.h"

namespace deploylab::hv {
namespace {

using End = MachineReport::End;

TEST(LongModeHidden, EightVcpusEachReportOnce) { expect_every_vcpu_reports(8); }

TEST(LongModeHidden, KvmHoldsLongModeAfterTheRun) {
  GuestRun run = run_guest("hello64", CpuMode::long64);
  ASSERT_EQ(run.report.end, End::halted) << describe(run.report);
  const kvm_sregs sregs = run.machine->vcpu(0).sregs().value();
  EXPECT_EQ(sregs.efer & (kEferLME | kEferLMA), kEferLME | kEferLMA) << "EFER = " << hex(sregs.efer);
  EXPECT_EQ(sregs.cr0 & (kCr0PE | kCr0PG), kCr0PE | kCr0PG) << "CR0 = " << hex(sregs.cr0);
  EXPECT_NE(sregs.cr4 & kCr4PAE, 0u) << "CR4 = " << hex(sregs.cr4);
  EXPECT_EQ(sregs.cs.selector, DL_GDT_CODE64);
  EXPECT_EQ(sregs.cs.l, 1) << "the guest ran 64-bit code, so CS.L = 1";
  EXPECT_EQ(sregs.cs.db, 0);
  EXPECT_EQ(sregs.ss.selector, DL_GDT_DATA);
  EXPECT_EQ(mode_of(sregs), CpuMode::long64);
  const auto cr0 = printed_register(run.report.console, "cr0");
  ASSERT_TRUE(cr0.has_value()) << "hello64 prints a line cr0=0x...; it printed:\n" << run.report.console;
  EXPECT_EQ(*cr0 & (kCr0CD | kCr0NW), 0u) << "the guest saw CR0 = " << hex(*cr0) << ": caches must be on";
}

TEST(LongModeHidden, GdtInGuestMemoryIsTheStandardOne) {
  GuestRun run = run_guest("segments64", CpuMode::long64);
  ASSERT_EQ(run.report.end, End::halted) << describe(run.report);
  // The textbook flat descriptors with the accessed bit preset (gdt_test.cpp explains each byte).
  const std::uint64_t expected[DL_GDT_ENTRIES] = {0, 0x00af9b000000ffff, 0x00cf93000000ffff, 0x00cf9b000000ffff};
  for (std::uint64_t i = 0; i < DL_GDT_ENTRIES; ++i) {
    const auto seen = run.machine->memory().read_value<std::uint64_t>(DL_GDT_ADDRESS + 8 * i).value();
    EXPECT_EQ(seen, expected[i]) << "GDT entry " << i << " (selector " << hex(8 * i) << "): expected "
                                 << hex(expected[i]) << ", guest memory holds " << hex(seen);
  }
  const kvm_sregs sregs = run.machine->vcpu(0).sregs().value();
  EXPECT_EQ(sregs.gdt.base, std::uint64_t{DL_GDT_ADDRESS});
  EXPECT_EQ(sregs.gdt.limit, kStandardGdtLimit);
  EXPECT_EQ(sregs.cs.selector, DL_GDT_CODE64) << "segments64 reloaded CS with a far return";
  EXPECT_EQ(sregs.cs.l, 1) << "CS reloaded from the GDT must still be 64-bit code";
}

TEST(LongModeHidden, ProtectedModeRegistersAfterTheRun) {
  GuestRun run = run_guest("protected32", CpuMode::protected32);
  ASSERT_EQ(run.report.end, End::halted) << describe(run.report);
  const kvm_sregs sregs = run.machine->vcpu(0).sregs().value();
  EXPECT_EQ(mode_of(sregs), CpuMode::protected32);
  EXPECT_EQ(sregs.cs.selector, DL_GDT_CODE32);
  EXPECT_EQ(sregs.cs.db, 1) << "32-bit code needs CS.D = 1";
  EXPECT_EQ(sregs.cs.l, 0);
  EXPECT_EQ(sregs.efer & kEferLMA, 0u) << "EFER = " << hex(sregs.efer);
  const auto code32 = run.machine->memory().read_value<std::uint64_t>(DL_GDT_ADDRESS + DL_GDT_CODE32).value();
  EXPECT_EQ(code32, 0x00cf9b000000ffffull) << "the GDT entry behind CS is " << hex(code32);
}

TEST(LongModeHidden, AnExitOnOneVcpuStopsTheLoopingOthers) {
  GuestRun run = run_image(kExitSevenGuest, CpuMode::long64, 4);
  ASSERT_EQ(run.report.end, End::guest_exit)
      << "vCPU 0 exits with code 7 while vCPUs 1-3 loop for ever; the exit must stop the whole VM, "
         "the others included. " << describe(run.report);
  EXPECT_EQ(run.report.exit_code, 7);
  ASSERT_EQ(run.report.vcpus.size(), 4u);
  for (std::size_t id = 1; id < 4; ++id) {
    EXPECT_EQ(run.report.vcpus[id].end, VcpuOutcome::End::stopped)
        << "vCPU " << id << " never halts by itself: the VM's stop must end it";
  }
}

TEST(LongModeHidden, AFaultOnEveryVcpuStillEndsTheRun) {
  GuestRun run = run_guest("fault64", CpuMode::long64, 4);
  EXPECT_EQ(run.report.end, End::error) << "every vCPU triple-faults; " << describe(run.report);
  EXPECT_EQ(run.report.vcpus.size(), 4u);
  EXPECT_NE(run.report.message.find("triple fault"), std::string::npos) << run.report.message;
}

}  // namespace
}  // namespace deploylab::hv
