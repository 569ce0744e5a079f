// labs/03-long-mode/long_mode_test.cpp: lab 03's visible graded KVM tests. Each runs a real guest
// (hypervisor/guests/) on a Machine (hypervisor/vmm/machine.h) in 32-bit protected mode or 64-bit
// long mode, so each needs the lab's boot code (hypervisor/boot/: the GDT, the page tables, the
// mode's registers) and, with several vCPUs, its vCPU threads (hypervisor/vmm/vcpu_runner.cpp). They
// need a working /dev/kvm: natively with hardware KVM, inside the vmhost test host otherwise
// (lab.yaml: runs_on: kvm). The pure tests of boot/ are graded too; they live beside the code
// (hypervisor/boot/*_test.cpp) and are compiled into the same binary.
#include <gtest/gtest.h>

#include <cstdio>

#include "hypervisor/boot/page_tables.h"
#include "hypervisor/boot/x86.h"
#include "labs/03-long-mode/lab03_support.h"

namespace deploylab::hv {
namespace {

using End = MachineReport::End;

TEST(LongMode, ProtectedModeGuestSeesPeWithoutPaging) {
  GuestRun run = run_guest("protected32", CpuMode::protected32);
  ASSERT_EQ(run.report.end, End::halted)
      << "protected32 prints a line and halts; " << describe(run.report)
      << "\nLook at protected_mode_sregs() (hypervisor/boot/cpu_mode.cpp) and the 32-bit code "
         "segment of standard_gdt() (gdt.cpp)";
  EXPECT_EQ(run.report.console, "protected mode\n") << "what protected32 wrote to port 0xe9";
  const auto cr0 = run.machine->memory().read_value<std::uint32_t>(DL_MAILBOX_ADDRESS).value();
  EXPECT_NE(cr0 & kCr0PE, 0u) << "the guest read CR0 = " << hex(cr0) << ": PE (bit 0) must be set";
  EXPECT_EQ(cr0 & kCr0PG, 0u) << "the guest read CR0 = " << hex(cr0)
                              << ": PG (bit 31) must be clear, protected mode here runs without paging";
}

TEST(LongMode, Hello64RunsIn64BitMode) {
  GuestRun run = run_guest("hello64", CpuMode::long64);
  ASSERT_EQ(run.report.end, End::halted)
      << "hello64 prints four lines and halts; " << describe(run.report)
      << "\nLook at long_mode_sregs() (hypervisor/boot/cpu_mode.cpp), the GDT and the page tables";
  EXPECT_EQ(run.report.console.rfind("hello from long mode\n", 0), 0u)
      << "the first line hello64 prints; it printed:\n" << run.report.console;
  const std::uint64_t efer = mailbox_u64(*run.machine, 0);
  EXPECT_EQ(efer & (kEferLME | kEferLMA), kEferLME | kEferLMA)
      << "hello64 read EFER = " << hex(efer) << " inside the guest: LME (bit 8) and LMA (bit 10) must be set";
  const auto cr4 = printed_register(run.report.console, "cr4");
  ASSERT_TRUE(cr4.has_value()) << "hello64 prints a line cr4=0x...; it printed:\n" << run.report.console;
  EXPECT_NE(*cr4 & kCr4PAE, 0u) << "the guest saw CR4 = " << hex(*cr4) << ": long mode needs PAE (bit 5)";
}

TEST(LongMode, GuestReloadsItsSegmentsFromOurGdt) {
  GuestRun run = run_guest("segments64", CpuMode::long64);
  EXPECT_EQ(run.report.end, End::halted)
      << "segments64 loads DS, ES, SS and CS from the GDT in guest memory; a wrong descriptor "
         "faults there (no IDT: a triple fault). " << describe(run.report)
      << "\nCompare encode_descriptor() and standard_gdt() (hypervisor/boot/gdt.cpp) with the layout in gdt.h";
  EXPECT_EQ(run.report.console, "segments reloaded\n") << "the line segments64 prints after the reload";
  ASSERT_EQ(run.report.vcpus.size(), 1u);
  EXPECT_EQ(run.report.vcpus[0].end, VcpuOutcome::End::halted);
}

TEST(LongMode, OneVcpuReports) { expect_every_vcpu_reports(1); }

TEST(LongMode, TwoVcpusEachReportOnce) { expect_every_vcpu_reports(2); }

TEST(LongMode, FourVcpusEachReportOnce) { expect_every_vcpu_reports(4); }

TEST(LongMode, AllVcpusRunAtTheSameTime) {
  // Said up front, because a wrong Machine::run() can hang here rather than fail: vCPUs run one
  // after the other inside the task's region start before the watchdog that would stop them.
  std::printf("note: the barrier guest halts only when all 4 vCPUs run at the same time; if this "
              "test hangs (TIMEOUT), they do not: see task 8 of the handout\n");
  GuestRun run = run_image(kBarrierGuest, CpuMode::long64, 4);
  EXPECT_EQ(run.report.end, End::halted)
      << "the barrier guest (lab03_support.h) halts only when all 4 vCPUs are in the guest at "
         "once; run one after the other, the first waits for ever. Each vCPU but the first needs "
         "a thread of its own that is started before vCPU 0 runs (VcpuRunner::run(), "
         "hypervisor/vmm/vcpu_runner.cpp). " << describe(run.report);
  EXPECT_EQ(mailbox_u64(*run.machine, 0), 4u) << "the barrier's counter: one per vCPU that arrived";
}

TEST(LongMode, PageFaultWithoutAnIdtIsATripleFault) {
  GuestRun run = run_guest("fault64", CpuMode::long64);
  ASSERT_EQ(run.report.end, End::error)
      << "fault64 reads 8 GiB, past the 4 GiB identity map: a page fault with no IDT to handle it, "
         "so a triple fault (KVM_EXIT_SHUTDOWN), which the VMM reports as an error. "
      << describe(run.report);
  EXPECT_EQ(run.report.console, "about to fault\n")
      << "the guest prints one line before the read and a second one only if the read did not fault; "
         "a page table that maps more than 4 GiB lets it through (build_identity_map())";
  EXPECT_NE(run.report.message.find("triple fault"), std::string::npos)
      << "the message should say what happened; it says: " << run.report.message;
  EXPECT_EQ(run.report.total[ExitKind::shutdown], 1u) << "one KVM_EXIT_SHUTDOWN ends the run";
  EXPECT_FALSE(run.report.register_dump.empty()) << "a crash report needs the registers";
  EXPECT_EQ(run.report.process_exit_code(), 1) << "minivmm exits 1 after a guest error";
}

TEST(LongMode, CGuestReadsTheClockThroughAHypercall) {
  GuestRun run = run_guest("time64", CpuMode::long64);
  EXPECT_EQ(run.report.end, End::halted)
      << "time64 returns 0 (and halts) when the clock advanced between two DL_HC_GET_TIME "
         "hypercalls, 3 when it did not. " << describe(run.report);
  EXPECT_EQ(run.report.process_exit_code(), 0);
  EXPECT_EQ(run.report.console.rfind("time0=", 0), 0u) << "time64 printed:\n" << run.report.console;
  EXPECT_NE(run.report.console.find("\ntime1="), std::string::npos) << "time64 printed:\n" << run.report.console;
}

TEST(LongMode, PageTablesMapTheGuestWhereItIs) {
  GuestRun run = run_guest("hello64", CpuMode::long64);
  ASSERT_EQ(run.report.end, End::halted) << describe(run.report);
  const kvm_sregs sregs = run.machine->vcpu(0).sregs().value();
  EXPECT_EQ(sregs.cr3 & kPteAddressMask, std::uint64_t{DL_PAGE_TABLES_ADDRESS})
      << "after the run KVM says CR3 = " << hex(sregs.cr3) << "; the PML4 is at DL_PAGE_TABLES_ADDRESS";
  // The guest image, the mailbox, the MMIO test device and the local APIC: each at its own address.
  for (std::uint64_t address : {std::uint64_t{DL_LONG_MODE_LOAD_ADDRESS}, std::uint64_t{DL_MAILBOX_ADDRESS},
                                std::uint64_t{DL_MMIO_TEST_DEVICE}, std::uint64_t{0xfee00000}}) {
    auto translation = translate(run.machine->memory(), sregs.cr3, address);
    ASSERT_TRUE(translation.ok()) << "virtual " << hex(address) << ": " << translation.error().message();
    EXPECT_EQ(translation.value(), (Translation{address, kPageSize2M}))
        << "virtual " << hex(address) << " maps to " << hex(translation.value().physical_address)
        << " in a page of " << hex(translation.value().page_size) << "; expected itself, in a 2 MiB page";
  }
  auto past = translate(run.machine->memory(), sregs.cr3, 4ull << 30);
  EXPECT_FALSE(past.ok()) << "4 GiB is past the identity map, but translates to "
                          << hex(past.ok() ? past.value().physical_address : 0);
}

TEST(LongMode, MachineChecksTheVcpuCountThenRunsSeveral) {
  auto nine = Machine::create(machine_config(CpuMode::long64, 9));
  ASSERT_FALSE(nine.ok()) << "Machine::create must refuse 9 vCPUs: the mailbox and the stacks are laid out for 8";
  EXPECT_NE(nine.error().message().find("9"), std::string::npos) << nine.error().message();
  auto real = Machine::create(machine_config(CpuMode::real, 2));
  ASSERT_FALSE(real.ok()) << "real-mode guests share one stack and one entry: one vCPU only";
  EXPECT_NE(real.error().hint.find("long"), std::string::npos)
      << "the hint should say to use long mode; it says: " << real.error().message();
  expect_every_vcpu_reports(2);
}

}  // namespace
}  // namespace deploylab::hv
