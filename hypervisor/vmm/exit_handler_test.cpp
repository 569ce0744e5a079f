// hypervisor/vmm/exit_handler_test.cpp: lab 02's graded tests of handle_exit(), fed made-up exits
// (fake_exit.h) so they need no /dev/kvm. Each test is one exit reason, or one rule of the bus.
#include "hypervisor/vmm/exit_handler.h"

#include <gtest/gtest.h>

#include "hypervisor/guests/abi.h"
#include "hypervisor/vmm/exit_test_rig.h"

namespace deploylab::hv {
namespace {

TEST(ExitHandler, PortWriteReachesTheDevice) {
  ExitRig rig;
  Verdict verdict = rig.handle(rig.fake.port_write(DL_PORT_DEBUG_CONSOLE, "A"));
  EXPECT_EQ(verdict.next, Next::resume) << "after a port write the guest runs on";
  EXPECT_EQ(rig.console->output(), "A") << "the byte the guest wrote to 0xe9 should reach the debug console";
  EXPECT_EQ(rig.stats[ExitKind::io_out], 1u) << "count the exit as a port write";
}

TEST(ExitHandler, StringOutputArrivesAsElements) {
  ExitRig rig;
  rig.handle(rig.fake.port_write(DL_PORT_DEBUG_CONSOLE, "abc"));
  EXPECT_EQ(rig.console->output(), "abc") << "REP OUTSB: io.count elements of io.size bytes, all of them";
  EXPECT_EQ(rig.stats[ExitKind::io_out], 1u) << "it is still one exit";
}

TEST(ExitHandler, PortReadGetsTheDevicesAnswer) {
  ExitRig rig;
  rig.handle(rig.fake.port_read(DL_PORT_NULL, 1));
  EXPECT_EQ(rig.fake.data()[0], 0) << "the null device answers 0; the answer goes into the kvm_run data area";
  EXPECT_EQ(rig.stats[ExitKind::io_in], 1u);
}

TEST(ExitHandler, UnclaimedPortReadIsAllOnesAndCounted) {
  ExitRig rig;
  Verdict verdict = rig.handle(rig.fake.port_read(0x3f8, 2));
  EXPECT_EQ(verdict.next, Next::resume) << "an unclaimed port is not fatal (a PC's bus floats high)";
  EXPECT_EQ(rig.fake.data()[0], 0xff);
  EXPECT_EQ(rig.fake.data()[1], 0xff);
  auto unclaimed = rig.bus.unclaimed();
  ASSERT_EQ(unclaimed.size(), 1u) << "the access must be counted, never silently dropped";
  EXPECT_EQ(unclaimed[0].address, 0x3f8u);
}

TEST(ExitHandler, MmioWriteThenReadUsesTheDevice) {
  ExitRig rig;
  rig.handle(rig.fake.mmio(DL_MMIO_TEST_DEVICE + DL_MMIO_REG_SCRATCH, true, 0x1234abcd));
  kvm_run& read = rig.fake.mmio(DL_MMIO_TEST_DEVICE + DL_MMIO_REG_SCRATCH, false);
  Verdict verdict = rig.handle(read);
  EXPECT_EQ(verdict.next, Next::resume);
  std::uint32_t value = 0;
  std::memcpy(&value, read.mmio.data, 4);
  EXPECT_EQ(value, 0x1234abcdu) << "the scratch register reads back what was written; the answer goes in mmio.data";
  EXPECT_EQ(rig.stats[ExitKind::mmio_write], 1u);
  EXPECT_EQ(rig.stats[ExitKind::mmio_read], 1u);
}

TEST(ExitHandler, UnclaimedMmioStopsTheVmAndNamesTheAddress) {
  ExitRig rig;
  Verdict verdict = rig.handle(rig.fake.mmio(0xb0000, false));
  EXPECT_EQ(verdict.next, Next::stop_vm) << "a read from neither RAM nor a device is a guest bug: stop";
  EXPECT_EQ(verdict.stop.kind, StopRequest::Kind::error);
  EXPECT_NE(verdict.stop.message.find("0xb0000"), std::string::npos) << "say where: " << verdict.stop.message;
}

TEST(ExitHandler, UnclaimedMmioCanBeAllowed) {
  ExitRig rig;
  rig.context.unclaimed_mmio = UnclaimedMmio::ignore;
  kvm_run& run = rig.fake.mmio(0xb0000, false);
  EXPECT_EQ(rig.handle(run).next, Next::resume);
  EXPECT_EQ(run.mmio.data[0], 0xff) << "an unclaimed read returns all ones";
  EXPECT_EQ(rig.bus.unclaimed_total(), 1u) << "and is still counted";
}

TEST(ExitHandler, HltHaltsOnlyThisVcpu) {
  ExitRig rig;
  Verdict verdict = rig.handle(rig.fake.reason(KVM_EXIT_HLT));
  EXPECT_EQ(verdict.next, Next::halt_vcpu);
  EXPECT_EQ(rig.stats[ExitKind::hlt], 1u);
}

TEST(ExitHandler, ShutdownIsATripleFaultWithItsRip) {
  ExitRig rig;
  rig.fake.sync_registers().rip = 0x8012;
  Verdict verdict = rig.handle(rig.fake.reason(KVM_EXIT_SHUTDOWN));
  EXPECT_EQ(verdict.next, Next::stop_vm);
  EXPECT_NE(verdict.stop.message.find("triple fault"), std::string::npos) << verdict.stop.message;
  EXPECT_NE(verdict.stop.message.find("0x8012"), std::string::npos) << "name the RIP: " << verdict.stop.message;
}

TEST(ExitHandler, ShutdownAlsoNamesTheRipOfThePreviousExit) {
  ExitRig rig;
  rig.fake.sync_registers().rip = 0x8005;
  rig.handle(rig.fake.port_write(DL_PORT_DEBUG_CONSOLE, "x"));
  rig.fake.sync_registers().rip = 0xfff0;  // AMD: KVM reset the vCPU before reporting the shutdown
  Verdict verdict = rig.handle(rig.fake.reason(KVM_EXIT_SHUTDOWN));
  EXPECT_NE(verdict.stop.message.find("0x8005"), std::string::npos)
      << "where the guest last was is the useful clue when the registers show the reset state: " << verdict.stop.message;
}

TEST(ExitHandler, FailedEntryIsExplainedInWords) {
  ExitRig rig;
  kvm_run& run = rig.fake.reason(KVM_EXIT_FAIL_ENTRY);
  run.fail_entry.hardware_entry_failure_reason = 0x80000021;  // VMX: entry failure, invalid guest state
  Verdict verdict = rig.handle(run);
  EXPECT_EQ(verdict.next, Next::stop_vm);
  EXPECT_NE(verdict.stop.message.find("invalid guest state"), std::string::npos) << verdict.stop.message;
  EXPECT_EQ(rig.stats[ExitKind::fail_entry], 1u);
}

TEST(ExitHandler, InternalErrorIsExplainedInWords) {
  ExitRig rig;
  kvm_run& run = rig.fake.reason(KVM_EXIT_INTERNAL_ERROR);
  run.internal.suberror = KVM_INTERNAL_ERROR_EMULATION;
  Verdict verdict = rig.handle(run);
  EXPECT_EQ(verdict.next, Next::stop_vm);
  EXPECT_NE(verdict.stop.message.find("emulate"), std::string::npos) << verdict.stop.message;
}

TEST(ExitHandler, HypercallExitIsRecordedAndAnswered) {
  ExitRig rig;
  kvm_run& run = rig.fake.reason(KVM_EXIT_HYPERCALL);
  run.hypercall.nr = DL_KVM_HC_MAP_GPA_RANGE;
  run.hypercall.args[0] = 0x100000;
  run.hypercall.args[1] = 2;
  run.hypercall.ret = 12345;
  Verdict verdict = rig.handle(run);
  EXPECT_EQ(verdict.next, Next::resume);
  EXPECT_EQ(run.hypercall.ret, 0u) << "answer KVM_HC_MAP_GPA_RANGE with 0 in kvm_run::hypercall.ret";
  ASSERT_EQ(rig.hypercalls.size(), 1u) << "record the hypercall";
  EXPECT_EQ(rig.hypercalls[0].number, std::uint64_t{DL_KVM_HC_MAP_GPA_RANGE});
  EXPECT_EQ(rig.hypercalls[0].args[0], 0x100000u);
  EXPECT_EQ(rig.hypercalls[0].args[1], 2u);
}

TEST(ExitHandler, UnknownExitStopsWithItsName) {
  ExitRig rig;
  Verdict verdict = rig.handle(rig.fake.reason(KVM_EXIT_DEBUG));
  EXPECT_EQ(verdict.next, Next::stop_vm) << "an exit minivmm does not handle must not be ignored";
  EXPECT_NE(verdict.stop.message.find("KVM_EXIT_DEBUG"), std::string::npos) << verdict.stop.message;
}

TEST(ExitHandler, PortDataOutsideTheRunAreaIsRefused) {
  ExitRig rig;
  kvm_run& run = rig.fake.port_write(DL_PORT_DEBUG_CONSOLE, "A");
  run.io.data_offset = FakeRun::kSize - 1;
  run.io.count = 16;
  Verdict verdict = rig.handle(run);
  EXPECT_EQ(verdict.next, Next::stop_vm) << "never read past the kvm_run mapping";
  EXPECT_EQ(rig.console->output(), "");
}

}  // namespace
}  // namespace deploylab::hv
