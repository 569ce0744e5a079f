// labs/02-exits/exits_hidden_test.cpp: lab 02's hidden graded tests (the student kit leaves this
// file out): edge cases of the exit handler, the bus and the hypercall port.
#include <gtest/gtest.h>

#include "hypervisor/devices/debug_console.h"
#include "hypervisor/devices/hypercall_port.h"
#include "hypervisor/devices/test_devices.h"
#include "hypervisor/vmm/exit_test_rig.h"
#include "labs/02-exits/lab02_support.h"

namespace deploylab::hv {
namespace {

TEST(ExitsHidden, StringInputFillsEveryElement) {
  ExitRig rig;
  kvm_run& run = rig.fake.port_read(DL_PORT_DEBUG_CONSOLE, 1, 4);
  handle_exit(run, FakeRun::kSize, rig.context);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(rig.fake.data()[i], DL_PORT_DEBUG_CONSOLE) << "REP INSB element " << i << " must get the device's answer";
  }
}

TEST(ExitsHidden, RegistersAreHandedBackOnlyWhenChanged) {
  ExitRig rig;
  rig.fake.sync_registers();
  kvm_run& run = rig.fake.port_write(DL_PORT_DEBUG_CONSOLE, "x");
  handle_exit(run, FakeRun::kSize, rig.context);
  EXPECT_EQ(run.kvm_dirty_regs, 0u) << "the console changes no register: do not make KVM reload them";
}

TEST(ExitsHidden, AdjacentClaimsDoNotOverlap) {
  DeviceBus bus;
  bus.claim(Space::mmio, 0x1000, 0x1000, std::make_shared<NullDevice>()).value();
  EXPECT_TRUE(bus.claim(Space::mmio, 0x2000, 0x1000, std::make_shared<NullDevice>()).ok())
      << "[0x1000, 0x2000) and [0x2000, 0x3000) touch but do not overlap";
  EXPECT_TRUE(bus.claim(Space::mmio, 0x0, 0x1000, std::make_shared<NullDevice>()).ok());
}

TEST(ExitsHidden, OverlongPrintIsRefusedInRax) {
  GuestMemory memory;
  memory.add_region(0, 0x100000).value();
  auto console = std::make_shared<DebugConsole>();
  HypercallPort port(memory, console);
  kvm_regs regs{};
  regs.rax = DL_HC_PRINT;
  regs.rbx = 0;
  regs.rcx = HypercallPort::kMaxPrint + 1;
  std::uint8_t byte = 0;
  IoAccess access{Space::port, AccessKind::write, DL_PORT_HYPERCALL, std::span<std::uint8_t>(&byte, 1)};
  access.registers = &regs;
  access.long_mode = true;
  port.access(access);
  EXPECT_EQ(regs.rax, DL_HC_ERROR_UNKNOWN) << "a print longer than kMaxPrint is refused";
  EXPECT_EQ(console->output(), "");
}

TEST(ExitsHidden, MapGpaRangeIsAnsweredInsideKvmUnlessForwarded) {
  GuestRun run = run_guest(native_guest("map_gpa_range"));
  ASSERT_EQ(run.report.end, MachineReport::End::halted) << run.report.message;
  EXPECT_EQ(run.report.total[ExitKind::hypercall], 0u) << "without KVM_CAP_EXIT_HYPERCALL the call never reaches us";
  EXPECT_EQ(run.mailbox(0), static_cast<std::uint32_t>(-DL_KVM_ENOSYS));
}

TEST(ExitsHidden, ExactExitCountsOfThePortHypercallGuest) {
  GuestRun run = run_guest("port_hypercalls");
  EXPECT_EQ(run.report.total[ExitKind::io_out], 4u) << "print, get-time, unknown, exit: four doorbell writes";
  EXPECT_EQ(run.report.total.total(), 4u) << "and nothing else (the VM stopped at the exit call, no HLT)";
}

}  // namespace
}  // namespace deploylab::hv
