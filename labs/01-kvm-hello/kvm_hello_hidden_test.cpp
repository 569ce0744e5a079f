// labs/01-kvm-hello/kvm_hello_hidden_test.cpp: lab 01's hidden graded tests (the student kit leaves
// this file out): edge cases of the same tasks the visible tests cover.
#include <gtest/gtest.h>

#include <cerrno>

#include "labs/01-kvm-hello/lab01_support.h"

namespace deploylab::hv {
namespace {

TEST(KvmHelloHidden, VcpuIdsAreUniquePerVm) {
  Lab01Vm t = make_lab01_vm();
  auto again = t.vm->create_vcpu(0);
  ASSERT_FALSE(again.ok()) << "a second vCPU 0 in the same VM must fail";
  EXPECT_EQ(again.error().op, "KVM_CREATE_VCPU");
  EXPECT_EQ(again.error().code, EEXIST);
}

TEST(KvmHelloHidden, TwoVmsHaveSeparateMemory) {
  Lab01Vm a = make_lab01_vm();
  Lab01Vm b = make_lab01_vm();
  run_guest(a, "hello");
  EXPECT_EQ(a.vm->memory().read_value<std::uint32_t>(DL_MAILBOX_ADDRESS).value(), 0xC0DE0001u);
  EXPECT_EQ(b.vm->memory().read_value<std::uint32_t>(DL_MAILBOX_ADDRESS).value(), 0u)
      << "VM b never ran: its RAM must be its own, still zero";
  EXPECT_EQ(run_guest(b, "hello").console, "Hello from the guest!\n");
}

TEST(KvmHelloHidden, RamInASecondSlotIsRegisteredToo) {
  Lab01Vm t = make_lab01_vm();
  t.vm->add_ram(DL_HIGH_RAM_ADDRESS, 2 << 20).value();
  ASSERT_EQ(t.vm->memory().regions().size(), 2u);
  // The guest still runs from slot 0: adding slot 1 must not have replaced it.
  EXPECT_EQ(run_guest(t, "hello").console, "Hello from the guest!\n")
      << "each add_ram() call needs its own KVM memory slot number";
}

TEST(KvmHelloHidden, UnalignedRamIsRefusedBeforeKvmSeesIt) {
  Lab01Vm t = make_lab01_vm();
  auto bad = t.vm->add_ram(0x100800, 0x1000);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("page"), std::string::npos) << bad.error().message();
}

TEST(KvmHelloHidden, AGuestCanRunAgainAfterItHalted) {
  Lab01Vm t = make_lab01_vm();
  run_guest(t, "hello");
  t.vcpu->enter_real_mode(DL_REAL_MODE_LOAD_ADDRESS, DL_REAL_MODE_LOAD_ADDRESS).value();
  FirstRun again = run_until_halt(*t.vcpu).value();
  EXPECT_EQ(again.console, "Hello from the guest!\n") << "resetting RIP and running again repeats the guest";
}

}  // namespace
}  // namespace deploylab::hv
