// labs/01-kvm-hello/kvm_hello_test.cpp: lab 01's visible graded tests. They build up the way the
// handout does: the /dev/kvm handle, a VM with RAM, a vCPU, real-mode registers, then a real guest
// (hypervisor/guests/hello.S) run to its HLT. They need a working /dev/kvm: natively with
// hardware KVM, inside the vmhost test host otherwise (lab.yaml: runs_on: kvm).
#include <gtest/gtest.h>

#include <cerrno>

#include "hypervisor/guests/abi.h"
#include "hypervisor/guests/guest_files.h"
#include "hypervisor/kvm/first_run.h"
#include "hypervisor/kvm/kvm.h"
#include "hypervisor/kvm/vm.h"
#include "labs/01-kvm-hello/lab01_support.h"

namespace deploylab::hv {
namespace {

TEST(KvmHello, ApiVersionTwelveIsAccepted) {
  auto ok = check_api_version(12, "/dev/kvm");
  EXPECT_TRUE(ok.ok()) << "version 12 is the stable KVM API; check_api_version refused it: " << ok.error().message();
  auto old = check_api_version(11, "/dev/kvm");
  ASSERT_FALSE(old.ok()) << "check_api_version accepted version 11; only 12 is the API minivmm speaks";
  EXPECT_NE(old.error().message().find("12"), std::string::npos)
      << "the error should say which version was expected; it says: " << old.error().message();
}

TEST(KvmHello, MissingDeviceIsAnOpenErrorWithAHint) {
  auto kvm = Kvm::open("/nonexistent/kvm");
  ASSERT_FALSE(kvm.ok()) << "opening a device that does not exist must fail";
  EXPECT_EQ(kvm.error().op, "open") << "the error should name the syscall that failed";
  EXPECT_EQ(kvm.error().code, ENOENT) << "the error should carry errno";
  EXPECT_FALSE(kvm.error().hint.empty()) << "tell the student what to do (hint_for_open_error)";
}

TEST(KvmHello, AFileThatIsNotKvmIsRefused) {
  auto kvm = Kvm::open("/dev/null");
  ASSERT_FALSE(kvm.ok()) << "/dev/null opens fine but is not KVM: KVM_GET_API_VERSION must fail on it";
  EXPECT_EQ(kvm.error().op, "KVM_GET_API_VERSION") << "the error should name the ioctl; it says: " << kvm.error().message();
}

TEST(KvmHello, OpensDevKvmAndReportsTheRunAreaSize) {
  Kvm kvm = Kvm::open().value();
  std::size_t size = kvm.vcpu_mmap_size().value();
  EXPECT_GE(size, sizeof(kvm_run)) << "KVM_GET_VCPU_MMAP_SIZE should be at least sizeof(kvm_run)";
}

TEST(KvmHello, VmRamIsMemoryTheHostCanReadAndWrite) {
  Kvm kvm = Kvm::open().value();
  Vm vm = Vm::create(kvm).value();
  vm.add_ram(0, DL_LOW_RAM_SIZE).value();
  ASSERT_EQ(vm.memory().regions().size(), 1u);
  vm.memory().write_value<std::uint32_t>(0x1234, 0xfeedface).value();
  EXPECT_EQ(vm.memory().read_value<std::uint32_t>(0x1234).value(), 0xfeedfaceu);
  auto overlap = vm.add_ram(0x1000, 0x1000);
  EXPECT_FALSE(overlap.ok()) << "RAM at 0x1000 overlaps the region at 0: add_ram must refuse it";
}

TEST(KvmHello, VcpuHasItsKvmRunAreaMapped) {
  Kvm kvm = Kvm::open().value();
  Vm vm = Vm::create(kvm).value();
  Vcpu vcpu = vm.create_vcpu(0).value();
  ASSERT_NE(vcpu.run(), nullptr) << "create_vcpu must mmap the vCPU fd (the kvm_run area)";
  EXPECT_EQ(vcpu.run_size(), kvm.vcpu_mmap_size().value()) << "map exactly KVM_GET_VCPU_MMAP_SIZE bytes";
  EXPECT_EQ(vcpu.id(), 0);
}

TEST(KvmHello, EnterRealModePutsEverySegmentAtZero) {
  Lab01Vm t = make_lab01_vm();
  t.vcpu->enter_real_mode(DL_REAL_MODE_LOAD_ADDRESS, 0x7000).value();
  kvm_regs regs = t.vcpu->regs().value();
  EXPECT_EQ(regs.rip, std::uint64_t{DL_REAL_MODE_LOAD_ADDRESS}) << "RIP should be the entry point";
  EXPECT_EQ(regs.rsp, 0x7000u) << "RSP should be the stack top";
  EXPECT_EQ(regs.rflags, 0x2u) << "RFLAGS: only the reserved bit 1, interrupts off";
  kvm_sregs sregs = t.vcpu->sregs().value();
  for (const kvm_segment* s : {&sregs.cs, &sregs.ds, &sregs.es, &sregs.ss}) {
    EXPECT_EQ(s->base, 0u) << "after reset CS.base is 0xffff0000; real mode here needs every base at 0";
    EXPECT_EQ(s->selector, 0u);
  }
}

TEST(KvmHello, HelloGuestPrintsItsGreeting) {
  Lab01Vm t = make_lab01_vm();
  FirstRun run = run_guest(t, "hello");
  EXPECT_EQ(run.console, "Hello from the guest!\n") << "the bytes the guest wrote to port 0xe9";
}

TEST(KvmHello, HelloGuestLeavesItsMarkInMemory) {
  Lab01Vm t = make_lab01_vm();
  run_guest(t, "hello");
  EXPECT_EQ(t.vm->memory().read_value<std::uint32_t>(DL_MAILBOX_ADDRESS).value(), 0xC0DE0001u)
      << "the guest stores 0xC0DE0001 at the mailbox (0x500); the host reads the same RAM";
}

TEST(KvmHello, HelloGuestComputesInARegister) {
  Lab01Vm t = make_lab01_vm();
  run_guest(t, "hello");
  EXPECT_EQ(t.vcpu->regs().value().rax & 0xffffffff, 5050u) << "the guest sums 1..100 into EAX before HLT";
}

TEST(KvmHello, EveryByteIsOneExitAndHltIsTheLast) {
  Lab01Vm t = make_lab01_vm();
  FirstRun run = run_guest(t, "hello");
  EXPECT_EQ(run.exits, std::string("Hello from the guest!\n").size() + 1)
      << "one KVM_EXIT_IO per OUT of one byte, plus the final KVM_EXIT_HLT";
}

TEST(KvmHello, OtherExitsAreErrorsThatNameThem) {
  Lab01Vm t = make_lab01_vm();
  load_guest(t, "exits");  // prints, then reads port 0xeb: lab 01's loop knows no such device
  auto run = run_until_halt(*t.vcpu);
  ASSERT_FALSE(run.ok()) << "run_until_halt must not ignore an exit it cannot handle";
  EXPECT_NE(run.error().message().find("0xeb"), std::string::npos)
      << "the error should name the port; it says: " << run.error().message();
}

}  // namespace
}  // namespace deploylab::hv
