// labs/02-exits/exits_guest_test.cpp: lab 02's visible graded tests on real KVM: real-mode guests
// (hypervisor/guests/) run through minivmm's exit loop, devices and hypercalls. They run natively
// with hardware KVM and inside vmhost elsewhere (lab.yaml: runs_on: kvm).
#include <gtest/gtest.h>

#include "hypervisor/vmm/exit_stats.h"
#include "labs/02-exits/lab02_support.h"

namespace deploylab::hv {
namespace {

TEST(ExitsGuest, TourOfExitKindsReachesEveryDevice) {
  GuestRun run = run_guest("exits");
  ASSERT_EQ(run.report.end, MachineReport::End::halted) << run.report.message;
  EXPECT_EQ(run.report.console, "exits\n");
  EXPECT_EQ(run.mailbox(0), 0u) << "the guest read port 0xeb (the null device answers 0)";
  EXPECT_EQ(run.mailbox(4), 0x1234abcdu) << "the MMIO scratch register at 0xa0000 should read back what the guest wrote";
  EXPECT_EQ(run.mailbox(8), 3u) << "the counter register saw a write, a read and itself";
  const ExitStats& s = run.report.total;
  EXPECT_EQ(s[ExitKind::io_in], 1u);
  EXPECT_EQ(s[ExitKind::mmio_write], 1u);
  EXPECT_EQ(s[ExitKind::mmio_read], 2u);
  EXPECT_EQ(s[ExitKind::hlt], 1u);
}

TEST(ExitsGuest, PortHypercallsPrintAnswerAndExit) {
  GuestRun run = run_guest("port_hypercalls");
  ASSERT_EQ(run.report.end, MachineReport::End::guest_exit) << "the guest ends with DL_HC_EXIT; " << run.report.message;
  EXPECT_EQ(run.report.exit_code, 7) << "it asks to exit with code 7 (RBX)";
  EXPECT_EQ(run.report.console, "hello via hypercall\n") << "DL_HC_PRINT copies guest memory to the console";
  EXPECT_EQ(run.mailbox(4), 0xffffffffu) << "the unknown call 99 should answer DL_HC_ERROR_UNKNOWN in RAX";
  EXPECT_EQ(run.report.process_exit_code(), 7);
}

TEST(ExitsGuest, KvmAnswersAnUnknownHypercallWithoutUs) {
  GuestRun run = run_guest(native_guest("hypercall_unknown"));
  ASSERT_EQ(run.report.end, MachineReport::End::halted) << run.report.message;
  EXPECT_EQ(run.mailbox(0), static_cast<std::uint32_t>(-DL_KVM_ENOSYS))
      << "KVM answers a hypercall number it does not know with -KVM_ENOSYS (-1000) in RAX";
  EXPECT_EQ(run.report.total.total(), 1u) << "the only exit that reaches minivmm is the final HLT: the hypercall "
                                             "left guest mode but was handled inside the kernel";
}

TEST(ExitsGuest, KvmPatchesTheOtherVendorsHypercallInstruction) {
  GuestRun run = run_guest(foreign_guest("hypercall_unknown"));
  ASSERT_EQ(run.report.end, MachineReport::End::halted) << run.report.message;
  EXPECT_EQ(run.mailbox(0), static_cast<std::uint32_t>(-DL_KVM_ENOSYS)) << "the call still works";
  auto bytes = run.machine->memory().read(DL_REAL_MODE_LOAD_ADDRESS + 0x10, 3).value();
  std::vector<std::uint8_t> native = host_cpu_vendor() == CpuVendor::intel ? std::vector<std::uint8_t>{0x0f, 0x01, 0xc1}
                                                                           : std::vector<std::uint8_t>{0x0f, 0x01, 0xd9};
  EXPECT_EQ(bytes, native) << "KVM rewrote the foreign instruction at offset 0x10 of the image into this CPU's own "
                              "(the KVM_X86_QUIRK_FIX_HYPERCALL_INSN quirk)";
}

TEST(ExitsGuest, MapGpaRangeHypercallReachesUserspace) {
  auto kvm = Kvm::open().value();
  int supported = kvm.check_extension(KVM_CAP_EXIT_HYPERCALL).value();
  if (!(supported & (1 << DL_KVM_HC_MAP_GPA_RANGE))) {
    GTEST_SKIP() << "this KVM cannot forward KVM_HC_MAP_GPA_RANGE (KVM_CAP_EXIT_HYPERCALL needs Linux 5.14+)";
  }
  MachineConfig config = real_mode_config();
  config.forward_map_gpa_range = true;
  GuestRun run = run_guest(native_guest("map_gpa_range"), config);
  ASSERT_EQ(run.report.end, MachineReport::End::halted) << run.report.message;
  EXPECT_EQ(run.report.total[ExitKind::hypercall], 1u) << "one KVM_EXIT_HYPERCALL";
  ASSERT_EQ(run.report.vcpus.at(0).kvm_hypercalls.size(), 1u);
  const KvmHypercall& call = run.report.vcpus[0].kvm_hypercalls[0];
  EXPECT_EQ(call.number, std::uint64_t{DL_KVM_HC_MAP_GPA_RANGE});
  EXPECT_EQ(call.args[0], 0x100000u) << "the guest asked about guest-physical 0x100000";
  EXPECT_EQ(call.args[1], 2u) << "for 2 pages";
  EXPECT_EQ(run.mailbox(0), 0u) << "our answer (kvm_run::hypercall.ret = 0) lands in the guest's RAX";
}

TEST(ExitsGuest, TripleFaultIsReportedWithARegisterDump) {
  GuestRun run = run_guest("triple_fault");
  ASSERT_EQ(run.report.end, MachineReport::End::error) << "a triple fault (KVM_EXIT_SHUTDOWN) is an error";
  EXPECT_EQ(run.report.console, "fault\n");
  EXPECT_NE(run.report.message.find("triple fault"), std::string::npos) << run.report.message;
  EXPECT_NE(run.report.register_dump.find("rip="), std::string::npos) << "a crash comes with the registers";
  EXPECT_EQ(run.report.process_exit_code(), 1);
}

TEST(ExitsGuest, UnmappedReadStopsTheGuestWithTheAddress) {
  GuestRun run = run_guest("unmapped");
  ASSERT_EQ(run.report.end, MachineReport::End::error) << "reading 0xb0000 (no RAM, no device) is an error";
  EXPECT_NE(run.report.message.find("0xb0000"), std::string::npos) << run.report.message;
  ASSERT_EQ(run.report.unclaimed.size(), 1u) << "and it is counted on the bus";
  EXPECT_EQ(run.report.unclaimed[0].address, 0xb0000u);
}

TEST(ExitsGuest, TimeoutStopsAGuestThatNeverHalts) {
  MachineConfig config = real_mode_config();
  config.timeout = std::chrono::milliseconds(300);
  auto started = std::chrono::steady_clock::now();
  GuestRun run = run_guest("spin", config);
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(run.report.end, MachineReport::End::timeout) << run.report.message;
  EXPECT_EQ(run.report.process_exit_code(), 124);
  EXPECT_NE(run.report.message.find("did not stop"), std::string::npos) << run.report.message;
  EXPECT_LT(took, std::chrono::seconds(10)) << "the kick must get the vCPU out of KVM_RUN promptly";
}

TEST(ExitsGuest, StatsTableCountsExitsByKind) {
  GuestRun run = run_guest("hello");
  std::string table = render_exit_table(run.report.total);
  EXPECT_NE(table.find("port write (OUT)"), std::string::npos) << table;
  EXPECT_NE(table.find("22"), std::string::npos) << "22 bytes of output, one OUT each:\n" << table;
  EXPECT_NE(table.find("HLT"), std::string::npos) << table;
}

}  // namespace
}  // namespace deploylab::hv
