// bench/isolation/syscall_table_test.cpp: the x86_64 table's order, lookups and kernel releases.
#include "bench/isolation/syscall_table.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace deploylab::bench::isolation {
namespace {

TEST(SyscallTable, IsInNumberOrderWithUniqueNumbersAndNames) {
  int previous = -1;
  std::set<std::string_view> names;
  for (const SyscallEntry& e : x86_64_syscalls()) {
    EXPECT_GT(e.number, previous) << e.name << " is out of order: find_syscall() bisects the table";
    EXPECT_TRUE(names.insert(e.name).second) << e.name << " appears twice";
    previous = e.number;
  }
  EXPECT_EQ(x86_64_syscalls().front().name, "read");
}

TEST(SyscallTable, FindsNumbersAndNamesBothWays) {
  EXPECT_EQ(syscall_number("keyctl"), 250);
  EXPECT_EQ(syscall_number("clone3"), 435);
  EXPECT_EQ(syscall_number("read"), 0);
  EXPECT_EQ(syscall_name(165), "mount");
  EXPECT_EQ(syscall_name(231), "exit_group");
  EXPECT_EQ(syscall_number("no_such_call"), std::nullopt);
  EXPECT_EQ(syscall_name(400), std::nullopt) << "337-423 are unused on x86_64";
  EXPECT_EQ(syscall_name(-1), std::nullopt);
  EXPECT_EQ(find_syscall(100000), nullptr);
}

TEST(SyscallTable, ParsesTheReleaseOfUname) {
  EXPECT_EQ(parse_release("6.18.44-fc-v657"), (Release{6, 18}));
  EXPECT_EQ(parse_release("6.1.0-27-amd64"), (Release{6, 1}));
  EXPECT_EQ(parse_release("5.10"), (Release{5, 10}));
  EXPECT_EQ(parse_release("linux"), std::nullopt);
  EXPECT_EQ(parse_release("6"), std::nullopt);
  EXPECT_EQ(parse_release(""), std::nullopt);
}

TEST(SyscallTable, CountsOnlyWhatTheRunningKernelHasAndAnyoneMayCall) {
  const SyscallEntry& listns = *find_syscall(*syscall_number("listns"));
  EXPECT_FALSE(counted_on(listns, {6, 18})) << "listns arrived in 6.19";
  EXPECT_TRUE(counted_on(listns, {6, 19}));
  EXPECT_TRUE(counted_on(*find_syscall(*syscall_number("mseal")), {7, 0}));
  EXPECT_TRUE(counted_on(*find_syscall(250), {5, 0}));
  const SyscallEntry& dcookie = *find_syscall(*syscall_number("lookup_dcookie"));
  EXPECT_TRUE(counted_on(dcookie, {6, 1}));
  EXPECT_FALSE(counted_on(dcookie, {6, 8})) << "lookup_dcookie became sys_ni_syscall in 6.8";
  EXPECT_FALSE(counted_on(*find_syscall(*syscall_number("tuxcall")), {5, 0})) << "never on x86_64";
  EXPECT_FALSE(counted_on(*find_syscall(*syscall_number("set_thread_area")), {6, 1})) << "x86_64 uses arch_prctl";
  const SyscallEntry& uprobe = *find_syscall(*syscall_number("uprobe"));
  EXPECT_TRUE(exists_on(uprobe, {6, 18}));
  EXPECT_FALSE(counted_on(uprobe, {6, 18})) << "only the kernel's uprobe trampoline calls it";
}

TEST(SyscallTable, CountsTheCallsOfKnownKernels) {
  auto count = [](Release r) {
    int n = 0;
    for (const SyscallEntry& e : x86_64_syscalls()) n += counted_on(e, r) ? 1 : 0;
    return n;
  };
  // 0-334, minus the 15 numbers x86_64 never had a call for, minus _sysctl (gone in 5.5), plus 424-450.
  EXPECT_EQ(count({6, 1}), 335 - 15 - 1 + 27);
  EXPECT_EQ(count({6, 18}), count({6, 1}) + 19 - 1) << "451-469 are new; lookup_dcookie went";
}

}  // namespace
}  // namespace deploylab::bench::isolation
