// hypervisor/devices/hypercall_port_test.cpp: lab 02's graded tests of the port-I/O hypercall ABI
// (abi.h): the guest's registers go in, the result comes back in RAX.
#include "hypervisor/devices/hypercall_port.h"

#include <gtest/gtest.h>

#include <thread>

#include "hypervisor/guests/abi.h"

namespace deploylab::hv {
namespace {

struct Rig {
  GuestMemory memory;
  std::shared_ptr<DebugConsole> console = std::make_shared<DebugConsole>();
  std::unique_ptr<HypercallPort> port;
  kvm_regs regs{};
  std::uint8_t doorbell = 0;

  Rig() {
    memory.add_region(0, 0x10000).value();
    port = std::make_unique<HypercallPort>(memory, console);
  }
  // The guest sets RAX..RSI and writes to the doorbell port.
  std::optional<StopRequest> call(std::uint64_t number, std::uint64_t a0 = 0, std::uint64_t a1 = 0, bool long_mode = true) {
    regs.rax = number;
    regs.rbx = a0;
    regs.rcx = a1;
    IoAccess access{Space::port, AccessKind::write, DL_PORT_HYPERCALL, std::span<std::uint8_t>(&doorbell, 1)};
    access.registers = &regs;
    access.long_mode = long_mode;
    auto stop = port->access(access);
    EXPECT_TRUE(access.registers_changed) << "the device must flag the registers it changed, so KVM gets them back";
    return stop;
  }
};

TEST(HypercallPort, PrintCopiesGuestTextToTheConsole) {
  Rig rig;
  rig.memory.write(0x2000, std::vector<std::uint8_t>{'h', 'i', '!', '\n'}).value();
  auto stop = rig.call(DL_HC_PRINT, 0x2000, 4);
  EXPECT_FALSE(stop.has_value()) << "printing does not stop the VM";
  EXPECT_EQ(rig.console->output(), "hi!\n") << "RBX = address, RCX = length";
  EXPECT_EQ(rig.regs.rax, 0u) << "success is 0 in RAX";
}

TEST(HypercallPort, PrintOfMemoryThatIsNotRamFailsInRax) {
  Rig rig;
  rig.call(DL_HC_PRINT, 0xf000, 0x2000);  // runs past the end of RAM at 0x10000
  EXPECT_EQ(rig.regs.rax, DL_HC_ERROR_UNKNOWN) << "a bad buffer is the guest's error, reported in RAX, not a crash";
  EXPECT_EQ(rig.console->output(), "");
}

TEST(HypercallPort, GetTimeCountsNanosecondsAndAdvances) {
  Rig rig;
  rig.call(DL_HC_GET_TIME);
  std::uint64_t first = rig.regs.rax;
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  rig.call(DL_HC_GET_TIME);
  EXPECT_GE(rig.regs.rax - first, 2'000'000u) << "2 ms passed between the calls; RAX is in nanoseconds";
}

TEST(HypercallPort, ExitStopsTheVmWithTheGuestsCode) {
  Rig rig;
  auto stop = rig.call(DL_HC_EXIT, 42);
  ASSERT_TRUE(stop.has_value()) << "DL_HC_EXIT must stop the whole VM";
  EXPECT_EQ(stop->kind, StopRequest::Kind::guest_exit);
  EXPECT_EQ(stop->exit_code, 42) << "the code is in RBX";
}

TEST(HypercallPort, UnknownNumberAnswersAnError) {
  Rig rig;
  auto stop = rig.call(99);
  EXPECT_FALSE(stop.has_value());
  EXPECT_EQ(rig.regs.rax, DL_HC_ERROR_UNKNOWN) << "like ENOSYS: the guest learns the call does not exist";
}

TEST(HypercallPort, OutsideLongModeOnlyTheLow32BitsCount) {
  Rig rig;
  rig.memory.write(0x2000, std::vector<std::uint8_t>{'o', 'k'}).value();
  // A real-mode guest cannot clear the upper halves; they must not matter.
  auto stop = rig.call(0xdead'0000'0000'0000 | DL_HC_PRINT, 0xffff'ffff'0000'2000, 2, false);
  EXPECT_FALSE(stop.has_value());
  EXPECT_EQ(rig.console->output(), "ok") << "truncate RAX, RBX and RCX to 32 bits when the guest is not in long mode";
}

}  // namespace
}  // namespace deploylab::hv
