// hypervisor/vmm/register_dump_test.cpp: the register dump minivmm prints when a guest crashes:
// every register in fixed-width hex under its name, so two dumps line up and a student can grep
// for "rip=".
#include "hypervisor/vmm/register_dump.h"

#include <gtest/gtest.h>

#include <sstream>
#include <vector>

namespace deploylab::hv {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// A real-mode vCPU stopped in the middle of hello.bin, and a long-mode code segment.
struct Sample {
  kvm_regs regs{};
  kvm_sregs sregs{};
  Sample() {
    regs.rip = 0x8010;
    regs.rflags = 0x2;
    regs.rax = 5050;
    regs.rsp = 0x8000;
    regs.r8 = 0xdeadbeef;
    regs.r15 = ~0ull;
    sregs.cr0 = 0x80050033;
    sregs.efer = 0x500;
    sregs.cs.selector = 0x8;
    sregs.cs.limit = 0xffffffff;
    sregs.cs.type = 0xb;
    sregs.cs.l = 1;
    sregs.ss.selector = 0x10;
    sregs.ss.type = 0x3;
    sregs.ss.db = 1;
    sregs.gdt.base = 0x1000;
    sregs.gdt.limit = 0x1f;
    sregs.idt.limit = 0;
  }
};

TEST(RegisterDump, FirstLineIsRipAndRflags) {
  Sample s;
  auto lines = lines_of(format_register_dump(s.regs, s.sregs));
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], "rip=0000000000008010 rflags=0000000000000002");
}

TEST(RegisterDump, GeneralRegistersInFixedWidthHex) {
  Sample s;
  auto lines = lines_of(format_register_dump(s.regs, s.sregs));
  ASSERT_GE(lines.size(), 5u);
  EXPECT_EQ(lines[1], "rax=00000000000013ba rbx=0000000000000000 rcx=0000000000000000 rdx=0000000000000000");
  EXPECT_EQ(lines[2], "rsi=0000000000000000 rdi=0000000000000000 rsp=0000000000008000 rbp=0000000000000000");
  EXPECT_EQ(lines[3], "r8 =00000000deadbeef r9 =0000000000000000 r10=0000000000000000 r11=0000000000000000");
  EXPECT_EQ(lines[4], "r12=0000000000000000 r13=0000000000000000 r14=0000000000000000 r15=ffffffffffffffff");
}

TEST(RegisterDump, ControlRegistersSegmentsAndTables) {
  Sample s;
  auto lines = lines_of(format_register_dump(s.regs, s.sregs));
  ASSERT_EQ(lines.size(), 10u) << format_register_dump(s.regs, s.sregs);
  EXPECT_EQ(lines[5], "cr0=0000000080050033 cr2=0000000000000000 cr3=0000000000000000 cr4=0000000000000000 "
                      "efer=0000000000000500");
  EXPECT_EQ(lines[6], "cs=0008 base=0000000000000000 limit=ffffffff type=b l=1 db=0");
  EXPECT_EQ(lines[7], "ss=0010 base=0000000000000000 limit=00000000 type=3 l=0 db=1");
  EXPECT_EQ(lines[8], "ds=0000 base=0000000000000000 limit=00000000 type=0 l=0 db=0");
  EXPECT_EQ(lines[9], "gdt base=0000000000001000 limit=001f  idt base=0000000000000000 limit=0000");
}

TEST(RegisterDump, EndsWithANewline) {
  Sample s;
  std::string dump = format_register_dump(s.regs, s.sregs);
  ASSERT_FALSE(dump.empty());
  EXPECT_EQ(dump.back(), '\n') << "minivmm prints the dump as is; it must end its own last line";
}

}  // namespace
}  // namespace deploylab::hv
